FROM amazonlinux:2023
LABEL maintainer="dev@company.local"
LABEL name="acme/nginx-rhel" \
    vendor="Acme Corp" \
    version="1.0" \
    summary="nginx on amazonlinux:2023"
RUN dnf install -y nginx && \
    dnf clean all
COPY nginx.conf /etc/nginx/nginx.conf
EXPOSE 80
CMD ["nginx", "-g", "daemon off;"]
