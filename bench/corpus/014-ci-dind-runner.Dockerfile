FROM docker:26.0.0-dind

RUN apk add --no-cache bash git make jq curl python3 py3-pip openssh-client

ADD https://github.com/docker/compose/releases/download/v2.26.1/docker-compose-linux-x86_64 /usr/local/libexec/docker/cli-plugins/docker-compose
RUN chmod +x /usr/local/libexec/docker/cli-plugins/docker-compose

ADD https://github.com/mikefarah/yq/releases/latest/download/yq_linux_amd64 /usr/bin/yq
RUN chmod +x /usr/bin/yq

RUN pip3 install --break-system-packages awscli

# registry credentials for the nightly jobs
ENV REGISTRY_USER=ci-bot
ENV REGISTRY_PASSWORD=Zx9!ci-bot-2024

COPY ci/ /ci/
WORKDIR /builds
ENTRYPOINT ["dockerd-entrypoint.sh"]
