# syntax=docker/dockerfile:1
FROM ubuntu:noble

RUN rm -f /etc/apt/apt.conf.d/docker-clean; echo 'Binary::apt::APT::Keep-Downloaded-Packages "true";' > /etc/apt/apt.conf.d/keep-cache
RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \
  --mount=type=cache,target=/var/lib/apt,sharing=locked <<EOF
set -eux
apt-get update
apt-get install -y --no-install-recommends cmake git build-essential ninja-build libssl-dev
EOF

RUN <<-'EOF' bash
	#!/usr/bin/env bash
	set -euo pipefail
	groupadd --gid 1000 ci
	useradd --uid 1000 --gid ci --create-home --shell /bin/bash ci
	mkdir -p /workspace /home/ci/.cache
	chown -R ci:ci /workspace /home/ci/.cache
EOF

COPY --chmod=755 <<'EOF' /usr/local/bin/entrypoint.sh
#!/bin/sh
set -e
if [ -f /workspace/.env ]; then
  set -a; . /workspace/.env; set +a
fi
exec "$@"
EOF

USER ci
WORKDIR /workspace
ENTRYPOINT ["/usr/local/bin/entrypoint.sh"]
CMD ["bash"]
