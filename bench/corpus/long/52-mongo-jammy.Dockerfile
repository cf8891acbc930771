#
# Generated for the drydock benchmark in the style of the mongo official image.
# Variant: jammy. Do not edit by hand; regenerate with bench/corpus/long/generate.mjs.
#

FROM ubuntu:22.04

RUN set -eux; \
	groupadd --gid 999 --system mongodb; \
	useradd --uid 999 --system --gid mongodb --home-dir /data/db mongodb; \
	mkdir -p /data/db /data/configdb; \
	chown -R mongodb:mongodb /data/db /data/configdb

RUN apt-get update && \
	apt-get install -y --no-install-recommends ca-certificates jq numactl procps && \
	rm -rf /var/lib/apt/lists/*

ENV GOSU_VERSION 1.17
ENV JSYAML_VERSION 3.13.1
ENV JSYAML_CHECKSUM d01aa51b3cd1505a20bdf2279d4a9db33b1b6022eb6e2234a9086bee766213b1

RUN savedAptMark="$(apt-mark showmanual)" && \
	apt-get update && \
	apt-get install -y --no-install-recommends gnupg wget && \
	rm -rf /var/lib/apt/lists/* && \
	dpkgArch="$(dpkg --print-architecture | awk -F- '{ print $NF }')" && \
	wget -O /usr/local/bin/gosu "https://github.com/tianon/gosu/releases/download/$GOSU_VERSION/gosu-$dpkgArch" && \
	wget -O /usr/local/bin/gosu.asc "https://github.com/tianon/gosu/releases/download/$GOSU_VERSION/gosu-$dpkgArch.asc" && \
	export GNUPGHOME="$(mktemp -d)" && \
	gpg --batch --keyserver hkps://keys.openpgp.org --recv-keys 61AA3E33AD0779080B417A504BECC85538CC9DDB && \
	gpg --batch --verify /usr/local/bin/gosu.asc /usr/local/bin/gosu && \
	mkdir -p /opt/js-yaml/ && \
	wget -O /opt/js-yaml/js-yaml.tgz https://registry.npmjs.org/js-yaml/-/js-yaml-$JSYAML_VERSION.tgz && \
	echo "$JSYAML_CHECKSUM */opt/js-yaml/js-yaml.tgz" | sha256sum -c - && \
	tar -xz --strip-components=1 -f /opt/js-yaml/js-yaml.tgz -C /opt/js-yaml package/dist/js-yaml.js package/package.json && \
	rm /opt/js-yaml/js-yaml.tgz && \
	ln -s /opt/js-yaml/dist/js-yaml.js /js-yaml.js && \
	gpgconf --kill all && \
	rm -rf "$GNUPGHOME" /usr/local/bin/gosu.asc && \
	apt-mark auto '.*' > /dev/null && \
	apt-mark manual $savedAptMark > /dev/null && \
	apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportance=false && \
	chmod +x /usr/local/bin/gosu && \
	gosu --version && \
	gosu nobody true

RUN mkdir /docker-entrypoint-initdb.d

RUN export GNUPGHOME="$(mktemp -d)" && \
	set -- '64AFA69E18290447658EB427E5572B9E875E6830' && \
	for key; do \
		gpg --batch --keyserver keyserver.ubuntu.com --recv-keys "$key"; \
	done && \
	mkdir -p /etc/apt/keyrings && \
	gpg --batch --export "$@" > /etc/apt/keyrings/mongodb.gpg && \
	gpgconf --kill all && \
	rm -rf "$GNUPGHOME"

ARG MONGO_PACKAGE=mongodb-org
ARG MONGO_REPO=repo.mongodb.org
ENV MONGO_PACKAGE=${MONGO_PACKAGE} MONGO_REPO=${MONGO_REPO}

ENV MONGO_MAJOR 8.0

RUN echo "deb [ signed-by=/etc/apt/keyrings/mongodb.gpg ] http://$MONGO_REPO/apt/ubuntu jammy/${MONGO_PACKAGE%-unstable}/$MONGO_MAJOR multiverse" | tee "/etc/apt/sources.list.d/${MONGO_PACKAGE%-unstable}.list"

ENV MONGO_VERSION 8.0.4

RUN set -eux; \
	export DEBIAN_FRONTEND=noninteractive; \
	apt-get update; \
	ln -s /bin/true /usr/local/bin/systemctl; \
	apt-get install -y \
		${MONGO_PACKAGE}=$MONGO_VERSION \
		${MONGO_PACKAGE}-server=$MONGO_VERSION \
		${MONGO_PACKAGE}-shell=$MONGO_VERSION \
		${MONGO_PACKAGE}-mongos=$MONGO_VERSION \
		${MONGO_PACKAGE}-tools=$MONGO_VERSION \
		; \
	rm -f /usr/local/bin/systemctl; \
	rm -rf /var/lib/apt/lists/*; \
	rm -rf /var/lib/mongodb; \
	mv /etc/mongod.conf /etc/mongod.conf.orig

VOLUME /data/db /data/configdb

ENV HOME /data/db

COPY --chmod=755 <<'EOF' /usr/local/bin/docker-entrypoint.sh
#!/usr/bin/env bash
set -Eeo pipefail

# if the first argument looks like a flag, assume the user wants to run the server
if [ "${1:0:1}" = '-' ]; then
	set -- mongod "$@"
fi

# drop root privileges when started as root
if [ "$1" = 'mongod' ] && [ "$(id -u)" = '0' ]; then
	find /var/lib/mongodb \! -user mongodb -exec chown mongodb '{}' +
	exec gosu mongodb "$BASH_SOURCE" "$@"
fi

for f in /docker-entrypoint-init.d/*; do
	case "$f" in
		*.sh) echo "$0: running $f"; . "$f" ;;
		*) echo "$0: ignoring $f" ;;
	esac
done

exec "$@"
EOF
RUN mkdir /docker-entrypoint-init.d && ln -s /usr/local/bin/docker-entrypoint.sh /mongo-entrypoint.sh

ENTRYPOINT ["docker-entrypoint.sh"]

EXPOSE 27017

CMD ["mongod"]
