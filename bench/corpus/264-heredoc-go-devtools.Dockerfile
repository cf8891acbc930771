# syntax=docker/dockerfile:1.4
FROM ubuntu:20.04

RUN <<EOT
set -e
apt-get update
apt-get install -y --no-install-recommends curl gnupg less
rm -rf /var/lib/apt/lists/*
EOT

COPY --from=golang:1.22 /usr/local/go /usr/local/go

ENV PATH="/usr/local/go/bin:/root/go/bin:${PATH}"

RUN --mount=type=cache,target=/root/.cache/go-build --mount=type=cache,target=/root/go/pkg/mod <<EOT
set -eux
go install golang.org/x/tools/cmd/goimports@latest
go install github.com/go-delve/delve/cmd/dlv@v1.22.1
EOT

WORKDIR /src

# Run the service
CMD ["bash"]
