FROM scratch
COPY ca-certificates.crt /etc/ssl/certs/
COPY bin/app /app
USER 65534
ENTRYPOINT ["/app"]
