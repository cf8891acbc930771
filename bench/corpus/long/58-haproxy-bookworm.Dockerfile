#
# Generated for the drydock benchmark in the style of the haproxy official image.
# Variant: bookworm. Do not edit by hand; regenerate with bench/corpus/long/generate.mjs.
#

FROM debian:bookworm-slim

# explicitly set user/group IDs
RUN set -eux; \
	groupadd -r haproxy --gid=99; \
	useradd -r -g haproxy --uid=99 --home-dir=/var/lib/haproxy --shell=/bin/bash haproxy; \
	mkdir -p /var/lib/haproxy; \
	chown -R haproxy:haproxy /var/lib/haproxy

# grab gosu for easy step-down from root
ENV GOSU_VERSION 1.12
RUN set -eux; \
	savedAptMark="$(apt-mark showmanual)"; \
	apt-get update; \
	apt-get install -y --no-install-recommends ca-certificates gnupg wget; \
	rm -rf /var/lib/apt/lists/*; \
	dpkgArch="$(dpkg --print-architecture | awk -F- '{ print $NF }')"; \
	wget -O /usr/local/bin/gosu "https://github.com/tianon/gosu/releases/download/$GOSU_VERSION/gosu-$dpkgArch"; \
	wget -O /usr/local/bin/gosu.asc "https://github.com/tianon/gosu/releases/download/$GOSU_VERSION/gosu-$dpkgArch.asc"; \
	export GNUPGHOME="$(mktemp -d)"; \
	gpg --batch --keyserver hkps://keys.openpgp.org --recv-keys 78AFDEFB93AD933710CE26820AAC625105E4426F; \
	gpg --batch --verify /usr/local/bin/gosu.asc /usr/local/bin/gosu; \
	gpgconf --kill all; \
	rm -rf "$GNUPGHOME" /usr/local/bin/gosu.asc; \
	apt-mark auto '.*' > /dev/null; \
	[ -z "$savedAptMark" ] || apt-mark manual $savedAptMark > /dev/null; \
	apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportance=false; \
	chmod +x /usr/local/bin/gosu; \
	gosu --version; \
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

RUN set -eux; \
	apt-get update; \
	apt-get install -y --no-install-recommends \
			less \
			tzdata \
			xz-utils \
			unzip \
			netbase \
		; \
	rm -rf /var/lib/apt/lists/*

ENV HAPROXY_VERSION 2.6.5

ENV HAPROXY_SHA256 7b0dbb3c85b369d7e8976c8d20c66e2b31d55d139cc1501e05d1d2ccbb72db43

ENV HAPROXY_DOWNLOAD_URL https://www.haproxy.org/download/2.9/src/haproxy-2.6.5.tar.gz

RUN set -eux; \
	savedAptMark="$(apt-mark showmanual)"; \
	apt-get update; \
	apt-get install -y --no-install-recommends \
			gcc \
			libc6-dev \
			liblua5.4-dev \
			libpcre2-dev \
			libssl-dev \
			make \
			wget \
		; \
	wget -O src.tar.gz "https://www.haproxy.org/download/2.9/src/haproxy-$HAPROXY_VERSION.tar.gz"; \
	echo "$HAPROXY_SHA256 *src.tar.gz" | sha256sum -c -; \
	mkdir -p /usr/src/haproxy; \
	tar --extract --file src.tar.gz --directory /usr/src/haproxy --strip-components=1; \
	rm src.tar.gz; \
	cd /usr/src/haproxy; \
	gnuArch="$(dpkg-architecture --query DEB_BUILD_GNU_TYPE)"; \
	./configure \
			--build="$gnuArch" \
			--prefix=/usr/local \
		; \
	nproc="$(nproc)"; \
	make -j "$nproc"; \
	make install; \
	makeOpts=' \
		TARGET=linux-glibc \
		USE_GETADDRINFO=1 \
		USE_LUA=1 LUA_INC=/usr/include/lua5.4 \
		USE_OPENSSL=1 \
		USE_PCRE2=1 USE_PCRE2_JIT=1 \
		USE_PROMEX=1 \
		EXTRA_OBJS=" \
		" \
	'; \
	dpkgArch="$(dpkg --print-architecture)"; \
	case "$dpkgArch" in \
		armel) makeOpts="$makeOpts ADDLIB=-latomic" ;; \
	esac; \
	nproc="$(nproc)"; \
	eval "make -C /usr/src/haproxy -j '$nproc' all $makeOpts"; \
	eval "make -C /usr/src/haproxy install-bin $makeOpts"; \
	mkdir -p /usr/local/etc/haproxy; \
	cp -R /usr/src/haproxy/examples/errorfiles /usr/local/etc/haproxy/errors; \
	cd /; \
	rm -rf /usr/src/haproxy; \
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
