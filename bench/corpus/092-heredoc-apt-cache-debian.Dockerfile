# syntax=docker/dockerfile:1.7
# Base image
FROM debian:bookworm-slim

RUN rm -f /etc/apt/apt.conf.d/docker-clean; echo 'Binary::apt::APT::Keep-Downloaded-Packages "true";' > /etc/apt/apt.conf.d/keep-cache

RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \
    --mount=type=cache,target=/var/lib/apt,sharing=locked <<EOT
set -eux
apt-get update
apt-get install -y --no-install-recommends python3-dev pkg-config ninja-build build-essential cmake git
EOT

RUN <<-'EOT' bash
	#!/usr/bin/env bash
	set -euo pipefail
	groupadd --gid 1000 ci
	useradd --uid 1000 --gid ci --create-home --shell /bin/bash ci
	mkdir -p /workspace /home/ci/.cache
	chown -R ci:ci /workspace /home/ci/.cache
EOT

COPY --chmod=755 <<'EOT' /usr/local/bin/entrypoint.sh
#!/bin/sh
set -e
if [ -f /workspace/.env ]; then
  set -a; . /workspace/.env; set +a
fi
exec "$@"
EOT

# Switch to the unprivileged user
USER ci

WORKDIR /workspace

ENTRYPOINT ["/usr/local/bin/entrypoint.sh"]

# Default command
CMD ["bash"]
