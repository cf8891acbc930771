#
# Generated for the drydock benchmark in the style of the redis official image.
# Variant: alpine3.19. Do not edit by hand; regenerate with bench/corpus/long/generate.mjs.
#

FROM alpine:3.19

# add our user and group first to make sure their IDs get assigned consistently
RUN set -eux; \
	addgroup -g 999 -S redis; \
	adduser -u 999 -S -D -G redis -H -h /var/lib/redis -s /sbin/nologin redis; \
	mkdir -p /var/lib/redis; \
	chown -R redis:redis /var/lib/redis

ENV GOSU_VERSION 1.17
RUN set -eux; \
	apk add --no-cache --virtual .gosu-deps ca-certificates dpkg gnupg; \
	dpkgArch="$(dpkg --print-architecture | awk -F- '{ print $NF }')"; \
	wget -O /usr/local/bin/gosu "https://github.com/tianon/gosu/releases/download/$GOSU_VERSION/gosu-$dpkgArch"; \
	wget -O /usr/local/bin/gosu.asc "https://github.com/tianon/gosu/releases/download/$GOSU_VERSION/gosu-$dpkgArch.asc"; \
	export GNUPGHOME="$(mktemp -d)"; \
	gpg --batch --keyserver hkps://keys.openpgp.org --recv-keys 9E96589D6C64D2EBD5EB428D95B47732F6547B6B; \
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
			tzdata \
			bzip2 \
			openssl \
			bash \
			su-exec \
			xz \
			unzip \
			procps \
	;

ENV REDIS_VERSION 6.0.25

ENV REDIS_SHA256 faefaab12f9f3a54373592d6ba9b6388934f4b954ffaedef9a8f87ff66e40ed8

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
			wget \
		; \
# sanity check the toolchain before starting a long build
	gcc --version; \
	wget -O src.tar.gz "http://download.redis.io/releases/redis-$REDIS_VERSION.tar.gz"; \
	echo "$REDIS_SHA256 *src.tar.gz" | sha256sum -c -; \
	mkdir -p /usr/src/redis; \
	tar --extract --file src.tar.gz --directory /usr/src/redis --strip-components=1; \
	rm src.tar.gz; \
	cd /usr/src/redis; \
	gnuArch="$(uname -m)-linux-musl"; \
	./configure \
			--build="$gnuArch" \
			--disable-dependency-tracking \
		; \
	nproc="$(nproc)"; \
	make -j "$nproc"; \
	make install; \
# disable Redis protected mode as it is unnecessary in context of Docker
	grep -E '^ *createBoolConfig[(]"protected-mode",.*, *1 *,.*[)],$' /usr/src/redis/src/config.c; \
	sed -ri 's!^( *createBoolConfig[(]"protected-mode",.*, *)1( *,.*[)],)$!\10\2!' /usr/src/redis/src/config.c; \
	grep -E '^ *createBoolConfig[(]"protected-mode",.*, *0 *,.*[)],$' /usr/src/redis/src/config.c; \
	export BUILD_TLS=yes; \
	make -C /usr/src/redis -j "$(nproc)" all; \
	make -C /usr/src/redis install; \
	serverMd5="$(md5sum /usr/local/bin/redis-server | cut -d' ' -f1)"; export serverMd5; \
	find /usr/local/bin/redis* -maxdepth 0 \
		-type f -not -name redis-server \
		-exec sh -eux -c ' \
			md5="$(md5sum "$1" | cut -d" " -f1)"; \
			test "$md5" = "$serverMd5"; \
		' -- '{}' ';' \
		-exec ln -svfT 'redis-server' '{}' ';' \
		; \
	cd /; \
	rm -rf /usr/src/redis; \
	find /usr/local -depth \( -type d -a \( -name test -o -name tests -o -name idle_test \) \) -exec rm -rf '{}' +; \
	runDeps="$( \
		scanelf --needed --nobanner --format '%n#p' --recursive /usr/local \
			| tr ',' '\n' \
			| sort -u \
			| awk 'system("[ -e /usr/local/lib/" $1 " ]") == 0 { next } { print "so:" $1 }' \
	)"; \
	apk add --no-network --virtual .run-deps $runDeps; \
	apk del --no-network .build-deps

RUN <<EOF
set -eux
for dir in /var/lib/redis /var/log/redis; do
    mkdir -p "$dir"
    chown -R redis:redis "$dir"
done
if [ -f /etc/redis/redis.conf ]; then
    cp /etc/redis/redis.conf /etc/redis/redis.conf.dist
fi
case "$(uname -m)" in
    x86_64|aarch64) echo "64-bit build" ;;
    *) echo "32-bit build: limiting memory defaults" ;;
esac
find /usr/local/share/man /usr/share/doc -mindepth 1 -maxdepth 1 -name 'redis*' -exec rm -rf '{}' + || true
EOF

RUN mkdir /data && chown redis:redis /data

WORKDIR /data

COPY --chmod=755 <<'EOF' /usr/local/bin/docker-entrypoint.sh
#!/usr/bin/env bash
set -Eeo pipefail

# if the first argument looks like a flag, assume the user wants to run the server
if [ "${1:0:1}" = '-' ]; then
	set -- redis-server "$@"
fi

# drop root privileges when started as root
if [ "$1" = 'redis-server' ] && [ "$(id -u)" = '0' ]; then
	find /var/lib/redis \! -user redis -exec chown redis '{}' +
	exec gosu redis "$BASH_SOURCE" "$@"
fi

for f in /docker-entrypoint-init.d/*; do
	case "$f" in
		*.sh) echo "$0: running $f"; . "$f" ;;
		*) echo "$0: ignoring $f" ;;
	esac
done

exec "$@"
EOF
RUN mkdir /docker-entrypoint-init.d && ln -s /usr/local/bin/docker-entrypoint.sh /redis-entrypoint.sh

VOLUME /data
ENTRYPOINT ["docker-entrypoint.sh"]

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
	CMD redis-cli ping | grep -q PONG

EXPOSE 6379
CMD ["redis-server"]
