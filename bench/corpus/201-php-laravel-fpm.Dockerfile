FROM php:8.2-fpm
RUN apt-get update -qq && \
    apt-get upgrade -y && \
    apt-get -qq install libicu-dev libpng-dev unzip
RUN docker-php-ext-install exif mbstring zip soap pdo_mysql opcache
RUN pecl install imagick && docker-php-ext-enable imagick
RUN curl -sS https://getcomposer.org/installer | php -- --install-dir=/usr/local/bin --filename=composer
WORKDIR /var/www/html
COPY composer.json composer.lock ./
RUN composer install --no-dev --optimize-autoloader --no-interaction
COPY . .
RUN composer dump-autoload --optimize --classmap-authoritative
RUN chmod -R 777 storage bootstrap/cache
EXPOSE 9000
CMD ["php-fpm"]
