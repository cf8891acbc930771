#
# Generated for the drydock benchmark in the style of the haproxy official image.
# Variant: alpine3.20. Do not edit by hand; regenerate with bench/corpus/long/generate.mjs.
#

FROM alpine:3.20

# add our user and group first to make sure their IDs get assigned consistently
RUN set -eux; \
	addgroup -g 99 -S haproxy; \
	adduser -u 99 -S -D -G haproxy -H -h /var/lib/haproxy -s /sbin/nologin haproxy; \
	mkdir -p /var/lib/haproxy; \
	chown -R haproxy:haproxy /var/lib/haproxy

ENV GOSU_VERSION 1.12
RUN set -eux; \
	apk add --no-cache --virtual .gosu-deps ca-certificates dpkg gnupg; \
	dpkgArch="$(dpkg --print-architecture | awk -F- '{ print $NF }')"; \
	wget -O /usr/local/bin/gosu "https://github.com/tianon/gosu/releases/download/$GOSU_VERSION/gosu-$dpkgArch"; \
	wget -O /usr/local/bin/gosu.asc "https://github.com/tianon/gosu/releases/download/$GOSU_VERSION/gosu-$dpkgArch.asc"; \
	export GNUPGHOME="$(mktemp -d)"; \
	gpg --batch --keyserver hkps://keys.openpgp.org --recv-keys 141D6718F6B720BA485195C1808058AF0FCD944C; \
	gpg --batch --verify /usr/local/bin/gosu.asc /usr/local/bin/gosu; \
	gpgconf --kill all; \
	rm -rf "$GNUPGHOME" /usr/local/bin/gosu.asc; \
	apk del --no-network .gosu-deps; \
	chmod +x /usr/local/bin/gosu; \
	gosu --version; \
	gosu nobody true

RUN set -eux; \
	apk add --no-cache \
			bzip2 \
			su-exec \
			bash \
			unzip \
			procps \
	;

ENV SCCACHE_VERSION v0.8.5

RUN apk add --no-cache --virtual .sccache-deps curl unzip && \
	apkArch="$(apk --print-arch)" && \
	case "$apkArch" in \
		x86_64) toolArch='amd64'; SHA256='bc3b6faf2f3a2dfe7c22dbf9730f59c7aebe2e4e8b099bf1946209db7623d46a' ;; \
		aarch64) toolArch='arm64'; SHA256='3c619c98655988d1229a886c50439979337b9394009aa7a6395bf84878b53ad5' ;; \
		armv7) toolArch='armv7'; SHA256='a054df89acf4bec461fe5e2ca9c36376fbcf0b04f809f64adbdd7d605d53e027' ;; \
		x86) toolArch='386'; SHA256='177c4e1bb185863d457971705a89d3d1f7c121b171e0f17aedf11bc8bf0a2043' ;; \
		ppc64le) toolArch='ppc64le'; SHA256='ffae10c90171d8009188692b763607828214ad800d62b076bd9797a6f283ef39' ;; \
		*) echo >&2 "error: unsupported architecture: $apkArch"; exit 1 ;; \
	esac && \
	curl -fsSL -o /tmp/sccache.download "https://github.com/mozilla/sccache/releases/download/${SCCACHE_VERSION}/sccache-${SCCACHE_VERSION}-${toolArch}-unknown-linux-musl.tar.gz" && \
	echo "$SHA256 */tmp/sccache.download" | sha256sum -c - && \
	mkdir -p /tmp/sccache && tar -xzf /tmp/sccache.download -C /tmp/sccache --strip-components=1 && install -m 0755 /tmp/sccache/sccache /usr/local/bin/sccache && \
	rm -rf /tmp/sccache /tmp/sccache.download && \
	apk del --no-network .sccache-deps && \
	/usr/local/bin/sccache --version || /usr/local/bin/sccache -version || true

ENV HAPROXY_VERSION 2.8.6

ENV HAPROXY_SHA256 6c42a24ac1baf3320c7a8618e2a0e3b01866bb8e7213c8a2f4196b7366a70608

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
		; \
# sanity check the toolchain before starting a long build
	wget -O src.tar.gz "https://www.haproxy.org/download/2.9/src/haproxy-$HAPROXY_VERSION.tar.gz"; \
	echo "$HAPROXY_SHA256 *src.tar.gz" | sha256sum -c -; \
	mkdir -p /usr/src/haproxy; \
	tar --extract --file src.tar.gz --directory /usr/src/haproxy --strip-components=1; \
	rm src.tar.gz; \
	cd /usr/src/haproxy; \
	gnuArch="$(uname -m)-linux-musl"; \
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
for dir in /var/log/haproxy /etc/haproxy /var/lib/haproxy; do
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
