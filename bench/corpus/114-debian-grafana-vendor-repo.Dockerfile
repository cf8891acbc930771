FROM debian:12-slim

ARG DEBIAN_FRONTEND=noninteractive

RUN set -eux; \
	apt-get update; \
	apt-get install -y --no-install-recommends ca-certificates curl gnupg; \
	install -m 0755 -d /etc/apt/keyrings; \
	curl -fsSL https://apt.grafana.com/gpg.key | gpg --dearmor -o /etc/apt/keyrings/grafana.gpg; \
	echo "deb [signed-by=/etc/apt/keyrings/grafana.gpg] https://apt.grafana.com stable main" > /etc/apt/sources.list.d/grafana.list; \
	apt-get update; \
	apt-get install -y --no-install-recommends \
		grafana \
	; \
	rm -rf /var/lib/apt/lists/*

RUN mkdir -p /var/lib/grafana && chown -R grafana:grafana /var/lib/grafana

VOLUME /var/lib/grafana
USER grafana

EXPOSE 3000
CMD ["grafana-server", "--homepath=/usr/share/grafana"]
