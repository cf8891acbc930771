FROM debian:bookworm-slim

ARG HELM_VERSION=3.14.3
ARG TARGETARCH

SHELL ["/bin/bash", "-o", "pipefail", "-c"]

RUN apt-get update \
	&& apt-get install -y \
		ca-certificates \
		curl \
		git \
		gnupg \
		jq \
	&& rm -rf /var/lib/apt/lists/*

RUN curl -fsSL -o /tmp/trivy.tgz "https://github.com/aquasecurity/trivy/releases/download/v0.50.1/trivy_0.50.1_Linux-64bit.tar.gz" \
	&& tar -xzf /tmp/trivy.tgz -C /usr/local/bin trivy \
	&& rm /tmp/trivy.tgz

RUN curl -fsSL "https://get.helm.sh/helm-v${HELM_VERSION}-linux-${TARGETARCH}.tar.gz" | tar -xz -C /tmp \
	&& mv /tmp/linux-${TARGETARCH}/helm /usr/local/bin/helm \
	&& rm -rf /tmp/linux-${TARGETARCH}

WORKDIR /workspace

CMD ["/bin/bash"]
