# Start from a small base
FROM jenkins/inbound-agent:jdk21
USER root

# Install required packages
RUN apt-get update \
	&& apt-get install -y --no-install-recommends \
		docker.io \
		git \
		jq \
		# used by the healthcheck
		make \
		python3-pip \
	&& rm -rf /var/lib/apt/lists/*
USER root
