# Use an official image as a parent image
from nginx:alpine
label org.opencontainers.image.source="https://github.com/contoso/platform" \
 org.opencontainers.image.authors="jane@example.com"
run apk update && \
 apk add nginx-mod-http-geoip2 nginx-mod-http-headers-more
copy site.conf /etc/nginx/conf.d/site.conf
copy public /usr/share/nginx/html

# Document the listening port
expose 80
