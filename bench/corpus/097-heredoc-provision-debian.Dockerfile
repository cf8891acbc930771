# syntax=docker/dockerfile:1.7
FROM debian:latest

RUN <<EOF
set -e
apt-get update
apt-get install -y --no-install-recommends less git tini
rm -rf /var/lib/apt/lists/*
EOF

RUN <<-'EOF' bash
	#!/usr/bin/env bash
	set -euo pipefail
	groupadd --gid 1000 ci
	useradd --uid 1000 --gid ci --create-home --shell /bin/bash ci
	echo "ci ALL=(ALL) NOPASSWD:ALL" > /etc/sudoers.d/ci
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
