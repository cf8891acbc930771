FROM alpine:3.20

# add our user and group first to make sure their IDs get assigned consistently, regardless of whatever dependencies get added
RUN set -eux; \
    addgroup -S -g 99 haproxy; \
    adduser -S -D -H -h /var/lib/haproxy -s /sbin/nologin -G haproxy -u 99 haproxy

ENV HAPROXY_VERSION=2.9.6
ENV HAPROXY_DOWNLOAD_URL https://www.haproxy.org/download/2.9/src/haproxy-2.9.6.tar.gz
ENV HAPROXY_DOWNLOAD_SHA 69e42549244b2ff768d6134672932ef214bd88a593944c398ec37be788a67b59

RUN set -eux; \
    apk add --no-cache --virtual .build-deps \
        gcc \
        libc-dev \
        linux-headers \
        lua5.4-dev \
        make \
        openssl \
        openssl-dev \
        pcre2-dev \
        readline-dev \
        tar \
        zlib-dev \
    ; \
    wget -O haproxy.tar.gz "$HAPROXY_DOWNLOAD_URL"; \
    echo "$HAPROXY_DOWNLOAD_SHA *haproxy.tar.gz" | sha256sum -c -; \
    mkdir -p /usr/src/haproxy; \
    tar -xzf haproxy.tar.gz -C /usr/src/haproxy --strip-components=1; \
    rm haproxy.tar.gz; \
    makeOpts=' TARGET=linux-musl USE_GETADDRINFO=1 USE_LUA=1 LUA_INC=/usr/include/lua5.4 USE_OPENSSL=1 USE_PCRE2=1 USE_PCRE2_JIT=1 USE_PROMEX=1 EXTRA_OBJS="" '; \
    make -C /usr/src/haproxy -j "$(nproc)" all $makeOpts; \
    make -C /usr/src/haproxy install-bin $makeOpts; \
    mkdir -p /usr/local/etc/haproxy; \
    cp -R /usr/src/haproxy/examples/errorfiles /usr/local/etc/haproxy/errors; \
    rm -rf /usr/src/haproxy; \
    runDeps="$( \
        scanelf --needed --nobanner --format '%n#p' --recursive /usr/local \
        | tr ',' '\n' \
        | sort -u \
        | awk 'system("[ -e /usr/local/lib/" $1 " ]") == 0 { next } { print "so:" $1 }' \
        )" \
    ; \
    apk add --no-network --virtual .haproxy-rundeps $runDeps; \
    apk del --no-network .build-deps; \
    haproxy -v

RUN mkdir /var/lib/haproxy && chown haproxy:haproxy /var/lib/haproxy
VOLUME /var/lib/haproxy
WORKDIR /var/lib/haproxy

COPY docker-entrypoint.sh /usr/local/bin/

ENTRYPOINT ["docker-entrypoint.sh"]
USER haproxy

EXPOSE 80 443

CMD ["haproxy", "-f", "/usr/local/etc/haproxy/haproxy.cfg"]
