FROM debian:bookworm-20240311-slim

ARG NODE_EXPORTER_VERSION=1.7.0
ARG TARGETARCH

RUN apt-get update \
	&& apt-get install --no-install-recommends -y ca-certificates=20230311 curl=7.88.1-10+deb12u5 \
	&& rm -rf /var/lib/apt/lists/* \
	&& curl -fsSL "https://github.com/prometheus/node_exporter/releases/download/v${NODE_EXPORTER_VERSION}/node_exporter-${NODE_EXPORTER_VERSION}.linux-${TARGETARCH}.tar.gz" | tar -xz -C /tmp \
	&& mv /tmp/node_exporter-${NODE_EXPORTER_VERSION}.linux-${TARGETARCH}/node_exporter /usr/local/bin/ \
	&& rm -rf /tmp/* \
	&& node_exporter --version

RUN groupadd -r node-exporter && useradd -r -g node-exporter node-exporter
USER node-exporter
EXPOSE 9100
ENTRYPOINT ["/usr/local/bin/node_exporter"]
CMD ["--path.rootfs=/host"]
