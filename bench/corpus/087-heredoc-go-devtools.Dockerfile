# syntax=docker/dockerfile:1
# Runtime image
FROM ubuntu:20.04

RUN <<SCRIPT
set -ex
apt-get update
apt-get install -y --no-install-recommends tini curl less git
rm -rf /var/lib/apt/lists/*
SCRIPT

COPY --from=golang:1.22 /usr/local/go /usr/local/go

ENV PATH="/usr/local/go/bin:/root/go/bin:${PATH}"
RUN --mount=type=cache,target=/root/.cache/go-build --mount=type=cache,target=/root/go/pkg/mod <<SCRIPT
set -eux
go install golang.org/x/tools/cmd/goimports@latest
go install github.com/go-delve/delve/cmd/dlv@v1.22.1
SCRIPT

# Working directory inside the container
WORKDIR /src

# Default command
CMD ["bash"]
