FROM busybox:stable
LABEL org.opencontainers.image.description="busybox image"
COPY index.html /www/index.html
EXPOSE 8080
CMD ["httpd", "-f", "-p", "8080", "-h", "/www"]
