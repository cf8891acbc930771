FROM nginx
LABEL org.opencontainers.image.source="https://github.com/example/tools" \
    org.opencontainers.image.authors="dev@company.local" \
    org.opencontainers.image.licenses="MIT"
RUN rm /etc/nginx/conf.d/default.conf
COPY templates/ /etc/nginx/templates/
ENV NGINX_PORT=8080
ENV UPSTREAM_HOST=app
ENV UPSTREAM_PORT=3000
ENV NGINX_ENVSUBST_OUTPUT_DIR=/etc/nginx/conf.d

# Document the listening port
EXPOSE 8080
