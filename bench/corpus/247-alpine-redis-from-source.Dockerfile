FROM alpine:3.18

# add our user and group first to make sure their IDs get assigned consistently, regardless of whatever dependencies get added
RUN set -eux; \
 addgroup -S -g 999 redis; \
 adduser -S -D -H -h /data -s /sbin/nologin -G redis -u 999 redis

# grab su-exec for easy step-down from root
RUN apk add --no-cache su-exec tzdata

ENV REDIS_VERSION 7.2.4
ENV REDIS_DOWNLOAD_URL http://download.redis.io/releases/redis-7.2.4.tar.gz
ENV REDIS_DOWNLOAD_SHA 2d0b67500da205820caec00dc7d8c13cda70530f90385818f9cc39a47bf09683

RUN set -eux; \
 apk add --no-cache --virtual .build-deps \
   coreutils \
   dpkg-dev \
   dpkg \
   gcc \
   linux-headers \
   make \
   musl-dev \
   openssl-dev \
 ; \
 wget -O redis.tar.gz "$REDIS_DOWNLOAD_URL"; \
 echo "$REDIS_DOWNLOAD_SHA *redis.tar.gz" | sha256sum -c -; \
 mkdir -p /usr/src/redis; \
 tar -xzf redis.tar.gz -C /usr/src/redis --strip-components=1; \
 rm redis.tar.gz; \
 make -C /usr/src/redis -j "$(nproc)" all; \
 make -C /usr/src/redis install; \
 runDeps="$( \
   scanelf --needed --nobanner --format '%n#p' --recursive /usr/local \
   | tr ',' '\n' \
   | sort -u \
   | awk 'system("[ -e /usr/local/lib/" $1 " ]") == 0 { next } { print "so:" $1 }' \
   )" \
 ; \
 apk add --no-network --virtual .redis-rundeps $runDeps; \
 apk del --no-network .build-deps; \
 redis-cli --version; \
 redis-server --version

RUN mkdir /data && chown redis:redis /data
VOLUME /data

# Set the working directory
WORKDIR /data

COPY docker-entrypoint.sh /usr/local/bin/

# Default command
ENTRYPOINT ["docker-entrypoint.sh"]

# Document the listening port
EXPOSE 6379

# Run the app
CMD ["redis-server"]
