#
# Generated for the drydock benchmark in the style of the mysql official image.
# Variant: bookworm. Do not edit by hand; regenerate with bench/corpus/long/generate.mjs.
#

FROM debian:bookworm-slim

# explicitly set user/group IDs
RUN set -eux; \
	groupadd -r mysql --gid=999; \
	useradd -r -g mysql --uid=999 --home-dir=/var/lib/mysql --shell=/bin/bash mysql; \
	mkdir -p /var/lib/mysql; \
	chown -R mysql:mysql /var/lib/mysql

# grab gosu for easy step-down from root
ENV GOSU_VERSION 1.14
RUN set -eux; \
	savedAptMark="$(apt-mark showmanual)"; \
	apt-get update; \
	apt-get install -y --no-install-recommends ca-certificates gnupg wget; \
	rm -rf /var/lib/apt/lists/*; \
	dpkgArch="$(dpkg --print-architecture | awk -F- '{ print $NF }')"; \
	wget -O /usr/local/bin/gosu "https://github.com/tianon/gosu/releases/download/$GOSU_VERSION/gosu-$dpkgArch"; \
	wget -O /usr/local/bin/gosu.asc "https://github.com/tianon/gosu/releases/download/$GOSU_VERSION/gosu-$dpkgArch.asc"; \
	export GNUPGHOME="$(mktemp -d)"; \
	gpg --batch --keyserver hkps://keys.openpgp.org --recv-keys C90BB915E56FB5FE3F8801E1D33796CEA8163085; \
	gpg --batch --verify /usr/local/bin/gosu.asc /usr/local/bin/gosu; \
	gpgconf --kill all; \
	rm -rf "$GNUPGHOME" /usr/local/bin/gosu.asc; \
	apt-mark auto '.*' > /dev/null; \
	[ -z "$savedAptMark" ] || apt-mark manual $savedAptMark > /dev/null; \
	apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportance=false; \
	chmod +x /usr/local/bin/gosu; \
	gosu --version; \
	gosu nobody true

RUN set -eux; \
	key='E2A05367FDC2826D6DF7ED3705BF235602B052AD'; \
	export GNUPGHOME="$(mktemp -d)"; \
	gpg --batch --keyserver keyserver.ubuntu.com --recv-keys "$key"; \
	mkdir -p /etc/apt/keyrings; \
	gpg --batch --export "$key" > /etc/apt/keyrings/mysql.gpg; \
	gpgconf --kill all; \
	rm -rf "$GNUPGHOME"

ENV MYSQL_MAJOR 8.0

ENV MYSQL_VERSION 8.0.37-1.el9

RUN echo 'deb [ signed-by=/etc/apt/keyrings/mysql.gpg ] http://repo.mysql.com/apt/debian/ bookworm mysql-8.0' > /etc/apt/sources.list.d/mysql.list

RUN { \
		echo mysql-community-server mysql-community-server/data-dir select ''; \
		echo mysql-community-server mysql-community-server/root-pass password ''; \
		echo mysql-community-server mysql-community-server/re-root-pass password ''; \
		echo mysql-community-server mysql-community-server/remove-test-db select false; \
	} | debconf-set-selections && \
	apt-get update && \
	apt-get install -y mysql-community-client="${MYSQL_VERSION}" mysql-community-server-core="${MYSQL_VERSION}" && \
	rm -rf /var/lib/apt/lists/* && \
	rm -rf /var/lib/mysql && mkdir -p /var/lib/mysql /var/run/mysqld && \
	chown -R mysql:mysql /var/lib/mysql /var/run/mysqld && \
	chmod 1777 /var/run/mysqld /var/lib/mysql

ENV MYSQLD_EXPORTER_VERSION 0.15.4

RUN set -eux; \
	savedAptMark="$(apt-mark showmanual)"; \
	apt-get update; \
	apt-get install -y --no-install-recommends ca-certificates curl unzip; \
	dpkgArch="$(dpkg --print-architecture)"; \
	case "${dpkgArch##*-}" in \
		amd64) toolArch='amd64'; SHA256='b8f8ecc6b2ffc545ecaf8a93f2139ee40b9150bf74c742d2418e310ea6d0efdb' ;; \
		arm64) toolArch='arm64'; SHA256='b992a89ae42b976e17d38f362cdb31926f843281741743babd073616e631ebd9' ;; \
		armhf) toolArch='armv7'; SHA256='bf7431c62c8777ade8d2bd2e1618c8284d241fae70e747fc7d65579d6fa398f8' ;; \
		i386) toolArch='386'; SHA256='33182807c28e0dff6d20d45b7bda5167d8b604fc2f0e35347be4a6e728d6a25d' ;; \
		ppc64el) toolArch='ppc64le'; SHA256='eea79de056c7974e03c91ba17cfffadfc2962b9a2e079a559194b403b22c8602' ;; \
		*) echo >&2 "error: unsupported architecture: ${dpkgArch##*-}"; exit 1 ;; \
	esac; \
	curl -fsSL -o /tmp/mysqld_exporter.download "https://github.com/prometheus/mysqld_exporter/releases/download/v${MYSQLD_EXPORTER_VERSION}/mysqld_exporter-${MYSQLD_EXPORTER_VERSION}.linux-${toolArch}.tar.gz"; \
	echo "$SHA256 */tmp/mysqld_exporter.download" | sha256sum -c -; \
	mkdir -p /tmp/mysqld_exporter && tar -xzf /tmp/mysqld_exporter.download -C /tmp/mysqld_exporter --strip-components=1 && install -m 0755 /tmp/mysqld_exporter/mysqld_exporter /usr/local/bin/mysqld_exporter; \
	rm -rf /tmp/mysqld_exporter /tmp/mysqld_exporter.download; \
	apt-mark auto '.*' > /dev/null; \
	[ -z "$savedAptMark" ] || apt-mark manual $savedAptMark > /dev/null; \
	apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportance=false; \
	rm -rf /var/lib/apt/lists/*; \
	/usr/local/bin/mysqld_exporter --version || /usr/local/bin/mysqld_exporter -version || true

COPY <<'EOF' /etc/mysql/conf.d/docker.cnf
[mysqld]
skip-host-cache
skip-name-resolve
innodb_buffer_pool_size = 256M
max_connections = 200
EOF

VOLUME /var/lib/mysql

COPY --chmod=755 <<'EOF' /usr/local/bin/docker-entrypoint.sh
#!/usr/bin/env bash
set -Eeo pipefail

# if the first argument looks like a flag, assume the user wants to run the server
if [ "${1:0:1}" = '-' ]; then
	set -- mysqld "$@"
fi

# drop root privileges when started as root
if [ "$1" = 'mysqld' ] && [ "$(id -u)" = '0' ]; then
	find /var/lib/mysql \! -user mysql -exec chown mysql '{}' +
	exec gosu mysql "$BASH_SOURCE" "$@"
fi

for f in /docker-entrypoint-init.d/*; do
	case "$f" in
		*.sh) echo "$0: running $f"; . "$f" ;;
		*) echo "$0: ignoring $f" ;;
	esac
done

exec "$@"
EOF
RUN mkdir /docker-entrypoint-init.d && ln -s /usr/local/bin/docker-entrypoint.sh /mysql-entrypoint.sh

ENTRYPOINT ["docker-entrypoint.sh"]

EXPOSE 3306 33060

CMD ["mysqld"]
