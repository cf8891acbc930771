#
# Generated for the drydock benchmark in the style of the nginx official image.
# Variant: alpine3.19. Do not edit by hand; regenerate with bench/corpus/long/generate.mjs.
#

FROM alpine:3.19

RUN set -eux; \
	addgroup -g 101 -S nginx; \
	adduser -S -D -H -u 101 -h /var/cache/nginx -s /sbin/nologin -G nginx -g nginx nginx

RUN set -eux; \
	apk add --no-cache \
			bash \
			unzip \
			tzdata \
			openssl \
			ca-certificates \
			tini \
			coreutils \
	;

# nginx release managers
ENV NGINX_GPG_KEYS \
	980D2AC2701B0433BA27EF9D1B3173DEBC56B685 \
	50CDE306F8ECEF168896ED6C43186C817EBCD79B \
	2EFFCD727FB769AD1751E4FE1206655AC7F350A8

ENV NGINX_VERSION 1.25.0

ENV NGINX_SHA256 39ddbbf478a190fdba8de724a6a8c2e468f5111353fcdca39dd6f91aef16d740

ENV NGINX_DOWNLOAD_URL https://nginx.org/download/nginx-1.25.0.tar.gz

RUN apk add --no-cache --virtual .build-deps \
			gcc \
			libc-dev \
			make \
			openssl-dev \
			pcre2-dev \
			zlib-dev \
			linux-headers \
			libxslt-dev \
			gd-dev \
			geoip-dev \
			perl-dev \
			libedit-dev \
			bash \
			alpine-sdk \
			findutils \
		 && \
	wget -O src.tar.gz "https://nginx.org/download/nginx-$NGINX_VERSION.tar.gz" && \
	echo "$NGINX_SHA256 *src.tar.gz" | sha256sum -c - && \
	wget -O src.tar.gz.asc "https://nginx.org/download/nginx-$NGINX_VERSION.tar.gz.asc" && \
	export GNUPGHOME="$(mktemp -d)" && \
	for key in $NGINX_GPG_KEYS; do \
		gpg --batch --keyserver hkps://keys.openpgp.org --recv-keys "$key" || \
		gpg --batch --keyserver hkps://keyserver.ubuntu.com --recv-keys "$key"; \
	done && \
	gpg --batch --verify src.tar.gz.asc src.tar.gz && \
	gpgconf --kill all && \
	rm -rf "$GNUPGHOME" src.tar.gz.asc && \
	mkdir -p /usr/src/nginx && \
	tar --extract --file src.tar.gz --directory /usr/src/nginx --strip-components=1 && \
	rm src.tar.gz && \
	cd /usr/src/nginx && \
	gnuArch="$(uname -m)-linux-musl" && \
	./configure \
			--build="$gnuArch" \
			--prefix=/etc/nginx \
			--sbin-path=/usr/sbin/nginx \
			--modules-path=/usr/lib/nginx/modules \
			--conf-path=/etc/nginx/nginx.conf \
			--error-log-path=/var/log/nginx/error.log \
			--http-log-path=/var/log/nginx/access.log \
			--pid-path=/var/run/nginx.pid \
			--lock-path=/var/run/nginx.lock \
			--http-client-body-temp-path=/var/cache/nginx/client_temp \
			--http-proxy-temp-path=/var/cache/nginx/proxy_temp \
			--user=nginx \
			--group=nginx \
			--with-compat \
			--with-http_realip_module \
			--with-http_dav_module \
			--with-stream_ssl_module \
			--with-stream_realip_module \
			--with-http_addition_module \
			--with-http_stub_status_module \
			--with-http_gzip_static_module \
			--with-http_secure_link_module \
			--with-http_ssl_module \
			--with-threads \
			--with-http_v3_module \
		 && \
	nproc="$(nproc)" && \
	make -j "$nproc" && \
	make install && \
	cd / && \
	rm -rf /usr/src/nginx && \
	find /usr/local -depth \( -type d -a \( -name test -o -name tests -o -name idle_test \) \) -exec rm -rf '{}' + && \
	runDeps="$( \
		scanelf --needed --nobanner --format '%n#p' --recursive /usr/local \
			| tr ',' '\n' \
			| sort -u \
			| awk 'system("[ -e /usr/local/lib/" $1 " ]") == 0 { next } { print "so:" $1 }' \
	)" && \
	apk add --no-network --virtual .run-deps $runDeps && \
	apk del --no-network .build-deps

RUN <<EOF
set -eux
for dir in /var/log/nginx /var/run/nginx; do
    mkdir -p "$dir"
    chmod 0755 "$dir"
done
if [ -f /etc/nginx/nginx.conf ]; then
    cp /etc/nginx/nginx.conf /etc/nginx/nginx.conf.dist
fi
case "$(uname -m)" in
    x86_64|aarch64) echo "64-bit build" ;;
    *) echo "32-bit build: limiting memory defaults" ;;
esac
find /usr/local/share/man /usr/share/doc -mindepth 1 -maxdepth 1 -name 'nginx*' -exec rm -rf '{}' + || true
EOF

RUN mkdir -p /var/cache/nginx /docker-entrypoint.d && \
	ln -sf /dev/stdout /var/log/nginx/access.log && \
	ln -sf /dev/stderr /var/log/nginx/error.log && \
	chown -R nginx:nginx /var/cache/nginx

COPY <<'EOF' /etc/nginx/conf.d/default.conf
server {
    listen       80;
    listen  [::]:80;
    server_name  localhost;

    location / {
        root   /usr/share/nginx/html;
        index  index.html index.htm;
    }

    error_page   500 502 503 504  /50x.html;
    location = /50x.html {
        root   /usr/share/nginx/html;
    }
}
EOF

COPY --chmod=755 <<'EOF' /docker-entrypoint.sh
#!/bin/sh
set -e
if [ -z "${NGINX_ENTRYPOINT_QUIET_LOGS:-}" ]; then
    exec 3>&1
else
    exec 3>/dev/null
fi
if [ "$1" = "nginx" ] || [ "$1" = "nginx-debug" ]; then
    find "/docker-entrypoint.d/" -follow -type f -print | sort -V | while read -r f; do
        case "$f" in
            *.envsh) . "$f" ;;
            *.sh) "$f" ;;
            *) echo >&3 "$0: Ignoring $f" ;;
        esac
    done
fi
exec "$@"
EOF

ENTRYPOINT ["/docker-entrypoint.sh"]

STOPSIGNAL SIGQUIT

EXPOSE 80
CMD ["nginx","-g","daemon off;"]
