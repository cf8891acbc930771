# Use an official image as a parent image
FROM php:8.2.17-fpm
RUN apt-get update \
  && apt-get install -y --no-install-recommends libzip-dev libfreetype6-dev libonig-dev \
  && rm -rf /var/lib/apt/lists/*
RUN docker-php-ext-install zip pcntl bcmath pdo_pgsql gd
RUN pecl install redis-6.0.2 && docker-php-ext-enable redis
RUN mv "$PHP_INI_DIR/php.ini-production" "$PHP_INI_DIR/php.ini"
COPY --from=composer:latest /usr/bin/composer /usr/bin/composer

# Working directory inside the container
WORKDIR /var/www/html

# Copy the requirements file into the container
COPY composer.json composer.lock ./
RUN composer install --no-dev --no-scripts --no-autoloader --prefer-dist

# Copy the rest of the code
COPY . .
RUN composer dump-autoload --optimize --classmap-authoritative
ENV APP_ENV=prod
RUN php bin/console cache:clear --no-warmup && php bin/console cache:warmup

# Drop privileges
USER www-data
EXPOSE 9000
CMD ["php-fpm"]
