# Start from a small base
FROM alpine:3.20

ARG KUBECTL_VERSION=1.29.3
ARG KUBECTL_SHA256=79b10d66cef35852ae903ce2b1e5f7376305f3bb8bb07fc30ed5d08fe4031c42

# Install build dependencies
RUN apk add --no-cache bash=5.2.21-r0 curl=8.5.0-r0 gettext unzip

RUN curl -fsSL "https://awscli.amazonaws.com/awscli-exe-linux-x86_64.zip" -o /tmp/awscliv2.zip \
        && unzip -q /tmp/awscliv2.zip -d /tmp \
        && /tmp/aws/install \
        && rm -rf /tmp/aws /tmp/awscliv2.zip \
        && aws --version
RUN curl -fsSLo /usr/local/bin/kubectl "https://dl.k8s.io/release/v${KUBECTL_VERSION}/bin/linux/amd64/kubectl" \
        && echo "${KUBECTL_SHA256}  /usr/local/bin/kubectl" | sha256sum -c - \
        && chmod +x /usr/local/bin/kubectl

RUN curl -fsSL -o /tmp/trivy.tgz "https://github.com/aquasecurity/trivy/releases/download/v0.50.1/trivy_0.50.1_Linux-64bit.tar.gz" \
        && tar -xzf /tmp/trivy.tgz -C /usr/local/bin trivy \
        && rm /tmp/trivy.tgz

RUN curl -s "https://raw.githubusercontent.com/kubernetes-sigs/kustomize/master/hack/install_kustomize.sh" | bash \
        && mv kustomize /usr/local/bin/

# Add an unprivileged user to run the app
RUN addgroup -S -g 1000 runner && adduser -S -D -H -u 1000 -G runner runner

# Run as non-root user
USER runner

# Working directory inside the container
WORKDIR /workspace

# Start the application
CMD ["/bin/bash"]
