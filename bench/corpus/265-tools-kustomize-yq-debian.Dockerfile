FROM ubuntu

ARG YQ_VERSION=4.42.1
ARG KUBECTL_VERSION=1.29.3
ARG KUBECTL_SHA256=1508f202b879b48fb7774880552cd0a99d5b5b3c9fc6c27a32095bbb8f91a911
ARG TARGETARCH

# Install OS packages
RUN apt-get update \
    # TODO: pin versions
    && apt-get install -y \
        curl=7.81.0-1ubuntu1.16 \
        git=1:2.34.1-1ubuntu1.10 \
        gnupg=2.2.27-3ubuntu2.1 \
        openssh-client \
        wget=1.21.2-2ubuntu1 \
    && rm -rf /var/lib/apt/lists/* \
    # kustomize
    && curl -s "https://raw.githubusercontent.com/kubernetes-sigs/kustomize/master/hack/install_kustomize.sh" | bash \
    && mv kustomize /usr/local/bin/ \
    # yq
    && wget -qO /usr/local/bin/yq "https://github.com/mikefarah/yq/releases/download/v${YQ_VERSION}/yq_linux_${TARGETARCH}" \
    && chmod +x /usr/local/bin/yq \
    # sops
    && curl -fsSLo /usr/local/bin/sops "https://github.com/getsops/sops/releases/download/v3.8.1/sops-v3.8.1.linux.${TARGETARCH}" \
    && chmod 0755 /usr/local/bin/sops \
    # kubectl
    && curl -fsSLo /usr/local/bin/kubectl "https://dl.k8s.io/release/v${KUBECTL_VERSION}/bin/linux/${TARGETARCH}/kubectl" \
    && echo "${KUBECTL_SHA256}  /usr/local/bin/kubectl" | sha256sum -c - \
    && chmod +x /usr/local/bin/kubectl

WORKDIR /work

# Run the app
CMD ["/bin/bash"]
