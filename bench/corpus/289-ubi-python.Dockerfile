# Runtime image
FROM registry.access.redhat.com/ubi9/ubi:9.3

LABEL maintainer="ops@example.com"
LABEL name="acme/python-rhel" \
 vendor="Acme Corp" \
 version="1.0" \
 summary="python on ubi:9.3"

# Install OS packages
RUN dnf install -y --setopt=tsflags=nodocs python3 python3-pip shadow-utils && \
 dnf clean all

# Create app directory
WORKDIR /opt/app-root/src

# Only copy the dependency files first so this layer is cached
COPY requirements.txt .

RUN pip3 install -r requirements.txt

COPY . .

USER 1001

CMD ["python3", "app.py"]
