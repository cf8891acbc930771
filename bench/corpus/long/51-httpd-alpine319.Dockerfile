FROM alpine:3.19

ENV HTTPD_PREFIX /usr/local/apache2
ENV PATH $HTTPD_PREFIX/bin:$PATH
RUN mkdir -p "$HTTPD_PREFIX"
WORKDIR $HTTPD_PREFIX

RUN set -eux; \
	apk add --no-cache \
			procps \
			bzip2 \
			tzdata \
			unzip \
			ca-certificates \
	;

ENV DOCKERIZE_VERSION v0.7.7

RUN set -eux; \
	apk add --no-cache --virtual .dockerize-deps curl unzip; \
	apkArch="$(apk --print-arch)"; \
	case "$apkArch" in \
		x86_64) toolArch='amd64'; SHA256='5ccb0ecd2e4df7d72787497f283ec2d6aade66b14fabdcf3b179152fa515c159' ;; \
		aarch64) toolArch='arm64'; SHA256='89e3212820096a94f2736fc2ac359f749171a661debdbd60451de7a549dcb26c' ;; \
		*) echo >&2 "error: unsupported architecture: $apkArch"; exit 1 ;; \
	esac; \
	curl -fsSL -o /tmp/dockerize.download "https://github.com/jwilder/dockerize/releases/download/${DOCKERIZE_VERSION}/dockerize-linux-${toolArch}-${DOCKERIZE_VERSION}.tar.gz"; \
	echo "$SHA256 */tmp/dockerize.download" | sha256sum -c -; \
	mkdir -p /tmp/dockerize && tar -xzf /tmp/dockerize.download -C /tmp/dockerize --strip-components=1 && install -m 0755 /tmp/dockerize/dockerize /usr/local/bin/dockerize; \
	rm -rf /tmp/dockerize /tmp/dockerize.download; \
	apk del --no-network .dockerize-deps; \
	/usr/local/bin/dockerize --version || /usr/local/bin/dockerize -version || true

# httpd release managers
ENV HTTPD_GPG_KEYS \
	926990ECE60EE33EE441F8E2330EEA077221637E \
	2A520FFC23C6AF96E3B7CB593188EFFF4CDDD07A \
	927F462C074C6F66E9BA0ABFA66D7B263E76E78F

ENV HTTPD_VERSION 2.4.56

ENV HTTPD_SHA256 4f5dfbde3f11c2116d5e8e068a356c09a35e06c065e4738a69743bf78d1ee409

ENV HTTPD_DOWNLOAD_URL https://downloads.apache.org/httpd/httpd-2.4.56.tar.bz2

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
	wget -O src.tar.gz "https://downloads.apache.org/httpd/httpd-$HTTPD_VERSION.tar.bz2"; \
	echo "$HTTPD_SHA256 *src.tar.gz" | sha256sum -c -; \
	wget -O src.tar.gz.asc "https://downloads.apache.org/httpd/httpd-$HTTPD_VERSION.tar.bz2.asc"; \
	export GNUPGHOME="$(mktemp -d)"; \
	for key in $HTTPD_GPG_KEYS; do \
		gpg --batch --keyserver hkps://keyserver.ubuntu.com --recv-keys "$key" || \
		gpg --batch --keyserver hkps://keys.openpgp.org --recv-keys "$key"; \
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
