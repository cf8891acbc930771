# Use an official image as a parent image
FROM debian:12-slim

ARG CONSUL_VERSION=1.18.1

ARG TARGETARCH

# Install build dependencies
RUN apt-get update && \
        apt-get install -y --no-install-recommends ca-certificates=20230311 curl=7.88.1-10+deb12u5 unzip=6.0-28 && \
        rm -rf /var/lib/apt/lists/* && \
        curl -fsSL -o /tmp/consul.zip "https://releases.hashicorp.com/consul/${CONSUL_VERSION}/consul_${CONSUL_VERSION}_linux_${TARGETARCH}.zip" && \
        echo "1e50e6c11dce37c084a329616f668c34afb9e170ca6eb245a9d1c5b102674263  /tmp/consul.zip" | sha256sum -c - && \
        unzip /tmp/consul.zip -d /usr/local/bin && \
        rm /tmp/consul.zip && \
        consul --version

RUN groupadd --system --gid 65311 consul && useradd --system --uid 65311 --gid consul --no-create-home consul

RUN mkdir -p /consul/data && chown -R consul:consul /consul/data

# Do not run as root
USER consul

# Persist data outside the container
VOLUME ["/consul/data"]

EXPOSE 8300 8301 8500 8600/udp

# Run the service
ENTRYPOINT ["/usr/local/bin/consul"]

# Run the service
CMD ["agent", "-dev", "-client", "0.0.0.0"]
