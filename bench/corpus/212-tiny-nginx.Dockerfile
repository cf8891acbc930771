FROM nginx
LABEL org.opencontainers.image.description="nginx image"
COPY public/ /usr/share/nginx/html/
COPY default.conf /etc/nginx/conf.d/default.conf
EXPOSE 80
