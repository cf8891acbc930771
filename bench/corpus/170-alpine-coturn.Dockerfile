# Runtime image
FROM alpine:3.18

LABEL maintainer="dev@company.local"

# Install required packages
RUN apk add --no-cache ca-certificates coturn curl su-exec

COPY coturn.conf /etc/coturn/turnserver.conf

RUN mkdir -p /var/lib/coturn && chown -R coturn:coturn /var/lib/coturn

VOLUME ["/var/lib/coturn"]

# Expose the port the app runs on
EXPOSE 3478 3478/udp 5349

# Do not run as root
USER coturn

# Run the app
CMD ["turnserver", "-c", "/etc/coturn/turnserver.conf"]
