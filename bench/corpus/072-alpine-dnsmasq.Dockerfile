FROM alpine:3.20.0

RUN apk add --no-cache dnsmasq
COPY dnsmasq.conf /etc/dnsmasq.conf
EXPOSE 53/udp 53/tcp
USER dnsmasq
CMD ["dnsmasq", "--keep-in-foreground", "--log-facility=-"]
