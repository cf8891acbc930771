# syntax=docker/dockerfile:1.6
FROM debian:bookworm-slim

RUN <<EOF
set -e
apt-get update
apt-get install -y --no-install-recommends less tini git
rm -rf /var/lib/apt/lists/*
EOF

COPY <<EOF /etc/app/config.toml
[server]
listen = "0.0.0.0:9000"
log_level = "debug"

[storage]
path = "/var/lib/app"
EOF

COPY <<-EOF /etc/logrotate.d/app
	/var/log/app/*.log {
	  daily
	  rotate 7
	  compress
	}
EOF

COPY --from=ghcr.io/acme/app:v2.0.0 /usr/local/bin/app /usr/local/bin/app
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/app", "--config", "/etc/app/config.toml"]
