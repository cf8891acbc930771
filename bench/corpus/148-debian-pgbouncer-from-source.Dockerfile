FROM debian:bullseye-slim

# add our user and group first to make sure their IDs get assigned consistently, regardless of whatever dependencies get added
RUN set -eux; \
	groupadd -r -g 70 pgbouncer; \
	useradd -r -g pgbouncer -u 70 pgbouncer

# grab gosu for easy step-down from root
# https://github.com/tianon/gosu/releases
ENV GOSU_VERSION 1.14
RUN set -eux; \
	savedAptMark="$(apt-mark showmanual)"; \
	apt-get update; \
	apt-get install -y --no-install-recommends ca-certificates gnupg wget; \
	rm -rf /var/lib/apt/lists/*; \
	dpkgArch="$(dpkg --print-architecture | awk -F- '{ print $NF }')"; \
	wget -O /usr/local/bin/gosu "https://github.com/tianon/gosu/releases/download/$GOSU_VERSION/gosu-$dpkgArch"; \
	wget -O /usr/local/bin/gosu.asc "https://github.com/tianon/gosu/releases/download/$GOSU_VERSION/gosu-$dpkgArch.asc"; \
	# verify the signature
	export GNUPGHOME="$(mktemp -d)"; \
	gpg --batch --keyserver keyserver.ubuntu.com --recv-keys B42F6819007F00F88E364FD4036A9C25BF357DD4; \
	gpg --batch --verify /usr/local/bin/gosu.asc /usr/local/bin/gosu; \
	gpgconf --kill all; \
	rm -rf "$GNUPGHOME" /usr/local/bin/gosu.asc; \
	# clean up fetch dependencies
	apt-mark auto '.*' > /dev/null; \
	[ -z "$savedAptMark" ] || apt-mark manual $savedAptMark > /dev/null; \
	apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportance=false; \
	chmod +x /usr/local/bin/gosu; \
	# verify that the binary works
	gosu --version; \
	gosu nobody true

ENV PGBOUNCER_VERSION 1.22.1
ENV PGBOUNCER_DOWNLOAD_URL https://www.pgbouncer.org/downloads/files/1.22.1/pgbouncer-1.22.1.tar.gz

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

# Run the service
ENTRYPOINT ["docker-entrypoint.sh"]

EXPOSE 6432

# Run the service
CMD ["pgbouncer", "/etc/pgbouncer/pgbouncer.ini"]
