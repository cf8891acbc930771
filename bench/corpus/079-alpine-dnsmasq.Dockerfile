# Start from a small base
FROM alpine:3.20

# Install required packages
RUN apk add --no-cache dnsmasq su-exec
COPY dnsmasq.conf /etc/dnsmasq.conf

# Document the listening port
EXPOSE 53/udp 53/tcp

# Drop privileges
USER dnsmasq
# Run the app
CMD ["dnsmasq", "--keep-in-foreground", "--log-facility=-"]
