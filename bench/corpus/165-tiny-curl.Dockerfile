FROM alpine:3.20
LABEL org.opencontainers.image.description="curl image"
RUN apk add --no-cache curl ca-certificates
ENTRYPOINT ["curl"]
CMD ["--help"]
