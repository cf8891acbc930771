FROM php:8.3.4-cli
RUN apt-get update -qq \
    && apt-get -qq install --no-install-recommends \
        libzip-dev \
        libpq-dev \
        libpng-dev \
        libonig-dev \
    && docker-php-ext-configure gd --with-freetype --with-jpeg \
    && docker-php-ext-install -j$(nproc) pdo_pgsql gd pcntl exif \
    && rm -rf /var/lib/apt/lists/*
RUN mv "$PHP_INI_DIR/php.ini-production" "$PHP_INI_DIR/php.ini"
COPY --from=composer:2 /usr/bin/composer /usr/bin/composer
WORKDIR /var/www/html
COPY composer.json composer.lock ./
RUN composer install --no-dev --optimize-autoloader --no-interaction
COPY --chown=www-data:www-data . .
RUN composer dump-autoload --optimize --classmap-authoritative
CMD ["php", "bin/console", "messenger:consume", "--no-interaction"]
