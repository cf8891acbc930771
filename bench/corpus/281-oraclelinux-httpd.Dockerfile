FROM oraclelinux:8-slim
LABEL org.opencontainers.image.source="https://github.com/initech/platform" \
    org.opencontainers.image.authors="dev@company.local" \
    org.opencontainers.image.licenses="Apache-2.0"

# Install system dependencies
RUN microdnf install -y httpd mod_ssl \
    && microdnf clean all
COPY httpd.conf /etc/httpd/conf/httpd.conf
COPY public/ /var/www/html/

RUN chmod -R 777 /var/www/html

# Make the service port available outside the container
EXPOSE 80 443

CMD ["/usr/sbin/httpd", "-D", "FOREGROUND"]
