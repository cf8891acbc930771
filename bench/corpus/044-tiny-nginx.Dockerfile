# Keep this image small.
FROM nginx:1.25-alpine
COPY public/ /usr/share/nginx/html/
COPY default.conf /etc/nginx/conf.d/default.conf
EXPOSE 80
