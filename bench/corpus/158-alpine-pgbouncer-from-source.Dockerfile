FROM alpine:3.20

# add our user and group first to make sure their IDs get assigned consistently, regardless of whatever dependencies get added
RUN set -eux; \
    addgroup -S -g 70 pgbouncer; \
    adduser -S -D -H -h /dev/null -s /sbin/nologin -G pgbouncer -u 70 pgbouncer

# grab su-exec for easy step-down from root
RUN apk add --no-cache su-exec tzdata

ENV PGBOUNCER_VERSION 1.22.1

ENV PGBOUNCER_DOWNLOAD_URL=https://www.pgbouncer.org/downloads/files/1.22.1/pgbouncer-1.22.1.tar.gz
ENV PGBOUNCER_DOWNLOAD_SHA=72c7520db45c87f25a26b524138233b871d7c9d277262ae07a9bfcafc84fd33a

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

# Default command
ENTRYPOINT ["docker-entrypoint.sh"]

# Make the service port available outside the container
EXPOSE 6432

# Run the service
CMD ["pgbouncer", "/etc/pgbouncer/pgbouncer.ini"]
