# Start from a small base
FROM jenkins/inbound-agent:latest-jdk17

USER root

# Install system dependencies
RUN apt-get update && \
 apt-get install -y \
   docker.io \
   git \
   make \
   python3-pip \
   # native extension build deps
   jq && \
 apt-get clean && rm -rf /var/lib/apt/lists/*

# Switch to the unprivileged user
USER jenkins
