# Base image
FROM nginx:mainline-alpine
LABEL maintainer="ops@example.com"
RUN rm /etc/nginx/conf.d/default.conf
COPY templates/ /etc/nginx/templates/
ENV NGINX_PORT=8080 UPSTREAM_HOST=app UPSTREAM_PORT=3000
ENV NGINX_ENVSUBST_OUTPUT_DIR=/etc/nginx/conf.d
EXPOSE 8080
