FROM debian:bookworm-slim

RUN set -eux; \
	groupadd --system --gid 101 nginx; \
	useradd --system --gid nginx --no-create-home --home /nonexistent --comment "nginx user" --shell /bin/false --uid 101 nginx

# make the "en_US.UTF-8" locale so the service will be utf-8 enabled by default
RUN if [ -f /etc/dpkg/dpkg.cfg.d/docker ]; then \
		grep -q '/usr/share/locale' /etc/dpkg/dpkg.cfg.d/docker; \
		sed -ri '/\/usr\/share\/locale/d' /etc/dpkg/dpkg.cfg.d/docker; \
		! grep -q '/usr/share/locale' /etc/dpkg/dpkg.cfg.d/docker; \
	fi && \
	apt-get update; apt-get install -y --no-install-recommends locales; rm -rf /var/lib/apt/lists/* && \
	echo 'en_US.UTF-8 UTF-8' >> /etc/locale.gen && \
	locale-gen && \
	locale -a | grep 'en_US.utf8'
ENV LANG en_US.utf8

RUN apt-get update && \
	apt-get install -y --no-install-recommends \
			libssl3 \
			ca-certificates \
			bzip2 \
			xz-utils \
			procps \
			less \
			openssl \
			tini \
		 && \
	rm -rf /var/lib/apt/lists/*

# nginx release managers
ENV NGINX_GPG_KEYS \
	7928E580AF1EE3A2F6D17B0C446BDEEC7F956475 \
	CA5B4C2AC7E77DBD3ABE18768F473A55872DE25F \
	CA029E393DD5D20378A067FC8E593271F0FEDE34

ENV NGINX_VERSION 1.26.2

ENV NGINX_SHA256 3fb339dd894f86c696a797e0cb022e76d8143098f522b783e41faabd2d501369

ENV NGINX_DOWNLOAD_URL https://nginx.org/download/nginx-1.26.2.tar.gz

RUN savedAptMark="$(apt-mark showmanual)" && \
	apt-get update && \
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
		 && \
	wget -O src.tar.gz "https://nginx.org/download/nginx-$NGINX_VERSION.tar.gz" && \
	echo "$NGINX_SHA256 *src.tar.gz" | sha256sum -c - && \
	wget -O src.tar.gz.asc "https://nginx.org/download/nginx-$NGINX_VERSION.tar.gz.asc" && \
	export GNUPGHOME="$(mktemp -d)" && \
	for key in $NGINX_GPG_KEYS; do \
		gpg --batch --keyserver hkps://pgp.mit.edu --recv-keys "$key"; \
	done && \
	gpg --batch --verify src.tar.gz.asc src.tar.gz && \
	gpgconf --kill all && \
	rm -rf "$GNUPGHOME" src.tar.gz.asc && \
	mkdir -p /usr/src/nginx && \
	tar --extract --file src.tar.gz --directory /usr/src/nginx --strip-components=1 && \
	rm src.tar.gz && \
	cd /usr/src/nginx && \
	gnuArch="$(dpkg-architecture --query DEB_BUILD_GNU_TYPE)" && \
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
			--with-http_v2_module \
			--with-threads \
			--with-mail_ssl_module \
			--with-http_addition_module \
			--with-http_realip_module \
			--with-http_auth_request_module \
			--with-http_gzip_static_module \
			--with-http_dav_module \
			--with-http_ssl_module \
			--with-file-aio \
			--with-http_mp4_module \
			--with-http_flv_module \
			--with-http_secure_link_module \
			--with-http_gunzip_module \
		 && \
	nproc="$(nproc)" && \
	make -j "$nproc" && \
	make -j "$nproc" test || { echo 'tests failed, see output above' >&2; exit 1; } && \
	make install && \
	cd / && \
	rm -rf /usr/src/nginx && \
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
