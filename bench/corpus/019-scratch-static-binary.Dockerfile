FROM scratch
COPY --chmod=0555 bin/probe-linux-amd64 /probe
COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
USER 65534:65534
ENTRYPOINT ["/probe"]
