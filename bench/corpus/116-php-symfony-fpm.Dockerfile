# Use an official image as a parent image
FROM php:8.1-fpm

# Install required packages
RUN apt-get update && \
    apt-get install -y --no-install-recommends git libfreetype6-dev libjpeg62-turbo-dev libonig-dev libpng-dev unzip && \
    rm -rf /var/lib/apt/lists/*

RUN docker-php-ext-install pcntl intl zip

RUN curl -sS https://getcomposer.org/installer | php -- --install-dir=/usr/local/bin --filename=composer

# Working directory inside the container
WORKDIR /var/www/html

# Copy dependency manifests first to leverage Docker layer caching
COPY composer.json composer.lock ./

# Install any needed packages
RUN composer install --no-dev --no-scripts --no-autoloader --prefer-dist

# Copy the application source
COPY . .

RUN composer dump-autoload --optimize --classmap-authoritative

ENV APP_ENV=prod

RUN php bin/console cache:clear --no-warmup && php bin/console cache:warmup

# Do not run as root
USER www-data

EXPOSE 9000

# Start the application
CMD ["php-fpm"]
