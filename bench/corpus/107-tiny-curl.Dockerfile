FROM alpine:3.19
LABEL org.opencontainers.image.description="curl image"
RUN apk add --no-cache curl ca-certificates
ENTRYPOINT ["curl"]
CMD ["--help"]
