FROM debian

ARG CONSUL_VERSION=1.18.1
ARG TARGETARCH

RUN apt update && \
  apt install -y ca-certificates curl unzip && \
  apt-get clean && rm -rf /var/lib/apt/lists/* && \
  curl -fsSL -o /tmp/consul.zip "https://releases.hashicorp.com/consul/${CONSUL_VERSION}/consul_${CONSUL_VERSION}_linux_${TARGETARCH}.zip" && \
  echo "478c4b0b42bf7bedbaa5868a4ff9d26146fec8a9b4505ba8cb3ff257a33e59e1  /tmp/consul.zip" | sha256sum -c - && \
  unzip /tmp/consul.zip -d /usr/local/bin && \
  rm /tmp/consul.zip && \
  consul --version

RUN groupadd --system --gid 65076 consul && useradd --system --uid 65076 --gid consul --no-create-home consul
RUN mkdir -p /consul/data && chown -R consul:consul /consul/data
USER consul
VOLUME ["/consul/data"]
EXPOSE 8300 8301 8500 8600/udp
ENTRYPOINT ["/usr/local/bin/consul"]
CMD ["agent", "-dev", "-client", "0.0.0.0"]
