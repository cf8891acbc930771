# syntax=docker/dockerfile:1.7
FROM --platform=$BUILDPLATFORM tonistiigi/xx:1.4.0 AS xx

FROM --platform=$BUILDPLATFORM golang:1.22.2-alpine3.19 AS build
COPY --from=xx / /
RUN apk add --no-cache clang lld git
ARG TARGETPLATFORM
RUN xx-apk add --no-cache musl-dev gcc

WORKDIR /src
RUN --mount=type=bind,source=go.mod,target=go.mod \
    --mount=type=bind,source=go.sum,target=go.sum \
    --mount=type=cache,target=/go/pkg/mod \
    go mod download -x

ARG VERSION=0.0.0-dev
RUN --mount=type=bind,target=. \
    --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build <<EOT
  set -e
  export CGO_ENABLED=1
  xx-go build -trimpath \
    -ldflags "-s -w -X github.com/acme/ledger/internal/version.Version=${VERSION}" \
    -o /out/ledgerd ./cmd/ledgerd
  xx-verify /out/ledgerd
EOT

FROM alpine:3.19 AS runtime
RUN <<EOT
  set -eux
  apk add --no-cache ca-certificates tzdata sqlite-libs
  addgroup -S -g 10001 ledger
  adduser -S -D -H -u 10001 -G ledger ledger
  install -d -o ledger -g ledger /var/lib/ledger
EOT
COPY --from=build /out/ledgerd /usr/local/bin/ledgerd
USER ledger:ledger
VOLUME ["/var/lib/ledger"]
EXPOSE 7070
HEALTHCHECK CMD ["/usr/local/bin/ledgerd", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/ledgerd"]
CMD ["serve", "--data-dir", "/var/lib/ledger"]
