# syntax=docker/dockerfile:1.6
FROM debian:bookworm-slim

RUN <<EOT
set -ex
apt-get update
apt-get install -y --no-install-recommends less tini git unzip
rm -rf /var/lib/apt/lists/*
EOT

COPY <<EOT /etc/app/config.toml
[server]
listen = "0.0.0.0:8080"
log_level = "warn"

[storage]
path = "/var/lib/app"
EOT

COPY <<-EOT /etc/logrotate.d/app
	/var/log/app/*.log {
	  daily
	  rotate 7
	  compress
	}
EOT

COPY --from=ghcr.io/acme/app:v2.0.0 /usr/local/bin/app /usr/local/bin/app

# Make the service port available outside the container
EXPOSE 8080
# Run the service
ENTRYPOINT ["/usr/local/bin/app", "--config", "/etc/app/config.toml"]
