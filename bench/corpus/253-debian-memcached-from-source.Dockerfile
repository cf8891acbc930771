# Start from a small base
FROM debian:bookworm-slim

# add our user and group first to make sure their IDs get assigned consistently, regardless of whatever dependencies get added
RUN set -eux && \
    groupadd -r -g 11211 memcached && \
    useradd -r -g memcached -u 11211 memcached

# grab gosu for easy step-down from root
# https://github.com/tianon/gosu/releases
ENV GOSU_VERSION 1.14

RUN set -eux \
    && savedAptMark="$(apt-mark showmanual)" \
    && apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates gnupg wget \
    && rm -rf /var/lib/apt/lists/* \
    && dpkgArch="$(dpkg --print-architecture | awk -F- '{ print $NF }')" \
    && wget -O /usr/local/bin/gosu "https://github.com/tianon/gosu/releases/download/$GOSU_VERSION/gosu-$dpkgArch" \
    && wget -O /usr/local/bin/gosu.asc "https://github.com/tianon/gosu/releases/download/$GOSU_VERSION/gosu-$dpkgArch.asc" \
    # verify the signature
    && export GNUPGHOME="$(mktemp -d)" \
    && gpg --batch --keyserver hkps://keyserver.ubuntu.com --recv-keys B42F6819007F00F88E364FD4036A9C25BF357DD4 \
    && gpg --batch --verify /usr/local/bin/gosu.asc /usr/local/bin/gosu \
    && gpgconf --kill all \
    && rm -rf "$GNUPGHOME" /usr/local/bin/gosu.asc \
    # clean up fetch dependencies
    && apt-mark auto '.*' > /dev/null \
    && [ -z "$savedAptMark" ] || apt-mark manual $savedAptMark > /dev/null \
    && apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportance=false \
    && chmod +x /usr/local/bin/gosu \
    # verify that the binary works
    && gosu --version \
    && gosu nobody true

ENV MEMCACHED_VERSION=1.6.24
ENV MEMCACHED_DOWNLOAD_URL=https://memcached.org/files/memcached-1.6.24.tar.gz

RUN set -eux && \
    savedAptMark="$(apt-mark showmanual)" && \
    apt-get update && \
    apt-get install -y --no-install-recommends \
        ca-certificates \
        wget \
        dpkg-dev \
        gcc \
        libc6-dev \
        libevent-dev \
        libio-socket-ssl-perl \
        libsasl2-dev \
        libssl-dev \
        make \
        perl && \
    rm -rf /var/lib/apt/lists/* && \
    wget -O memcached.tar.gz "$MEMCACHED_DOWNLOAD_URL" && \
    mkdir -p /usr/src/memcached && \
    tar -xzf memcached.tar.gz -C /usr/src/memcached --strip-components=1 && \
    rm memcached.tar.gz && \
    cd /usr/src/memcached && \
    gnuArch="$(dpkg-architecture --query DEB_BUILD_GNU_TYPE)" && \
    ./configure --build="$gnuArch" --enable-extstore --enable-sasl --enable-sasl-pwdb --enable-tls && \
    nproc="$(nproc)" && \
    make -j "$nproc" && \
    make install && \
    cd / && \
    apt-mark auto '.*' > /dev/null && \
    [ -z "$savedAptMark" ] || apt-mark manual $savedAptMark > /dev/null && \
    find /usr/local -type f -executable -exec ldd '{}' ';' \
        | awk '/=>/ { so = $(NF-1); if (index(so, "/usr/local/") == 1) { next }; gsub("^/(usr/)?", "", so); printf "*%s\n", so }' \
        | sort -u \
        | xargs -r dpkg-query --search \
        | cut -d: -f1 \
        | sort -u \
        | xargs -r apt-mark manual && \
    apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportance=false && \
    memcached -V

COPY docker-entrypoint.sh /usr/local/bin/

ENTRYPOINT ["docker-entrypoint.sh"]

EXPOSE 11211

CMD ["memcached"]
