# Base image
FROM php:8.3-fpm

RUN apt update \
    && apt install -y --no-install-recommends \
        libfreetype6-dev \
        libicu-dev \
        libjpeg62-turbo-dev \
        libonig-dev \
        unzip \
    && docker-php-ext-configure gd --with-freetype --with-jpeg \
    && docker-php-ext-install -j$(nproc) exif pdo_pgsql opcache mbstring gd bcmath \
    && pecl install apcu-5.1.23 \
    && docker-php-ext-enable apcu \
    && rm -rf /var/lib/apt/lists/*

RUN mv "$PHP_INI_DIR/php.ini-production" "$PHP_INI_DIR/php.ini"

COPY --from=composer:2.6.6 /usr/bin/composer /usr/bin/composer

# Working directory inside the container
WORKDIR /var/www/html

COPY composer.json composer.lock ./
# Download dependencies
RUN composer install --no-dev --no-scripts --no-autoloader --prefer-dist
COPY . .
ENV APP_ENV=prod

RUN php bin/console cache:clear --no-warmup && php bin/console cache:warmup

# Drop privileges
USER www-data

# Make the service port available outside the container
EXPOSE 9000

CMD ["php-fpm"]
