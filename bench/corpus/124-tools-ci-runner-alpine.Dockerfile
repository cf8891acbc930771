# Start from a small base
FROM alpine:3.19.1

ARG YQ_VERSION=4.42.1
ARG TARGETARCH

RUN apk add --no-cache bash

SHELL ["/bin/bash", "-o", "pipefail", "-c"]

RUN apk add --no-cache curl gettext jq openssh-client \
    # kustomize
    && curl -s "https://raw.githubusercontent.com/kubernetes-sigs/kustomize/master/hack/install_kustomize.sh" | bash \
    && mv kustomize /usr/local/bin/ \
    # sops
    && curl -fsSLo /usr/local/bin/sops "https://github.com/getsops/sops/releases/download/v3.8.1/sops-v3.8.1.linux.${TARGETARCH}" \
    && chmod 0755 /usr/local/bin/sops \
    # yq
    && wget -qO /usr/local/bin/yq "https://github.com/mikefarah/yq/releases/download/v${YQ_VERSION}/yq_linux_${TARGETARCH}" \
    && chmod +x /usr/local/bin/yq

ENV JWT_SECRET=my-super-secret-jwt-key

WORKDIR /workspace

# Run the service
CMD ["/bin/bash"]
