#
# Generated for the drydock benchmark in the style of the mysql official image.
# Variant: alpine3.20. Do not edit by hand; regenerate with bench/corpus/long/generate.mjs.
#

FROM oraclelinux:9-slim

RUN set -eux; \
	groupadd --system --gid 999 mysql; \
	useradd --system --uid 999 --gid 999 --home-dir /var/lib/mysql --no-create-home mysql

ENV GOSU_VERSION 1.17

RUN set -eux; \
	arch="$(uname -m)"; \
	case "$arch" in \
		aarch64) gosuArch='arm64' ;; \
		x86_64) gosuArch='amd64' ;; \
		*) echo >&2 "error: unsupported architecture: '$arch'"; exit 1 ;; \
	esac; \
	curl -fL -o /usr/local/bin/gosu.asc "https://github.com/tianon/gosu/releases/download/$GOSU_VERSION/gosu-$gosuArch.asc"; \
	curl -fL -o /usr/local/bin/gosu "https://github.com/tianon/gosu/releases/download/$GOSU_VERSION/gosu-$gosuArch"; \
	export GNUPGHOME="$(mktemp -d)"; \
	gpg --batch --keyserver hkps://keys.openpgp.org --recv-keys B27AD4D54A91321535950A80D6F7748F83095E3D; \
	gpg --batch --verify /usr/local/bin/gosu.asc /usr/local/bin/gosu; \
	rm -rf "$GNUPGHOME" /usr/local/bin/gosu.asc; \
	chmod +x /usr/local/bin/gosu; \
	gosu --version; \
	gosu nobody true

RUN set -eux; \
	microdnf install -y \
			bzip2 \
			gzip \
			openssl \
			xz \
			zstd \
			findutils \
		; \
	microdnf clean all

RUN set -eux; \
	key='020958C007CC76064AFB7CD91261447B980A6C2C'; \
	export GNUPGHOME="$(mktemp -d)"; \
	gpg --batch --keyserver keyserver.ubuntu.com --recv-keys "$key"; \
	gpg --batch --export --armor "$key" > /etc/pki/rpm-gpg/RPM-GPG-KEY-mysql; \
	rm -rf "$GNUPGHOME"

ENV MYSQL_MAJOR 8.4

ENV MYSQL_VERSION 8.4.31-1.el9

RUN { \
		echo '[mysql84-server-minimal]'; \
		echo 'name=MySQL Server Minimal'; \
		echo 'enabled=1'; \
		echo 'baseurl=https://repo.mysql.com/yum/mysql-8.4-community/docker/el/9/$basearch/'; \
		echo 'gpgcheck=1'; \
		echo 'gpgkey=file:///etc/pki/rpm-gpg/RPM-GPG-KEY-mysql'; \
		echo 'module_hotfixes=true'; \
	} | tee /etc/yum.repos.d/mysql-community-minimal.repo

RUN microdnf install -y "mysql-community-server-minimal-$MYSQL_VERSION" && \
	microdnf clean all && \
	grep -F 'socket=/var/lib/mysql/mysql.sock' /etc/my.cnf && \
	sed -i 's!^socket=.*!socket=/var/run/mysqld/mysqld.sock!' /etc/my.cnf && \
	grep -F 'socket=/var/run/mysqld/mysqld.sock' /etc/my.cnf && \
	{ echo '[client]'; echo 'socket=/var/run/mysqld/mysqld.sock'; } >> /etc/my.cnf && \
	! grep -F '!includedir' /etc/my.cnf && \
	{ echo; echo '!includedir /etc/mysql/conf.d/'; } >> /etc/my.cnf && \
	mkdir -p /etc/mysql/conf.d && \
	mkdir -p /var/lib/mysql /var/run/mysqld && \
	chown mysql:mysql /var/lib/mysql /var/run/mysqld && \
	chmod 1777 /var/lib/mysql /var/run/mysqld && \
	mkdir /docker-entrypoint-initdb.d && \
	mysqld --version && \
	mysql --version

ENV MYSQLD_EXPORTER_VERSION 0.15.0

RUN set -eux; \
	savedAptMark="$(apt-mark showmanual)"; \
	apt-get update; \
	apt-get install -y --no-install-recommends ca-certificates curl unzip; \
	dpkgArch="$(dpkg --print-architecture)"; \
	case "${dpkgArch##*-}" in \
		amd64) toolArch='amd64'; SHA256='baf3e2acf9c5117a79b41b3dd79e07ac7f3b618c865b02fc1b8f7495531a2152' ;; \
		arm64) toolArch='arm64'; SHA256='82813112a0ab9cd381dd5c312b3823fb8b255f51417013200753b27392c2147d' ;; \
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
