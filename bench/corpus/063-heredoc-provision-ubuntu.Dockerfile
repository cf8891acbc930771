# syntax=docker/dockerfile:1
# check=skip=SecretsUsedInArgOrEnv
# Start from a small base
FROM ubuntu:24.04

RUN <<EOF
set -ex
apt-get update
apt-get install -y --no-install-recommends tini unzip rsync git less jq
rm -rf /var/lib/apt/lists/*
EOF

RUN <<-EOF bash
	#!/usr/bin/env bash
	set -euo pipefail
	groupadd --gid 1000 runner
	useradd --uid 1000 --gid runner --create-home --shell /bin/bash runner
	mkdir -p /workspace /home/runner/.cache
	chown -R runner:runner /workspace /home/runner/.cache
EOF

COPY --chmod=755 <<'EOF' /usr/local/bin/entrypoint.sh
#!/bin/sh
set -e
if [ -f /workspace/.env ]; then
  set -a; . /workspace/.env; set +a
fi
exec "$@"
EOF

# Do not run as root
USER runner
WORKDIR /workspace
ENTRYPOINT ["/usr/local/bin/entrypoint.sh"]
CMD ["bash"]
