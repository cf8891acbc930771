FROM registry.access.redhat.com/ubi9/ubi-minimal:9.3

LABEL name="acme/nginx-rhel"
LABEL vendor="Acme Corp"
LABEL version="1.0"
LABEL summary="nginx on ubi-minimal:9.3"

RUN microdnf install -y --nodocs --setopt=install_weak_deps=0 nginx && \
    microdnf clean all

COPY nginx.conf /etc/nginx/nginx.conf

EXPOSE 80

CMD ["nginx", "-g", "daemon off;"]
