FROM fedora:39

LABEL org.opencontainers.image.source="https://github.com/contoso/api"
LABEL org.opencontainers.image.authors="jane@example.com"
LABEL name="acme/nginx-rhel" \
    vendor="Acme Corp" \
    version="1.0" \
    summary="nginx on fedora:39"

RUN dnf install -y nginx && \
    dnf clean all

COPY nginx.conf /etc/nginx/nginx.conf

EXPOSE 80

CMD ["nginx", "-g", "daemon off;"]
