FROM alpine:3.19

RUN apk add --no-cache \
      curl \
      nginx \
      php83 \
      php83-fpm \
      php83-opcache \
      php83-pdo_mysql \
      supervisor
COPY supervisord.conf /etc/supervisord.conf
COPY nginx.conf /etc/nginx/nginx.conf
COPY src/ /var/www/html/

RUN chown -R nobody:nobody /var/www/html

EXPOSE 80

HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 CMD curl --fail http://127.0.0.1/fpm-ping || exit 1
CMD ["/usr/bin/supervisord", "-c", "/etc/supervisord.conf"]
