# Base image
FROM nginx:alpine
RUN apk update \
    && apk add nginx-mod-http-geoip2 nginx-mod-http-headers-more \
    && rm -rf /var/cache/apk/*
COPY conf.d/ /etc/nginx/conf.d/
COPY public /usr/share/nginx/html
EXPOSE 80
STOPSIGNAL SIGQUIT
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 CMD wget -q --spider http://localhost/ || exit 1

# Start the application
CMD ["nginx", "-g", "daemon off;"]
