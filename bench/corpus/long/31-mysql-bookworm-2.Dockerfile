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
ENV GOSU_VERSION 1.15
RUN savedAptMark="$(apt-mark showmanual)" && \
	apt-get update && \
	apt-get install -y --no-install-recommends ca-certificates gnupg wget && \
	rm -rf /var/lib/apt/lists/* && \
	dpkgArch="$(dpkg --print-architecture | awk -F- '{ print $NF }')" && \
	wget -O /usr/local/bin/gosu "https://github.com/tianon/gosu/releases/download/$GOSU_VERSION/gosu-$dpkgArch" && \
	wget -O /usr/local/bin/gosu.asc "https://github.com/tianon/gosu/releases/download/$GOSU_VERSION/gosu-$dpkgArch.asc" && \
	export GNUPGHOME="$(mktemp -d)" && \
	gpg --batch --keyserver hkps://keys.openpgp.org --recv-keys B85421F5C4F9CEA61C11B5476776DBE154D3329E && \
	gpg --batch --verify /usr/local/bin/gosu.asc /usr/local/bin/gosu && \
	gpgconf --kill all && \
	rm -rf "$GNUPGHOME" /usr/local/bin/gosu.asc && \
	apt-mark auto '.*' > /dev/null && \
	[ -z "$savedAptMark" ] || apt-mark manual $savedAptMark > /dev/null && \
	apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportance=false && \
	chmod +x /usr/local/bin/gosu && \
	gosu --version && \
	gosu nobody true

RUN set -eux; \
	key='F1E855F3364D9903613EF406610ED829F19C0A52'; \
	export GNUPGHOME="$(mktemp -d)"; \
	gpg --batch --keyserver keyserver.ubuntu.com --recv-keys "$key"; \
	mkdir -p /etc/apt/keyrings; \
	gpg --batch --export "$key" > /etc/apt/keyrings/mysql.gpg; \
	gpgconf --kill all; \
	rm -rf "$GNUPGHOME"

ENV MYSQL_MAJOR 8.0

ENV MYSQL_VERSION 8.0.38-1.el9

RUN echo 'deb [ signed-by=/etc/apt/keyrings/mysql.gpg ] http://repo.mysql.com/apt/debian/ bookworm mysql-8.0' > /etc/apt/sources.list.d/mysql.list

RUN set -eux; \
	{ \
		echo mysql-community-server mysql-community-server/data-dir select ''; \
		echo mysql-community-server mysql-community-server/root-pass password ''; \
		echo mysql-community-server mysql-community-server/re-root-pass password ''; \
		echo mysql-community-server mysql-community-server/remove-test-db select false; \
	} | debconf-set-selections; \
	apt-get update; \
	apt-get install -y mysql-community-client="${MYSQL_VERSION}" mysql-community-server-core="${MYSQL_VERSION}"; \
	rm -rf /var/lib/apt/lists/*; \
	rm -rf /var/lib/mysql && mkdir -p /var/lib/mysql /var/run/mysqld; \
	chown -R mysql:mysql /var/lib/mysql /var/run/mysqld; \
	chmod 1777 /var/run/mysqld /var/lib/mysql

ENV MYSQLD_EXPORTER_VERSION 0.15.1

RUN set -eux; \
	savedAptMark="$(apt-mark showmanual)"; \
	apt-get update; \
	apt-get install -y --no-install-recommends ca-certificates curl unzip; \
	dpkgArch="$(dpkg --print-architecture)"; \
	case "${dpkgArch##*-}" in \
		amd64) toolArch='amd64'; SHA256='627d813f90c7e1d0a9126a09e4bbb07cf137937f108a06bf523f45ff3160a775' ;; \
		arm64) toolArch='arm64'; SHA256='412810b9c6ded77cd7f8ae6ddabafce5db162446dbf3978efa291b9a61b33c4f' ;; \
		armhf) toolArch='armv7'; SHA256='33a4e3c24c0e89db08b021cf41a92e4ecc0deae30d9ef23b082dbe203a5254cf' ;; \
		i386) toolArch='386'; SHA256='4459347a6ba57954c0733c78479356a36cbd632270f1a702d9b0a801c1937359' ;; \
		ppc64el) toolArch='ppc64le'; SHA256='6de3beb780f24f8ac7cfdca196289145a36bf7b704b220bd49d3cd3bb686f749' ;; \
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
