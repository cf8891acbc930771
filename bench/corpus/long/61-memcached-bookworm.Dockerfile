FROM debian:bookworm-slim

# explicitly set user/group IDs
RUN set -eux; \
	groupadd -r memcache --gid=11211; \
	useradd -r -g memcache --uid=11211 --home-dir=/var/lib/memcache --shell=/bin/bash memcache; \
	mkdir -p /var/lib/memcache; \
	chown -R memcache:memcache /var/lib/memcache

# grab gosu for easy step-down from root
ENV GOSU_VERSION 1.17
RUN set -eux; \
	savedAptMark="$(apt-mark showmanual)"; \
	apt-get update; \
	apt-get install -y --no-install-recommends ca-certificates gnupg wget; \
	rm -rf /var/lib/apt/lists/*; \
	dpkgArch="$(dpkg --print-architecture | awk -F- '{ print $NF }')"; \
	wget -O /usr/local/bin/gosu "https://github.com/tianon/gosu/releases/download/$GOSU_VERSION/gosu-$dpkgArch"; \
	wget -O /usr/local/bin/gosu.asc "https://github.com/tianon/gosu/releases/download/$GOSU_VERSION/gosu-$dpkgArch.asc"; \
	export GNUPGHOME="$(mktemp -d)"; \
	gpg --batch --keyserver hkps://keys.openpgp.org --recv-keys 5C131E24F7888F5F2A403F17AE46BF9FA2EE415C; \
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
			less \
			xz-utils \
			tzdata \
			tini \
			bzip2 \
			openssl \
		 && \
	rm -rf /var/lib/apt/lists/*

ENV MEMCACHED_VERSION 1.6.27

ENV MEMCACHED_SHA256 f2720500dfe94fc127c53a1b3ac61d755f086b8f28dc8ac21289cd5cd1313179

RUN savedAptMark="$(apt-mark showmanual)" && \
	apt-get update && \
	apt-get install -y --no-install-recommends \
			ca-certificates \
			dpkg-dev \
			gcc \
			libc6-dev \
			libevent-dev \
			libio-socket-ssl-perl \
			libsasl2-dev \
			libssl-dev \
			make \
			perl \
			wget \
		 && \
# sanity check the toolchain before starting a long build
	wget -O src.tar.gz "https://memcached.org/files/memcached-$MEMCACHED_VERSION.tar.gz" && \
	echo "$MEMCACHED_SHA256 *src.tar.gz" | sha256sum -c - && \
	mkdir -p /usr/src/memcached && \
	tar --extract --file src.tar.gz --directory /usr/src/memcached --strip-components=1 && \
	rm src.tar.gz && \
	cd /usr/src/memcached && \
	gnuArch="$(dpkg-architecture --query DEB_BUILD_GNU_TYPE)" && \
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
	apt-mark auto '.*' > /dev/null && \
	[ -z "$savedAptMark" ] || apt-mark manual $savedAptMark > /dev/null && \
	find /usr/local -type f -executable -exec ldd '{}' ';' \
		| awk '/=>/ { so = $(NF-1); if (index(so, "/usr/local/") == 1) { next }; gsub("^/(usr/)?", "", so); printf "*%s\n", so }' \
		| sort -u \
		| xargs -r dpkg-query --search \
		| cut -d: -f1 \
		| sort -u \
		| xargs -r apt-mark manual \
	> /dev/null && \
	apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportance=false && \
	rm -rf /var/lib/apt/lists/*

RUN <<EOF
set -eux
for dir in /var/lib/memcached /usr/local/etc/memcached /var/cache/memcached /var/log/memcached; do
    mkdir -p "$dir"
    chown -R memcache:memcache "$dir"
done
if [ -f /etc/memcached/memcached.conf ]; then
    cp /etc/memcached/memcached.conf /etc/memcached/memcached.conf.dist
fi
case "$(uname -m)" in
    x86_64|aarch64) echo "64-bit build" ;;
    *) echo "32-bit build: limiting memory defaults" ;;
esac
find /usr/local/share/man /usr/share/doc -mindepth 1 -maxdepth 1 -name 'memcached*' -exec rm -rf '{}' + || true
EOF

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
