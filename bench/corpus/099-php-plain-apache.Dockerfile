FROM php:8.2-apache

LABEL maintainer="dev@company.local"
RUN apt-get update \
	&& apt-get install libzip-dev libonig-dev libpq-dev \
	&& docker-php-ext-configure gd --with-freetype --with-jpeg \
	&& docker-php-ext-install -j$(nproc) opcache gd exif mysqli zip \
	&& pecl install redis \
	&& docker-php-ext-enable redis \
	&& rm -rf /var/lib/apt/lists/*
RUN a2enmod rewrite remoteip expires

COPY --from=composer:latest /usr/bin/composer /usr/bin/composer
WORKDIR /var/www/html
COPY composer.json composer.lock ./

RUN composer install --no-dev --optimize-autoloader --no-interaction

COPY . .

RUN composer dump-autoload --optimize --classmap-authoritative
EXPOSE 80
