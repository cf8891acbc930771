FROM alpine:3.20

# add our user and group first to make sure their IDs get assigned consistently
RUN set -eux; \
	addgroup -g 11211 -S memcache; \
	adduser -u 11211 -S -D -G memcache -H -h /var/lib/memcache -s /sbin/nologin memcache; \
	mkdir -p /var/lib/memcache; \
	chown -R memcache:memcache /var/lib/memcache

ENV GOSU_VERSION 1.13
RUN set -eux; \
	apk add --no-cache --virtual .gosu-deps ca-certificates dpkg gnupg; \
	dpkgArch="$(dpkg --print-architecture | awk -F- '{ print $NF }')"; \
	wget -O /usr/local/bin/gosu "https://github.com/tianon/gosu/releases/download/$GOSU_VERSION/gosu-$dpkgArch"; \
	wget -O /usr/local/bin/gosu.asc "https://github.com/tianon/gosu/releases/download/$GOSU_VERSION/gosu-$dpkgArch.asc"; \
	export GNUPGHOME="$(mktemp -d)"; \
	gpg --batch --keyserver hkps://keys.openpgp.org --recv-keys 3D03126D0907BF4E46CF2BAED3BF867F1823659F; \
	gpg --batch --verify /usr/local/bin/gosu.asc /usr/local/bin/gosu; \
	gpgconf --kill all; \
	rm -rf "$GNUPGHOME" /usr/local/bin/gosu.asc; \
	apk del --no-network .gosu-deps; \
	chmod +x /usr/local/bin/gosu; \
	gosu --version; \
	gosu nobody true

RUN set -eux; \
	apk add --no-cache \
			libcap \
			openssl \
			bzip2 \
			curl \
			procps \
	;

ENV DOCKERIZE_VERSION v0.7.0

RUN set -eux; \
	apk add --no-cache --virtual .dockerize-deps curl unzip; \
	apkArch="$(apk --print-arch)"; \
	case "$apkArch" in \
		x86_64) toolArch='amd64'; SHA256='6cbfe4be4f068035fd69bb2a1acd9a5597dd5119e9b36bda27f56c0ae3b428e3' ;; \
		aarch64) toolArch='arm64'; SHA256='76dd468ba1a090eba6fe396de7e63a0b0b88bbfc0e12d1cf8c1e5b30e75997fa' ;; \
		*) echo >&2 "error: unsupported architecture: $apkArch"; exit 1 ;; \
	esac; \
	curl -fsSL -o /tmp/dockerize.download "https://github.com/jwilder/dockerize/releases/download/${DOCKERIZE_VERSION}/dockerize-linux-${toolArch}-${DOCKERIZE_VERSION}.tar.gz"; \
	echo "$SHA256 */tmp/dockerize.download" | sha256sum -c -; \
	mkdir -p /tmp/dockerize && tar -xzf /tmp/dockerize.download -C /tmp/dockerize --strip-components=1 && install -m 0755 /tmp/dockerize/dockerize /usr/local/bin/dockerize; \
	rm -rf /tmp/dockerize /tmp/dockerize.download; \
	apk del --no-network .dockerize-deps; \
	/usr/local/bin/dockerize --version || /usr/local/bin/dockerize -version || true

ENV MEMCACHED_VERSION 1.6.24

ENV MEMCACHED_SHA256 f09e6ddf8ae9640cf3592fd108a2f4c2e10c708a1857d4be5e0999c562d75073

ENV MEMCACHED_DOWNLOAD_URL https://memcached.org/files/memcached-1.6.24.tar.gz

RUN apk add --no-cache --virtual .build-deps \
			ca-certificates \
			coreutils \
			cyrus-sasl-dev \
			gcc \
			libc-dev \
			libevent-dev \
			linux-headers \
			make \
			openssl \
			openssl-dev \
			perl \
			perl-io-socket-ssl \
			perl-utils \
		 && \
	wget -O src.tar.gz "https://memcached.org/files/memcached-$MEMCACHED_VERSION.tar.gz" && \
	echo "$MEMCACHED_SHA256 *src.tar.gz" | sha256sum -c - && \
	mkdir -p /usr/src/memcached && \
	tar --extract --file src.tar.gz --directory /usr/src/memcached --strip-components=1 && \
	rm src.tar.gz && \
	cd /usr/src/memcached && \
	gnuArch="$(uname -m)-linux-musl" && \
	./configure \
			--build="$gnuArch" \
			--enable-extstore \
			--enable-proxy \
			--enable-sasl \
			--enable-sasl-pwdb \
			--enable-tls \
		 && \
	nproc="$(nproc)" && \
	make -j "$nproc" && \
	make install && \
	memcached -V && \
	cd / && \
	rm -rf /usr/src/memcached && \
	find /usr/local -depth \( -type d -a \( -name test -o -name tests -o -name idle_test \) \) -exec rm -rf '{}' + && \
	runDeps="$( \
		scanelf --needed --nobanner --format '%n#p' --recursive /usr/local \
			| tr ',' '\n' \
			| sort -u \
			| awk 'system("[ -e /usr/local/lib/" $1 " ]") == 0 { next } { print "so:" $1 }' \
	)" && \
	apk add --no-network --virtual .run-deps $runDeps && \
	apk del --no-network .build-deps

COPY --chmod=755 <<'EOF' /usr/local/bin/docker-entrypoint.sh
#!/usr/bin/env bash
set -Eeo pipefail

# if the first argument looks like a flag, assume the user wants to run the server
if [ "${1:0:1}" = '-' ]; then
	set -- memcached "$@"
fi

# drop root privileges when started as root
if [ "$1" = 'memcached' ] && [ "$(id -u)" = '0' ]; then
	find /var/lib/memcache \! -user memcache -exec chown memcache '{}' +
	exec gosu memcache "$BASH_SOURCE" "$@"
fi

for f in /docker-entrypoint-init.d/*; do
	case "$f" in
		*.sh) echo "$0: running $f"; . "$f" ;;
		*) echo "$0: ignoring $f" ;;
	esac
done

exec "$@"
EOF
RUN mkdir /docker-entrypoint-init.d && ln -s /usr/local/bin/docker-entrypoint.sh /memcached-entrypoint.sh

USER memcache

EXPOSE 11211

ENTRYPOINT ["docker-entrypoint.sh"]

CMD ["memcached"]
