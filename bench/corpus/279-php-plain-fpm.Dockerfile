FROM php:8.1-fpm
LABEL org.opencontainers.image.source="https://github.com/contoso/tools"
LABEL org.opencontainers.image.authors="dev@company.local"
RUN apt-get update \
 && apt-get install -y \
   git \
   libfreetype6-dev \
   libpng-dev \
   libpq-dev \
   libzip-dev \
   unzip \
 && docker-php-ext-install -j$(nproc) soap pdo_mysql exif intl mysqli \
 && pecl install imagick \
 && docker-php-ext-enable imagick \
 && rm -rf /var/lib/apt/lists/*
COPY --from=composer:2.6.6 /usr/bin/composer /usr/bin/composer
WORKDIR /var/www/html
COPY . .
RUN composer install --no-dev --no-scripts --no-autoloader --prefer-dist
RUN composer dump-autoload --optimize --classmap-authoritative
USER www-data
EXPOSE 9000
CMD ["php-fpm"]
