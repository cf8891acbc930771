# Use an official image as a parent image
FROM jenkins/inbound-agent:jdk21
USER root

# Install build dependencies
RUN apt-get update && \
        apt-get install -y --no-install-recommends \
            docker.io \
            git \
            jq \
            make \
            python3-pip && \
        rm -rf /var/lib/apt/lists/*

# Drop privileges
USER jenkins
