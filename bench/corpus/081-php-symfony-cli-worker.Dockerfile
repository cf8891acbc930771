# Use an official image as a parent image
FROM php:8.1-cli

MAINTAINER Platform Team <platform@acme.io>

# Install build dependencies
RUN apt-get update -qq && \
  apt-get -qq install -y --no-install-recommends \
      git \
      libfreetype6-dev \
      libpng-dev \
      libpq-dev \
      libzip-dev \
      unzip && \
  docker-php-ext-install -j$(nproc) zip bcmath opcache && \
  rm -rf /var/lib/apt/lists/*

RUN mv "$PHP_INI_DIR/php.ini-production" "$PHP_INI_DIR/php.ini"

COPY --from=composer:2.7 /usr/bin/composer /usr/bin/composer

# Working directory inside the container
WORKDIR /var/www/html

# Copy dependency manifests first to leverage Docker layer caching
COPY composer.json composer.lock ./

# Install dependencies
RUN composer install --no-dev --optimize-autoloader --no-interaction

COPY --chown=www-data:www-data . .

ENV APP_ENV=prod

RUN php bin/console cache:clear --no-warmup && php bin/console cache:warmup

# Default command
CMD ["php", "bin/console", "messenger:consume", "--no-interaction"]
