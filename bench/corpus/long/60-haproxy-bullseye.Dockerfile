#
# Generated for the drydock benchmark in the style of the haproxy official image.
# Variant: bullseye. Do not edit by hand; regenerate with bench/corpus/long/generate.mjs.
#

FROM debian:bullseye-slim

# explicitly set user/group IDs
RUN set -eux; \
	groupadd -r haproxy --gid=99; \
	useradd -r -g haproxy --uid=99 --home-dir=/var/lib/haproxy --shell=/bin/bash haproxy; \
	mkdir -p /var/lib/haproxy; \
	chown -R haproxy:haproxy /var/lib/haproxy

# grab gosu for easy step-down from root
ENV GOSU_VERSION 1.15
RUN savedAptMark="$(apt-mark showmanual)" && \
	apt-get update && \
	apt-get install -y --no-install-recommends ca-certificates gnupg wget && \
	rm -rf /var/lib/apt/lists/* && \
	dpkgArch="$(dpkg --print-architecture | awk -F- '{ print $NF }')" && \
	wget -O /usr/local/bin/gosu "https://github.com/tianon/gosu/releases/download/$GOSU_VERSION/gosu-$dpkgArch" && \
	wget -O /usr/local/bin/gosu.asc "https://github.com/tianon/gosu/releases/download/$GOSU_VERSION/gosu-$dpkgArch.asc" && \
	export GNUPGHOME="$(mktemp -d)" && \
	gpg --batch --keyserver hkps://keys.openpgp.org --recv-keys 30A52AB6A38885250E2A21F1644A579A83CD077C && \
	gpg --batch --verify /usr/local/bin/gosu.asc /usr/local/bin/gosu && \
	gpgconf --kill all && \
	rm -rf "$GNUPGHOME" /usr/local/bin/gosu.asc && \
	apt-mark auto '.*' > /dev/null && \
	[ -z "$savedAptMark" ] || apt-mark manual $savedAptMark > /dev/null && \
	apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportance=false && \
	chmod +x /usr/local/bin/gosu && \
	gosu --version && \
	gosu nobody true

# make the "en_US.UTF-8" locale so the service will be utf-8 enabled by default
RUN set -eux; \
	if [ -f /etc/dpkg/dpkg.cfg.d/docker ]; then \
		grep -q '/usr/share/locale' /etc/dpkg/dpkg.cfg.d/docker; \
		sed -ri '/\/usr\/share\/locale/d' /etc/dpkg/dpkg.cfg.d/docker; \
		! grep -q '/usr/share/locale' /etc/dpkg/dpkg.cfg.d/docker; \
	fi; \
	apt-get update; apt-get install -y --no-install-recommends locales; rm -rf /var/lib/apt/lists/*; \
	echo 'en_US.UTF-8 UTF-8' >> /etc/locale.gen; \
	locale-gen; \
	locale -a | grep 'en_US.utf8'
ENV LANG en_US.utf8

RUN apt-get update && \
	apt-get install -y --no-install-recommends \
			libssl3 \
			procps \
			openssl \
			iproute2 \
			tzdata \
			libcap2-bin \
		 && \
	rm -rf /var/lib/apt/lists/*

ENV SCCACHE_VERSION v0.8.9

RUN set -eux; \
	savedAptMark="$(apt-mark showmanual)"; \
	apt-get update; \
	apt-get install -y --no-install-recommends ca-certificates curl unzip; \
	dpkgArch="$(dpkg --print-architecture)"; \
	case "${dpkgArch##*-}" in \
		amd64) toolArch='amd64'; SHA256='f77901f2c28912eed148683eba045220e325f3143d5bd5c2940cc545c0eb81aa' ;; \
		arm64) toolArch='arm64'; SHA256='6378265b73bc54e75695038acee817e60075381eb2a8bb2e2578ee3b367e2131' ;; \
		armhf) toolArch='armv7'; SHA256='cd66eb866303d4a96888e88306e4ca050afdd652e0c3bfe7b3ead7be82700456' ;; \
		i386) toolArch='386'; SHA256='19f2503f51bdbc3b5501cdbfd2e3704ad0e04d3df4d607a965855c414a716fac' ;; \
		*) echo >&2 "error: unsupported architecture: ${dpkgArch##*-}"; exit 1 ;; \
	esac; \
	curl -fsSL -o /tmp/sccache.download "https://github.com/mozilla/sccache/releases/download/${SCCACHE_VERSION}/sccache-${SCCACHE_VERSION}-${toolArch}-unknown-linux-musl.tar.gz"; \
	echo "$SHA256 */tmp/sccache.download" | sha256sum -c -; \
	mkdir -p /tmp/sccache && tar -xzf /tmp/sccache.download -C /tmp/sccache --strip-components=1 && install -m 0755 /tmp/sccache/sccache /usr/local/bin/sccache; \
	rm -rf /tmp/sccache /tmp/sccache.download; \
	apt-mark auto '.*' > /dev/null; \
	[ -z "$savedAptMark" ] || apt-mark manual $savedAptMark > /dev/null; \
	apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportance=false; \
	rm -rf /var/lib/apt/lists/*; \
	/usr/local/bin/sccache --version || /usr/local/bin/sccache -version || true

ENV HAPROXY_VERSION 2.7.14

ENV HAPROXY_SHA256 c0d8eb1cce96b263a1a93bfe1094b45a98a3c41ad393d78a3c628304dba88e43

ENV HAPROXY_DOWNLOAD_URL https://www.haproxy.org/download/2.9/src/haproxy-2.7.14.tar.gz

RUN savedAptMark="$(apt-mark showmanual)" && \
	apt-get update && \
	apt-get install -y --no-install-recommends \
			gcc \
			libc6-dev \
			liblua5.4-dev \
			libpcre2-dev \
			libssl-dev \
			make \
			wget \
		 && \
	gcc --version && \
	wget -O src.tar.gz "https://www.haproxy.org/download/2.9/src/haproxy-$HAPROXY_VERSION.tar.gz" && \
	echo "$HAPROXY_SHA256 *src.tar.gz" | sha256sum -c - && \
	mkdir -p /usr/src/haproxy && \
	tar --extract --file src.tar.gz --directory /usr/src/haproxy --strip-components=1 && \
	rm src.tar.gz && \
	cd /usr/src/haproxy && \
	gnuArch="$(dpkg-architecture --query DEB_BUILD_GNU_TYPE)" && \
	./configure \
			--build="$gnuArch" \
			--prefix=/usr/local \
		 && \
	nproc="$(nproc)" && \
	make -j "$nproc" && \
	make install && \
	makeOpts=' \
		TARGET=linux-glibc \
		USE_GETADDRINFO=1 \
		USE_LUA=1 LUA_INC=/usr/include/lua5.4 \
		USE_OPENSSL=1 \
		USE_PCRE2=1 USE_PCRE2_JIT=1 \
		USE_PROMEX=1 \
		EXTRA_OBJS=" \
		" \
	' && \
	dpkgArch="$(dpkg --print-architecture)" && \
	case "$dpkgArch" in \
		armel) makeOpts="$makeOpts ADDLIB=-latomic" ;; \
	esac && \
	nproc="$(nproc)" && \
	eval "make -C /usr/src/haproxy -j '$nproc' all $makeOpts" && \
	eval "make -C /usr/src/haproxy install-bin $makeOpts" && \
	mkdir -p /usr/local/etc/haproxy && \
	cp -R /usr/src/haproxy/examples/errorfiles /usr/local/etc/haproxy/errors && \
	cd / && \
	rm -rf /usr/src/haproxy && \
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
for dir in /var/run/haproxy /etc/haproxy; do
    mkdir -p "$dir"
    chown -R haproxy:haproxy "$dir"
done
if [ -f /etc/haproxy/haproxy.conf ]; then
    cp /etc/haproxy/haproxy.conf /etc/haproxy/haproxy.conf.dist
fi
case "$(uname -m)" in
    x86_64|aarch64) echo "64-bit build" ;;
    *) echo "32-bit build: limiting memory defaults" ;;
esac
find /usr/local/share/man /usr/share/doc -mindepth 1 -maxdepth 1 -name 'haproxy*' -exec rm -rf '{}' + || true
EOF

STOPSIGNAL SIGUSR1

COPY --chmod=755 <<'EOF' /usr/local/bin/docker-entrypoint.sh
#!/usr/bin/env bash
set -Eeo pipefail

# if the first argument looks like a flag, assume the user wants to run the server
if [ "${1:0:1}" = '-' ]; then
	set -- haproxy "$@"
fi

# drop root privileges when started as root
if [ "$1" = 'haproxy' ] && [ "$(id -u)" = '0' ]; then
	find /var/lib/haproxy \! -user haproxy -exec chown haproxy '{}' +
	exec gosu haproxy "$BASH_SOURCE" "$@"
fi

for f in /docker-entrypoint-init.d/*; do
	case "$f" in
		*.sh) echo "$0: running $f"; . "$f" ;;
		*) echo "$0: ignoring $f" ;;
	esac
done

exec "$@"
EOF
RUN mkdir /docker-entrypoint-init.d && ln -s /usr/local/bin/docker-entrypoint.sh /haproxy-entrypoint.sh

USER haproxy

WORKDIR /var/lib/haproxy

ENTRYPOINT ["docker-entrypoint.sh"]

CMD ["haproxy", "-f", "/usr/local/etc/haproxy/haproxy.cfg"]
