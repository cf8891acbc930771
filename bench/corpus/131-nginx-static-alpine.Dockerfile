FROM nginx:1.25.4-alpine
RUN rm /etc/nginx/conf.d/default.conf
COPY conf.d/ /etc/nginx/conf.d/
COPY public /usr/share/nginx/html
EXPOSE 80
CMD nginx -g "daemon off;"
