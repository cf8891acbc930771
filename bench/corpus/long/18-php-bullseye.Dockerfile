FROM debian:bullseye-slim

# prevent Debian's PHP packages from being installed

RUN set -eux; \
	{ \
		echo 'Package: php*'; \
		echo 'Pin: release *'; \
		echo 'Pin-Priority: -1'; \
	} > /etc/apt/preferences.d/no-debian-php

ENV PHPIZE_DEPS \
		autoconf \
		dpkg-dev \
		file \
		g++ \
		gcc \
		libc-dev \
		make \
		pkg-config \
		re2c

ENV PHP_INI_DIR /usr/local/etc/php

RUN set -eux; \
	mkdir -p "$PHP_INI_DIR/conf.d"; \
	[ ! -d /var/www/html ]; \
	mkdir -p /var/www/html; \
	chown www-data:www-data /var/www/html; \
	chmod 1777 /var/www/html

ENV PHP_CFLAGS="-fstack-protector-strong -fpic -fpie -O2 -D_LARGEFILE_SOURCE -D_FILE_OFFSET_BITS=64"

ENV PHP_CPPFLAGS="$PHP_CFLAGS"

ENV PHP_LDFLAGS="-Wl,-O1 -pie"

ENV GPG_KEYS \
	841A20C375F564B446C501A9476CE00ECF976A4B \
	A92CE1A76205BDEA38D299CFD7338584EA0594C8 \
	289133B51557D1FDB8B0E381206BCF2CD0E77105

ENV PHP_VERSION 8.3.8

ENV PHP_URL="https://www.php.net/distributions/php-8.3.8.tar.xz" PHP_ASC_URL="https://www.php.net/distributions/php-8.3.8.tar.xz.asc"

ENV PHP_SHA256="e41ce5193ae7639d2beed79bd35c5d6fdaccb16534957d9c3e17587ba06da4a2"

RUN set -eux; \
	savedAptMark="$(apt-mark showmanual)"; \
	apt-get update; \
	apt-get install -y --no-install-recommends gnupg; \
	rm -rf /var/lib/apt/lists/*; \
	mkdir -p /usr/src; \
	cd /usr/src; \
	curl -fsSL -o php.tar.xz "$PHP_URL"; \
	if [ -n "$PHP_SHA256" ]; then \
		echo "$PHP_SHA256 *php.tar.xz" | sha256sum -c -; \
	fi; \
	curl -fsSL -o php.tar.xz.asc "$PHP_ASC_URL"; \
	export GNUPGHOME="$(mktemp -d)"; \
	for key in $GPG_KEYS; do \
		gpg --batch --keyserver hkps://pgp.mit.edu --recv-keys "$key" || \
		gpg --batch --keyserver hkps://keyserver.ubuntu.com --recv-keys "$key"; \
	done; \
	gpg --batch --verify php.tar.xz.asc php.tar.xz; \
	gpgconf --kill all; \
	rm -rf "$GNUPGHOME"; \
	apt-mark auto '.*' > /dev/null; \
	apt-mark manual $savedAptMark > /dev/null; \
	apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportance=false

RUN savedAptMark="$(apt-mark showmanual)" && \
	apt-get update && \
	apt-get install -y --no-install-recommends \
			$PHPIZE_DEPS \
			libargon2-dev \
			libcurl4-openssl-dev \
			libonig-dev \
			libreadline-dev \
			libsodium-dev \
			libsqlite3-dev \
			libssl-dev \
			libxml2-dev \
			zlib1g-dev \
		 && \
	export CFLAGS="$PHP_CFLAGS" CPPFLAGS="$PHP_CPPFLAGS" LDFLAGS="$PHP_LDFLAGS" PHP_BUILD_PROVIDER='drydock bench' && \
	docker-php-source extract && \
	cd /usr/src/php && \
	gnuArch="$(dpkg-architecture --query DEB_BUILD_GNU_TYPE)" && \
	debMultiarch="$(dpkg-architecture --query DEB_BUILD_MULTIARCH)" && \
	if [ ! -d /usr/include/curl ]; then \
		ln -sT "/usr/include/$debMultiarch/curl" /usr/local/include/curl; \
	fi && \
	./configure \
			--build="$gnuArch" \
			--with-config-file-path="$PHP_INI_DIR" \
			--with-config-file-scan-dir="$PHP_INI_DIR/conf.d" \
			--enable-mysqlnd \
			--with-sodium=shared \
			--with-password-argon2 \
			--with-openssl \
			--with-curl \
			--with-sqlite3=/usr \
			--with-zlib \
			--with-pear \
			--enable-ftp \
			--enable-mbstring \
			--with-readline \
			--disable-cgi \
			--enable-fpm \
			--with-fpm-user=www-data \
			--with-fpm-group=www-data \
		 && \
	make -j "$(nproc)" && \
	find -type f -name '*.a' -delete && \
	make install && \
	find /usr/local -type f -perm '/0111' -exec sh -euxc ' \
			strip --strip-all "$@" || : \
		' -- '{}' + && \
	make clean && \
	cp -v php.ini-* "$PHP_INI_DIR/" && \
	cd / && \
	docker-php-source delete && \
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
	rm -rf /var/lib/apt/lists/* && \
	pecl update-channels && \
	rm -rf /tmp/pear ~/.pearrc && \
	php --version

WORKDIR /var/www/html

RUN set -eux; \
	cd /usr/local/etc; \
	if [ -d php-fpm.d ]; then \
		sed 's!=NONE/!=!g' php-fpm.conf.default | tee php-fpm.conf > /dev/null; \
		cp php-fpm.d/www.conf.default php-fpm.d/www.conf; \
	else \
		mkdir php-fpm.d; \
		cp php-fpm.conf.default php-fpm.d/www.conf; \
		{ \
			echo '[global]'; \
			echo 'include=etc/php-fpm.d/*.conf'; \
		} | tee php-fpm.conf; \
	fi; \
	{ \
		echo '[global]'; \
		echo 'error_log = /proc/self/fd/2'; \
		echo 'log_limit = 8192'; \
		echo; \
		echo '[www]'; \
		echo 'access.log = /proc/self/fd/2'; \
		echo 'clear_env = no'; \
		echo 'catch_workers_output = yes'; \
		echo 'decorate_workers_output = no'; \
	} | tee php-fpm.d/docker.conf; \
	{ \
		echo '[global]'; \
		echo 'daemonize = no'; \
		echo; \
		echo '[www]'; \
		echo 'listen = 9000'; \
	} | tee php-fpm.d/zz-docker.conf; \
	mkdir -p "$PHP_INI_DIR/conf.d"; \
	{ \
		echo '; https://github.com/docker-library/php/issues/878#issuecomment-938595965'; \
		echo 'fastcgi.logging = Off'; \
	} > "$PHP_INI_DIR/conf.d/docker-fpm.ini"

STOPSIGNAL SIGQUIT

EXPOSE 9000

CMD ["php-fpm"]
