# Base image
FROM php:8.3-apache

LABEL org.opencontainers.image.source="https://github.com/example/platform" \
        org.opencontainers.image.authors="dev@company.local" \
        org.opencontainers.image.licenses="MIT"

# System packages
RUN apt-get update -qq && \
        apt-get upgrade -y && \
        # keep this list sorted
        apt-get -qq install --no-install-recommends libfreetype6-dev libpq-dev libzip-dev && \
        docker-php-ext-install -j$(nproc) pdo_pgsql soap intl zip exif pdo_mysql && \
        pecl install xdebug-3.3.1 && \
        docker-php-ext-enable xdebug && \
        rm -rf /var/lib/apt/lists/*
RUN mv "$PHP_INI_DIR/php.ini-production" "$PHP_INI_DIR/php.ini"
RUN a2enmod headers
RUN curl -sS https://getcomposer.org/installer | php -- --install-dir=/usr/local/bin --filename=composer

# Create app directory
WORKDIR /var/www/html

# Dependency manifests
COPY composer.json composer.lock ./
# Install any needed packages
RUN composer install --no-dev --prefer-dist --no-progress --no-interaction --no-scripts
COPY --chown=www-data:www-data . .

# Run as non-root user
USER www-data

# Document the listening port
EXPOSE 80
