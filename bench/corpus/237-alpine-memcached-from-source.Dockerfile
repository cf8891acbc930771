FROM alpine:3.19

# add our user and group first to make sure their IDs get assigned consistently, regardless of whatever dependencies get added
RUN set -eux; \
    addgroup -S -g 11211 memcached; \
    adduser -S -D -H -h /dev/null -s /sbin/nologin -G memcached -u 11211 memcached

# grab su-exec for easy step-down from root
RUN apk add --no-cache su-exec tzdata

ENV MEMCACHED_VERSION=1.6.24

ENV MEMCACHED_DOWNLOAD_URL=https://memcached.org/files/memcached-1.6.24.tar.gz
ENV MEMCACHED_DOWNLOAD_SHA 0fd57f521c62fe3dcdb46c68e53c2c92a79711c3c8889f3a2a21dc6b5e6dc07c

RUN set -eux; \
    apk add --no-cache --virtual .build-deps \
        ca-certificates \
        coreutils \
        cyrus-sasl-dev \
        gcc \
        libc-dev \
        libevent-dev \
        linux-headers \
        make \
        openssl-dev \
        perl \
    ; \
    wget -O memcached.tar.gz "$MEMCACHED_DOWNLOAD_URL"; \
    echo "$MEMCACHED_DOWNLOAD_SHA *memcached.tar.gz" | sha256sum -c -; \
    mkdir -p /usr/src/memcached; \
    tar -xzf memcached.tar.gz -C /usr/src/memcached --strip-components=1; \
    rm memcached.tar.gz; \
    cd /usr/src/memcached; \
    gnuArch="$(dpkg-architecture --query DEB_BUILD_GNU_TYPE 2>/dev/null || uname -m)"; \
    ./configure --build="$gnuArch" --enable-extstore --enable-sasl --enable-sasl-pwdb --enable-tls; \
    nproc="$(nproc)"; \
    make -j "$nproc"; \
    make install; \
    cd /; \
    runDeps="$( \
        scanelf --needed --nobanner --format '%n#p' --recursive /usr/local \
        | tr ',' '\n' \
        | sort -u \
        | awk 'system("[ -e /usr/local/lib/" $1 " ]") == 0 { next } { print "so:" $1 }' \
        )" \
    ; \
    apk add --no-network --virtual .memcached-rundeps $runDeps; \
    apk del --no-network .build-deps; \
    memcached -V

COPY docker-entrypoint.sh /usr/local/bin/

ENTRYPOINT ["docker-entrypoint.sh"]

# Make the service port available outside the container
EXPOSE 11211

# Run the app
CMD ["memcached"]
