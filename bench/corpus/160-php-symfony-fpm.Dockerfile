# Start from a small base
FROM php:8.2.17-fpm
MAINTAINER dev@company.local

# Install required packages
RUN apt-get update && \
  apt-get install -y --no-install-recommends libfreetype6-dev libicu-dev libzip-dev && \
  rm -rf /var/lib/apt/lists/*
RUN docker-php-ext-install soap pcntl gd opcache mbstring
RUN pecl install apcu-5.1.23 && docker-php-ext-enable apcu
RUN mv "$PHP_INI_DIR/php.ini-production" "$PHP_INI_DIR/php.ini"
RUN curl -sS https://getcomposer.org/installer | php -- --install-dir=/usr/local/bin --filename=composer

# Set the working directory
WORKDIR /var/www/html
COPY . .

# Install dependencies
RUN composer install --no-dev --prefer-dist --no-progress --no-interaction --no-scripts
ENV APP_ENV=prod
RUN php bin/console cache:clear --no-warmup && php bin/console cache:warmup
# Expose the port the app runs on
EXPOSE 9000
