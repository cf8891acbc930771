FROM debian:bookworm-slim

ARG DEBIAN_FRONTEND=noninteractive

RUN set -eux; \
	apt-get update; \
	apt-get install -y --no-install-recommends ca-certificates=20230311 curl=7.88.1-10+deb12u5 gnupg=2.2.40-1.1; \
	install -m 0755 -d /etc/apt/keyrings; \
	curl -fsSL https://pgp.mongodb.com/server-7.0.asc | gpg --dearmor -o /etc/apt/keyrings/mongodb.gpg; \
	echo "deb [signed-by=/etc/apt/keyrings/mongodb.gpg] http://repo.mongodb.org/apt/debian bookworm/mongodb-org/7.0 main" > /etc/apt/sources.list.d/mongodb.list; \
	apt-get update; \
	apt-get install -y --no-install-recommends \
		mongodb-org=5.7.8-1 \
	; \
	rm -rf /var/lib/apt/lists/*

RUN mkdir -p /data/db && chown -R mongodb:mongodb /data/db

# Data directory
VOLUME /data/db

COPY docker-entrypoint.sh /usr/local/bin/

ENTRYPOINT ["docker-entrypoint.sh"]

EXPOSE 27017

# Run the app
CMD ["mongod", "--bind_ip_all"]
