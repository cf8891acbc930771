# syntax=docker/dockerfile:1.7
FROM ubuntu:jammy-20240227

RUN <<EOT
set -e
apt-get update
apt-get install -y --no-install-recommends ca-certificates less tini unzip
rm -rf /var/lib/apt/lists/*
EOT

COPY --from=golang:1.22 /usr/local/go /usr/local/go

ENV PATH="/usr/local/go/bin:/root/go/bin:${PATH}"

RUN --mount=type=cache,target=/root/.cache/go-build --mount=type=cache,target=/root/go/pkg/mod <<EOT
set -eux
go install github.com/go-delve/delve/cmd/dlv@v1.22.1
go install github.com/air-verse/air@latest
go install gotest.tools/gotestsum@v1.11.0
EOT

WORKDIR /src
CMD ["bash"]
