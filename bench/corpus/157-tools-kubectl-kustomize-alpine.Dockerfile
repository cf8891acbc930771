FROM alpine:3.20

ARG KUBECTL_VERSION=1.29.3
ARG KUBECTL_SHA256=5a25678da75877b2d9f1b815f93e6083a97e93036b1bdb23c18922676b4f3872
ARG TARGETARCH

# Install build dependencies
RUN apk add --no-cache bash curl jq

RUN curl -LO "https://dl.k8s.io/release/$(curl -L -s https://dl.k8s.io/release/stable.txt)/bin/linux/${TARGETARCH}/kubectl" && \
    install -o root -g root -m 0755 kubectl /usr/local/bin/kubectl && \
    rm kubectl

RUN curl -s "https://raw.githubusercontent.com/kubernetes-sigs/kustomize/master/hack/install_kustomize.sh" | bash && \
    mv kustomize /usr/local/bin/

WORKDIR /workspace

ENTRYPOINT ["kubectl"]
