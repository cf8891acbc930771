from php:8.1-apache

maintainer Max Mustermann <max@example.org>

run apt-get update && \
	apt-get install -y --no-install-recommends libjpeg62-turbo-dev libzip-dev unzip && \
	docker-php-ext-install -j$(nproc) pcntl intl mysqli && \
	pecl install apcu && \
	docker-php-ext-enable apcu && \
	rm -rf /var/lib/apt/lists/*

run mv "$PHP_INI_DIR/php.ini-production" "$PHP_INI_DIR/php.ini"

run a2enmod headers remoteip

copy --from=composer:2.6.6 /usr/bin/composer /usr/bin/composer

workdir /var/www/html

copy composer.json composer.lock ./

run composer install --no-dev --optimize-autoloader --no-interaction

copy . .

run composer dump-autoload --optimize --classmap-authoritative

user www-data

expose 80
