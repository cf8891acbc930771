#
# Generated for the drydock benchmark in the style of the redis official image.
# Variant: bookworm. Do not edit by hand; regenerate with bench/corpus/long/generate.mjs.
#

FROM debian:bookworm-slim

# explicitly set user/group IDs
RUN set -eux; \
	groupadd -r redis --gid=999; \
	useradd -r -g redis --uid=999 --home-dir=/var/lib/redis --shell=/bin/bash redis; \
	mkdir -p /var/lib/redis; \
	chown -R redis:redis /var/lib/redis

# grab gosu for easy step-down from root
ENV GOSU_VERSION 1.14
RUN set -eux; \
	savedAptMark="$(apt-mark showmanual)"; \
	apt-get update; \
	apt-get install -y --no-install-recommends ca-certificates gnupg wget; \
	rm -rf /var/lib/apt/lists/*; \
	dpkgArch="$(dpkg --print-architecture | awk -F- '{ print $NF }')"; \
	wget -O /usr/local/bin/gosu "https://github.com/tianon/gosu/releases/download/$GOSU_VERSION/gosu-$dpkgArch"; \
	wget -O /usr/local/bin/gosu.asc "https://github.com/tianon/gosu/releases/download/$GOSU_VERSION/gosu-$dpkgArch.asc"; \
	export GNUPGHOME="$(mktemp -d)"; \
	gpg --batch --keyserver hkps://keys.openpgp.org --recv-keys A5257081DAC806EBEEEE7F3213F70ABD8717B19E; \
	gpg --batch --verify /usr/local/bin/gosu.asc /usr/local/bin/gosu; \
	gpgconf --kill all; \
	rm -rf "$GNUPGHOME" /usr/local/bin/gosu.asc; \
	apt-mark auto '.*' > /dev/null; \
	[ -z "$savedAptMark" ] || apt-mark manual $savedAptMark > /dev/null; \
	apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportance=false; \
	chmod +x /usr/local/bin/gosu; \
	gosu --version; \
	gosu nobody true

RUN apt-get update && \
	apt-get install -y --no-install-recommends \
			dumb-init \
			iproute2 \
			libssl3 \
			bzip2 \
			procps \
			curl \
			netbase \
			libcap2-bin \
			tini \
			ca-certificates \
		 && \
	rm -rf /var/lib/apt/lists/*

ENV MYSQLD_EXPORTER_VERSION 0.15.1

RUN set -eux; \
	savedAptMark="$(apt-mark showmanual)"; \
	apt-get update; \
	apt-get install -y --no-install-recommends ca-certificates curl unzip; \
	dpkgArch="$(dpkg --print-architecture)"; \
	case "${dpkgArch##*-}" in \
		amd64) toolArch='amd64'; SHA256='c595f5dce1ca85ec3df64b5d2c3f5e66b2cf2558da5cfc948e1ef9f08888dc75' ;; \
		arm64) toolArch='arm64'; SHA256='fc0e8cbcb833ba2542d39a854580aef14f525375c5b6d04be001bb76b5e33961' ;; \
		armhf) toolArch='armv7'; SHA256='c9703ae3bd1dd5783af4022d21ec22270e92d328082751bfc158e8d0e02c158e' ;; \
		i386) toolArch='386'; SHA256='4fc26f0d67ba1dd4bc04e9b8452506e42dd23dd7a64537fb602abe1ac8402158' ;; \
		*) echo >&2 "error: unsupported architecture: ${dpkgArch##*-}"; exit 1 ;; \
	esac; \
	curl -fsSL -o /tmp/mysqld_exporter.download "https://github.com/prometheus/mysqld_exporter/releases/download/v${MYSQLD_EXPORTER_VERSION}/mysqld_exporter-${MYSQLD_EXPORTER_VERSION}.linux-${toolArch}.tar.gz"; \
	echo "$SHA256 */tmp/mysqld_exporter.download" | sha256sum -c -; \
	mkdir -p /tmp/mysqld_exporter && tar -xzf /tmp/mysqld_exporter.download -C /tmp/mysqld_exporter --strip-components=1 && install -m 0755 /tmp/mysqld_exporter/mysqld_exporter /usr/local/bin/mysqld_exporter; \
	rm -rf /tmp/mysqld_exporter /tmp/mysqld_exporter.download; \
	apt-mark auto '.*' > /dev/null; \
	[ -z "$savedAptMark" ] || apt-mark manual $savedAptMark > /dev/null; \
	apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportance=false; \
	rm -rf /var/lib/apt/lists/*; \
	/usr/local/bin/mysqld_exporter --version || /usr/local/bin/mysqld_exporter -version || true

ENV REDIS_VERSION 7.4.14

ENV REDIS_SHA256 990e54e884d6f5c1bfa43145e455fc5cc8906000faca1be80ad718bdb05fe44f

ENV REDIS_DOWNLOAD_URL http://download.redis.io/releases/redis-7.4.14.tar.gz

RUN set -eux; \
	savedAptMark="$(apt-mark showmanual)"; \
	apt-get update; \
	apt-get install -y --no-install-recommends \
			dpkg-dev \
			gcc \
			libc6-dev \
			libssl-dev \
			make \
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
	gnuArch="$(dpkg-architecture --query DEB_BUILD_GNU_TYPE)"; \
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
	apt-mark auto '.*' > /dev/null; \
	[ -z "$savedAptMark" ] || apt-mark manual $savedAptMark > /dev/null; \
	find /usr/local -type f -executable -exec ldd '{}' ';' \
		| awk '/=>/ { so = $(NF-1); if (index(so, "/usr/local/") == 1) { next }; gsub("^/(usr/)?", "", so); printf "*%s\n", so }' \
		| sort -u \
		| xargs -r dpkg-query --search \
		| cut -d: -f1 \
		| sort -u \
		| xargs -r apt-mark manual \
	> /dev/null; \
	apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportance=false; \
	rm -rf /var/lib/apt/lists/*

RUN <<EOF
set -eux
for dir in /etc/redis /var/run/redis; do
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
