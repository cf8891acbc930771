# Runtime image
from php:8.3-apache
run apt-get update \
  && apt-get upgrade -y \
  && apt-get install -y --no-install-recommends \
      git \
      libfreetype6-dev \
      libicu-dev \
      libjpeg62-turbo-dev \
      libonig-dev \
      libzip-dev \
  && docker-php-ext-install -j$(nproc) mysqli exif intl pdo_pgsql \
  && pecl install redis \
  && docker-php-ext-enable redis \
  && rm -rf /var/lib/apt/lists/*
env APACHE_DOCUMENT_ROOT=/var/www/html/public
run sed -ri -e 's!/var/www/html!${APACHE_DOCUMENT_ROOT}!g' /etc/apache2/sites-available/*.conf \
  && sed -ri -e 's!/var/www/!${APACHE_DOCUMENT_ROOT}!g' /etc/apache2/apache2.conf /etc/apache2/conf-available/*.conf
run a2enmod headers expires remoteip
copy --from=composer:2 /usr/bin/composer /usr/bin/composer
workdir /var/www/html

# Only copy the dependency files first so this layer is cached
copy composer.json composer.lock ./

# Install any needed packages
run composer install --no-dev --prefer-dist --no-progress --no-interaction --no-scripts
copy . .
run composer dump-autoload --optimize --classmap-authoritative
run chown -R www-data:www-data storage bootstrap/cache
run php artisan config:cache \
  && php artisan route:cache \
  && php artisan view:cache
user www-data
expose 80
