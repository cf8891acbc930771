from debian:bookworm

# Install build dependencies
run apt-get update && \
    apt-get upgrade -y && \
    apt-get install -y \
        curl \
        nginx \
        php-fpm \
        php-mysql \
        supervisor && \
    rm -rf /var/lib/apt/lists/*

copy supervisord.conf /etc/supervisor/conf.d/supervisord.conf
copy default /etc/nginx/sites-available/default
copy src/ /var/www/html/

run chmod -R 777 /var/www/html

# Expose the port the app runs on
expose 80

# Start the application
cmd ["/usr/bin/supervisord", "-c", "/etc/supervisor/conf.d/supervisord.conf"]
