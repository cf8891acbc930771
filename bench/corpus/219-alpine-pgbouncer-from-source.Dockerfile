# Base image
FROM alpine:3.18

# add our user and group first to make sure their IDs get assigned consistently, regardless of whatever dependencies get added
RUN set -eux; \
    addgroup -S -g 70 pgbouncer; \
    adduser -S -D -H -h /dev/null -s /sbin/nologin -G pgbouncer -u 70 pgbouncer

ENV PGBOUNCER_VERSION 1.22.1
ENV PGBOUNCER_DOWNLOAD_URL https://www.pgbouncer.org/downloads/files/1.22.1/pgbouncer-1.22.1.tar.gz
ENV PGBOUNCER_DOWNLOAD_SHA=02661e777fea2c5370d086cd9c460221aeee0ea7463cd6def57cec88607d92ac

RUN set -eux; \
    apk add --no-cache --virtual .build-deps \
        autoconf \
        automake \
        c-ares-dev \
        gcc \
        libc-dev \
        libevent-dev \
        libtool \
        make \
        openssl-dev \
        pkgconfig \
    ; \
    wget -O pgbouncer.tar.gz "$PGBOUNCER_DOWNLOAD_URL"; \
    echo "$PGBOUNCER_DOWNLOAD_SHA *pgbouncer.tar.gz" | sha256sum -c -; \
    mkdir -p /usr/src/pgbouncer; \
    tar -xzf pgbouncer.tar.gz -C /usr/src/pgbouncer --strip-components=1; \
    rm pgbouncer.tar.gz; \
    cd /usr/src/pgbouncer; \
    ./configure --prefix=/usr/local --with-cares; \
    make -j "$(nproc)"; \
    make install; \
    cd /; \
    rm -rf /usr/src/pgbouncer; \
    runDeps="$( \
        scanelf --needed --nobanner --format '%n#p' --recursive /usr/local \
        | tr ',' '\n' \
        | sort -u \
        | awk 'system("[ -e /usr/local/lib/" $1 " ]") == 0 { next } { print "so:" $1 }' \
        )" \
    ; \
    apk add --no-network --virtual .pgbouncer-rundeps $runDeps; \
    apk del --no-network .build-deps; \
    pgbouncer --version

COPY docker-entrypoint.sh /usr/local/bin/

# Run the app
ENTRYPOINT ["docker-entrypoint.sh"]

# Run as non-root user
USER pgbouncer

# Expose the port the app runs on
EXPOSE 6432

# Run the app
CMD ["pgbouncer", "/etc/pgbouncer/pgbouncer.ini"]
