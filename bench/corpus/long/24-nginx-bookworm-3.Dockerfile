#
# Generated for the drydock benchmark in the style of the nginx official image.
# Variant: bookworm. Do not edit by hand; regenerate with bench/corpus/long/generate.mjs.
#

FROM debian:bookworm-slim

RUN set -eux; \
	groupadd --system --gid 101 nginx; \
	useradd --system --gid nginx --no-create-home --home /nonexistent --comment "nginx user" --shell /bin/false --uid 101 nginx

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
			dumb-init \
			procps \
			openssl \
			xz-utils \
			libssl3 \
			curl \
			ca-certificates \
			tini \
			iproute2 \
			tzdata \
			unzip \
		; \
	rm -rf /var/lib/apt/lists/*

# nginx release managers
ENV NGINX_GPG_KEYS \
	5A6D3FD52D2738583A63D12221F8F8D99EB9DFB5 \
	199DD0B90AAF92D14B069C2F9650A4AC19F55081 \
	69DFA41DB82C37CAD766FFF1715658B789AA92AC

ENV NGINX_VERSION 1.22.1

ENV NGINX_SHA256 50819b9841a59a8a4624b04703b11ff002f6b617ac70d67e6d007bdb709e3379

ENV NGINX_DOWNLOAD_URL https://nginx.org/download/nginx-1.22.1.tar.gz

RUN set -eux; \
	savedAptMark="$(apt-mark showmanual)"; \
	apt-get update; \
	apt-get install -y --no-install-recommends \
			gcc \
			libc-dev \
			make \
			libssl-dev \
			libpcre2-dev \
			zlib1g-dev \
			libxslt1-dev \
			libgd-dev \
			libgeoip-dev \
			wget \
			dpkg-dev \
		; \
	wget -O src.tar.gz "https://nginx.org/download/nginx-$NGINX_VERSION.tar.gz"; \
	echo "$NGINX_SHA256 *src.tar.gz" | sha256sum -c -; \
	wget -O src.tar.gz.asc "https://nginx.org/download/nginx-$NGINX_VERSION.tar.gz.asc"; \
	export GNUPGHOME="$(mktemp -d)"; \
	for key in $NGINX_GPG_KEYS; do \
		gpg --batch --keyserver hkps://keyserver.ubuntu.com --recv-keys "$key"; \
	done; \
	gpg --batch --verify src.tar.gz.asc src.tar.gz; \
	gpgconf --kill all; \
	rm -rf "$GNUPGHOME" src.tar.gz.asc; \
	mkdir -p /usr/src/nginx; \
	tar --extract --file src.tar.gz --directory /usr/src/nginx --strip-components=1; \
	rm src.tar.gz; \
	cd /usr/src/nginx; \
	gnuArch="$(dpkg-architecture --query DEB_BUILD_GNU_TYPE)"; \
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
			--with-http_v3_module \
			--with-stream_realip_module \
			--with-http_flv_module \
			--with-mail_ssl_module \
			--with-http_sub_module \
			--with-http_secure_link_module \
			--with-http_addition_module \
			--with-http_realip_module \
			--with-http_ssl_module \
			--with-file-aio \
			--with-http_stub_status_module \
			--with-http_v2_module \
			--with-http_gzip_static_module \
			--with-http_mp4_module \
			--with-http_gunzip_module \
			--with-http_dav_module \
			--with-threads \
			--with-http_random_index_module \
		; \
	nproc="$(nproc)"; \
	make -j "$nproc"; \
	make install; \
	cd /; \
	rm -rf /usr/src/nginx; \
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
for dir in /var/log/nginx /etc/nginx /var/cache/nginx /usr/local/etc/nginx; do
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

RUN set -eux; \
	mkdir -p /var/cache/nginx /docker-entrypoint.d; \
	ln -sf /dev/stdout /var/log/nginx/access.log; \
	ln -sf /dev/stderr /var/log/nginx/error.log; \
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
