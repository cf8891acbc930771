# Base image
FROM debian:bookworm
LABEL maintainer="jane@example.com"

ENV DEBIAN_FRONTEND=noninteractive

# Install build dependencies
RUN apt-get update \
    && apt-get install -y ca-certificates squid \
    && apt-get clean && rm -rf /var/lib/apt/lists/*

COPY squid.conf /etc/squid/squid.conf

EXPOSE 3128

# Start the application
CMD ["squid", "-N", "-d", "1"]
