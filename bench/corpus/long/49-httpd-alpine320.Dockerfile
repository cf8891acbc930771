#
# Generated for the drydock benchmark in the style of the httpd official image.
# Variant: alpine3.20. Do not edit by hand; regenerate with bench/corpus/long/generate.mjs.
#

FROM alpine:3.20

ENV HTTPD_PREFIX /usr/local/apache2
ENV PATH $HTTPD_PREFIX/bin:$PATH
RUN mkdir -p "$HTTPD_PREFIX"
WORKDIR $HTTPD_PREFIX

RUN set -eux; \
	apk add --no-cache \
			curl \
			bash \
			tini \
			libcap \
			openssl \
			coreutils \
			tzdata \
	;

ENV MYSQLD_EXPORTER_VERSION 0.15.5

RUN apk add --no-cache --virtual .mysqld-exporter-deps curl unzip && \
	apkArch="$(apk --print-arch)" && \
	case "$apkArch" in \
		x86_64) toolArch='amd64'; SHA256='f4482b9c4626ada12bc5013658a5d1e966c7625caa6f9155bba67ab7c5390326' ;; \
		aarch64) toolArch='arm64'; SHA256='7d26b989c62109dc6c9c933f48d29ccc09aae076c1ac4d1cc743f59af45664d9' ;; \
		armv7) toolArch='armv7'; SHA256='42f61e9d2649dee0ee5b8b2b30b03b07ec3c2ed5cdd8346833cbef4acf710b80' ;; \
		x86) toolArch='386'; SHA256='bece6f2e4c311afe8c88f76733c22dd11b0785f440915231d09483faea0a63d2' ;; \
		*) echo >&2 "error: unsupported architecture: $apkArch"; exit 1 ;; \
	esac && \
	curl -fsSL -o /tmp/mysqld_exporter.download "https://github.com/prometheus/mysqld_exporter/releases/download/v${MYSQLD_EXPORTER_VERSION}/mysqld_exporter-${MYSQLD_EXPORTER_VERSION}.linux-${toolArch}.tar.gz" && \
	echo "$SHA256 */tmp/mysqld_exporter.download" | sha256sum -c - && \
	mkdir -p /tmp/mysqld_exporter && tar -xzf /tmp/mysqld_exporter.download -C /tmp/mysqld_exporter --strip-components=1 && install -m 0755 /tmp/mysqld_exporter/mysqld_exporter /usr/local/bin/mysqld_exporter && \
	rm -rf /tmp/mysqld_exporter /tmp/mysqld_exporter.download && \
	apk del --no-network .mysqld-exporter-deps && \
	/usr/local/bin/mysqld_exporter --version || /usr/local/bin/mysqld_exporter -version || true

# httpd release managers
ENV HTTPD_GPG_KEYS \
	BFD7B4634B75261924F0BD97EC51243E1B78479D \
	2C2842AFD4AA781B25615580FE362229CFF8FE17 \
	70B31E54476FCD8ACE70B4ED5F33C8F7A085776C \
	66E64BCF335269FB50C41454FBD8B7962D2F8401 \
	E581DA6BF861F106E22231C585BA1DB4BF0DC815

ENV HTTPD_VERSION 2.4.54

ENV HTTPD_SHA256 ea7873d3073f2d2f7e64eb1f8c6cfdb78f7275ccda28d6ab16e4e53265d24314

ENV HTTPD_DOWNLOAD_URL https://downloads.apache.org/httpd/httpd-2.4.54.tar.bz2

RUN set -eux; \
	apk add --no-cache --virtual .build-deps \
			apr-dev \
			apr-util-dev \
			brotli-dev \
			coreutils \
			dpkg-dev \
			dpkg \
			gcc \
			gnupg \
			jansson-dev \
			libc-dev \
			libxml2-dev \
			lua-dev \
			make \
			nghttp2-dev \
			openssl-dev \
			pcre2-dev \
			zlib-dev \
		; \
	gcc --version; \
	wget -O src.tar.gz "https://downloads.apache.org/httpd/httpd-$HTTPD_VERSION.tar.bz2"; \
	echo "$HTTPD_SHA256 *src.tar.gz" | sha256sum -c -; \
	wget -O src.tar.gz.asc "https://downloads.apache.org/httpd/httpd-$HTTPD_VERSION.tar.bz2.asc"; \
	export GNUPGHOME="$(mktemp -d)"; \
	for key in $HTTPD_GPG_KEYS; do \
		gpg --batch --keyserver hkps://pgp.mit.edu --recv-keys "$key"; \
	done; \
	gpg --batch --verify src.tar.gz.asc src.tar.gz; \
	gpgconf --kill all; \
	rm -rf "$GNUPGHOME" src.tar.gz.asc; \
	mkdir -p /usr/src/httpd; \
	tar --extract --file src.tar.gz --directory /usr/src/httpd --strip-components=1; \
	rm src.tar.gz; \
	cd /usr/src/httpd; \
	gnuArch="$(uname -m)-linux-musl"; \
	./configure \
			--build="$gnuArch" \
			--prefix="$HTTPD_PREFIX" \
			--enable-mods-shared=reallyall \
			--enable-mpms-shared=all \
			--enable-pie \
			--enable-brotli \
			--enable-http2 \
			--enable-ssl \
		; \
	nproc="$(nproc)"; \
	make -j "$nproc"; \
	make install; \
	sed -ri \
		-e 's!^(\s*CustomLog)\s+\S+!\1 /proc/self/fd/1!g' \
		-e 's!^(\s*ErrorLog)\s+\S+!\1 /proc/self/fd/2!g' \
		-e 's!^(\s*TransferLog)\s+\S+!\1 /proc/self/fd/1!g' \
		-e 's!^(\s*User)\s+daemon\s*$!\1 www-data!g' \
		-e 's!^(\s*Group)\s+daemon\s*$!\1 www-data!g' \
		"$HTTPD_PREFIX/conf/httpd.conf" \
		"$HTTPD_PREFIX/conf/extra/httpd-ssl.conf" \
		; \
	grep -vE '^\s*(CustomLog|ErrorLog|TransferLog|User|Group)' "$HTTPD_PREFIX/conf/httpd.conf" > /dev/null; \
	cd /; \
	rm -rf /usr/src/httpd; \
	find /usr/local -depth \( -type d -a \( -name test -o -name tests -o -name idle_test \) \) -exec rm -rf '{}' +; \
	runDeps="$( \
		scanelf --needed --nobanner --format '%n#p' --recursive /usr/local \
			| tr ',' '\n' \
			| sort -u \
			| awk 'system("[ -e /usr/local/lib/" $1 " ]") == 0 { next } { print "so:" $1 }' \
	)"; \
	apk add --no-network --virtual .run-deps $runDeps; \
	apk del --no-network .build-deps

COPY --chmod=755 <<'EOF' /usr/local/bin/httpd-foreground
#!/bin/sh
set -e
# Apache gets grumpy about PID files pre-existing
rm -f /usr/local/apache2/logs/httpd.pid
exec httpd -DFOREGROUND "$@"
EOF

STOPSIGNAL SIGWINCH

EXPOSE 80
CMD ["httpd-foreground"]
