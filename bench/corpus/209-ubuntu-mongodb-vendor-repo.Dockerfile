FROM ubuntu:jammy

ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update && \
	apt-get install -y --no-install-recommends ca-certificates curl gnupg && \
	install -m 0755 -d /etc/apt/keyrings && \
	curl -fsSL https://pgp.mongodb.com/server-7.0.asc | gpg --dearmor -o /etc/apt/keyrings/mongodb.gpg && \
	echo "deb [signed-by=/etc/apt/keyrings/mongodb.gpg] http://repo.mongodb.org/apt/debian jammy/mongodb-org/7.0 main" > /etc/apt/sources.list.d/mongodb.list && \
	apt-get update && \
	apt-get install -y --no-install-recommends \
		mongodb-org && \
	rm -rf /var/lib/apt/lists/*

RUN mkdir -p /data/db && chown -R mongodb:mongodb /data/db
VOLUME /data/db
COPY docker-entrypoint.sh /usr/local/bin/
ENTRYPOINT ["docker-entrypoint.sh"]
EXPOSE 27017
CMD ["mongod", "--bind_ip_all"]
