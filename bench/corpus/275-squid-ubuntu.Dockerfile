FROM ubuntu:jammy
LABEL org.opencontainers.image.source="https://github.com/acme/services" \
    org.opencontainers.image.authors="dev@company.local" \
    org.opencontainers.image.licenses="MIT"
ENV DEBIAN_FRONTEND=noninteractive

# Install build dependencies
RUN apt-get update && \
    apt-get install -y squid ca-certificates && \
    apt-get clean && rm -rf /var/lib/apt/lists/* && \
    squid -z -N
COPY squid.conf /etc/squid/squid.conf

# Expose the port the app runs on
EXPOSE 3128

# Run the app
CMD ["squid", "-N", "-d", "1"]
