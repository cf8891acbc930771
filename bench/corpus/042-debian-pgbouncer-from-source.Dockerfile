# Base image
FROM debian:bookworm-20240311-slim

# add our user and group first to make sure their IDs get assigned consistently, regardless of whatever dependencies get added
RUN set -eux; \
 groupadd -r -g 70 pgbouncer; \
 useradd -r -g pgbouncer -u 70 pgbouncer

ENV PGBOUNCER_VERSION=1.22.1
ENV PGBOUNCER_DOWNLOAD_URL=https://www.pgbouncer.org/downloads/files/1.22.1/pgbouncer-1.22.1.tar.gz
ENV PGBOUNCER_DOWNLOAD_SHA=d867bda8bb436bac6f36676490ba3381e567dcd0401cbba69e3f37f9df81e10d

RUN set -eux; \
 \
 savedAptMark="$(apt-mark showmanual)"; \
 apt-get update; \
 apt-get install -y --no-install-recommends \
   ca-certificates \
   wget \
   gcc \
   libc6-dev \
   libevent-dev \
   libssl-dev \
   make \
   pkg-config \
 ; \
 rm -rf /var/lib/apt/lists/*; \
 \
 wget -O pgbouncer.tar.gz "$PGBOUNCER_DOWNLOAD_URL"; \
 echo "$PGBOUNCER_DOWNLOAD_SHA *pgbouncer.tar.gz" | sha256sum -c -; \
 mkdir -p /usr/src/pgbouncer; \
 tar -xzf pgbouncer.tar.gz -C /usr/src/pgbouncer --strip-components=1; \
 rm pgbouncer.tar.gz; \
 \
 cd /usr/src/pgbouncer; \
 ./configure --prefix=/usr/local --with-cares; \
 make -j "$(nproc)"; \
 make install; \
 cd /; \
 rm -rf /usr/src/pgbouncer; \
 \
 apt-mark auto '.*' > /dev/null; \
 [ -z "$savedAptMark" ] || apt-mark manual $savedAptMark > /dev/null; \
 find /usr/local -type f -executable -exec ldd '{}' ';' \
   | awk '/=>/ { so = $(NF-1); if (index(so, "/usr/local/") == 1) { next }; gsub("^/(usr/)?", "", so); printf "*%s\n", so }' \
   | sort -u \
   | xargs -r dpkg-query --search \
   | cut -d: -f1 \
   | sort -u \
   | xargs -r apt-mark manual \
 ; \
 apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportance=false; \
 \
 pgbouncer --version

COPY docker-entrypoint.sh /usr/local/bin/
RUN ln -s usr/local/bin/docker-entrypoint.sh /entrypoint.sh # backwards compat
ENTRYPOINT ["docker-entrypoint.sh"]

# Drop privileges
USER pgbouncer
EXPOSE 6432

# Default command
CMD ["pgbouncer", "/etc/pgbouncer/pgbouncer.ini"]
