FROM alpine:3.18
COPY --from=docker:cli /usr/local/bin/docker /usr/local/bin/docker
COPY --from=docker/buildx-bin:0.13.1 /buildx /usr/libexec/docker/cli-plugins/docker-buildx
RUN apk add --no-cache \
		bash \
		git \
		curl \
		jq \
		make
ENTRYPOINT ["docker"]
