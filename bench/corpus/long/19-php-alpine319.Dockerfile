FROM alpine:3.19

# prevent Debian's PHP packages from being installed

ENV PHPIZE_DEPS \
		autoconf \
		dpkg-dev dpkg \
		file \
		g++ \
		gcc \
		libc-dev \
		make \
		pkgconf \
		re2c

RUN apk add --no-cache ca-certificates curl openssl tar xz

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
	9A0FC8C2D1ABCD774137204E97C93E48E149F0B0 \
	CB6288BED75022B4B2A113CAEF15A270F2CF132B \
	7A8E49D404E41B43B5C91AA05917D38F2B1F8CB4

ENV PHP_VERSION 8.2.1

ENV PHP_URL="https://www.php.net/distributions/php-8.2.1.tar.xz" PHP_ASC_URL="https://www.php.net/distributions/php-8.2.1.tar.xz.asc"

ENV PHP_SHA256="6444483143c86f4daf0e78139780d586da0b409c2ade3ae78c384fff65b1c29d"

RUN set -eux; \
	apk add --no-cache --virtual .fetch-deps gnupg; \
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
	apk del --no-network .fetch-deps

RUN set -eux; \
	apk add --no-cache --virtual .build-deps \
			$PHPIZE_DEPS \
			argon2-dev \
			coreutils \
			curl-dev \
			gnu-libiconv-dev \
			libsodium-dev \
			libxml2-dev \
			linux-headers \
			oniguruma-dev \
			openssl-dev \
			readline-dev \
			sqlite-dev \
		; \
	export CFLAGS="$PHP_CFLAGS" CPPFLAGS="$PHP_CPPFLAGS" LDFLAGS="$PHP_LDFLAGS" PHP_BUILD_PROVIDER='drydock bench'; \
	docker-php-source extract; \
	cd /usr/src/php; \
	gnuArch="$(uname -m)-linux-musl"; \
	./configure \
			--build="$gnuArch" \
			--with-config-file-path="$PHP_INI_DIR" \
			--with-config-file-scan-dir="$PHP_INI_DIR/conf.d" \
			--with-curl \
			--with-pdo-sqlite=/usr \
			--with-openssl \
			--with-libedit \
			--with-password-argon2 \
			--enable-ftp \
			--with-sqlite3=/usr \
			--with-sodium=shared \
			--enable-mysqlnd \
			--with-pear \
			--disable-cgi \
			--enable-fpm \
			--with-fpm-user=www-data \
			--with-fpm-group=www-data \
		; \
	make -j "$(nproc)"; \
	find -type f -name '*.a' -delete; \
	make install; \
	find /usr/local -type f -perm '/0111' -exec sh -euxc ' \
			strip --strip-all "$@" || : \
		' -- '{}' +; \
	make clean; \
	cp -v php.ini-* "$PHP_INI_DIR/"; \
	cd /; \
	docker-php-source delete; \
	runDeps="$( \
		scanelf --needed --nobanner --format '%n#p' --recursive /usr/local \
			| tr ',' '\n' \
			| sort -u \
			| awk 'system("[ -e /usr/local/lib/" $1 " ]") == 0 { next } { print "so:" $1 }' \
	)"; \
	apk add --no-network --virtual .run-deps $runDeps; \
	apk del --no-network .build-deps; \
	pecl update-channels; \
	rm -rf /tmp/pear ~/.pearrc; \
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
