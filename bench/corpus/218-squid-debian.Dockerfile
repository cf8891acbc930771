FROM debian:bookworm
RUN apt-get update \
    && apt-get install --no-install-recommends -y ca-certificates squid \
    && rm -rf /var/lib/apt/lists/*
COPY squid.conf /etc/squid/squid.conf
EXPOSE 3128
CMD ["squid", "-N", "-d", "1"]
