FROM debian:bullseye-slim

# explicitly set user/group IDs
RUN set -eux; \
	groupadd -r postgres --gid=999; \
	useradd -r -g postgres --uid=999 --home-dir=/var/lib/postgres --shell=/bin/bash postgres; \
	mkdir -p /var/lib/postgres; \
	chown -R postgres:postgres /var/lib/postgres

# grab gosu for easy step-down from root
ENV GOSU_VERSION 1.12
RUN set -eux; \
	savedAptMark="$(apt-mark showmanual)"; \
	apt-get update; \
	apt-get install -y --no-install-recommends ca-certificates gnupg wget; \
	rm -rf /var/lib/apt/lists/*; \
	dpkgArch="$(dpkg --print-architecture | awk -F- '{ print $NF }')"; \
	wget -O /usr/local/bin/gosu "https://github.com/tianon/gosu/releases/download/$GOSU_VERSION/gosu-$dpkgArch"; \
	wget -O /usr/local/bin/gosu.asc "https://github.com/tianon/gosu/releases/download/$GOSU_VERSION/gosu-$dpkgArch.asc"; \
	export GNUPGHOME="$(mktemp -d)"; \
	gpg --batch --keyserver hkps://keys.openpgp.org --recv-keys DE5A6EE34FA1766E37E24A9BEA2141CD8C6B92A1; \
	gpg --batch --verify /usr/local/bin/gosu.asc /usr/local/bin/gosu; \
	gpgconf --kill all; \
	rm -rf "$GNUPGHOME" /usr/local/bin/gosu.asc; \
	apt-mark auto '.*' > /dev/null; \
	[ -z "$savedAptMark" ] || apt-mark manual $savedAptMark > /dev/null; \
	apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportance=false; \
	chmod +x /usr/local/bin/gosu; \
	gosu --version; \
	gosu nobody true

# make the "en_US.UTF-8" locale so the service will be utf-8 enabled by default
RUN set -eux; \
	if [ -f /etc/dpkg/dpkg.cfg.d/docker ]; then \
		grep -q '/usr/share/locale' /etc/dpkg/dpkg.cfg.d/docker; \
		sed -ri '/\/usr\/share\/locale/d' /etc/dpkg/dpkg.cfg.d/docker; \
		! grep -q '/usr/share/locale' /etc/dpkg/dpkg.cfg.d/docker; \
	fi; \
	apt-get update; apt-get install -y --no-install-recommends locales; rm -rf /var/lib/apt/lists/*; \
	echo 'en_US.UTF-8 UTF-8' >> /etc/locale.gen; \
	locale-gen; \
	locale -a | grep 'en_US.utf8'
ENV LANG en_US.utf8

RUN set -eux; \
	apt-get update; \
	apt-get install -y --no-install-recommends \
			bzip2 \
			libssl3 \
			dumb-init \
			less \
			ca-certificates \
			iproute2 \
		; \
	rm -rf /var/lib/apt/lists/*

ENV MYSQLD_EXPORTER_VERSION 0.15.9

RUN set -eux; \
	savedAptMark="$(apt-mark showmanual)"; \
	apt-get update; \
	apt-get install -y --no-install-recommends ca-certificates curl unzip; \
	dpkgArch="$(dpkg --print-architecture)"; \
	case "${dpkgArch##*-}" in \
		amd64) toolArch='amd64'; SHA256='5223ea608320218f181454cf4eccbb97ddda22ea85a06946ff3fb96b17868a25' ;; \
		arm64) toolArch='arm64'; SHA256='71fc62dcc5e7a1d6129d8bb8c9d81bf2273871ed181a7cacb38135a12bea5af1' ;; \
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

ENV PG_VERSION 15.9

ENV PG_SHA256 53f96115a870407e84c769abc334e56a7981997d503509f0b02a93f69f17bc0f

ENV PG_DOWNLOAD_URL https://ftp.postgresql.org/pub/source/v15.9/postgresql-$PG_VERSION.tar.bz2

RUN set -eux; \
	savedAptMark="$(apt-mark showmanual)"; \
	apt-get update; \
	apt-get install -y --no-install-recommends \
			bison \
			dpkg-dev \
			flex \
			gcc \
			libicu-dev \
			libldap2-dev \
			libreadline-dev \
			libssl-dev \
			libxml2-dev \
			libxslt1-dev \
			make \
			pkg-config \
			uuid-dev \
			zlib1g-dev \
			wget \
		; \
# sanity check the toolchain before starting a long build
	wget -O src.tar.gz "https://ftp.postgresql.org/pub/source/v$PG_VERSION/postgresql-$PG_VERSION.tar.bz2"; \
	echo "$PG_SHA256 *src.tar.gz" | sha256sum -c -; \
	mkdir -p /usr/src/postgresql; \
	tar --extract --file src.tar.gz --directory /usr/src/postgresql --strip-components=1; \
	rm src.tar.gz; \
	cd /usr/src/postgresql; \
	gnuArch="$(dpkg-architecture --query DEB_BUILD_GNU_TYPE)"; \
	./configure \
			--build="$gnuArch" \
			--enable-integer-datetimes \
			--enable-thread-safety \
			--enable-tap-tests \
			--disable-rpath \
			--with-uuid=e2fs \
			--with-gnu-ld \
			--with-pgport=5432 \
			--with-system-tzdata=/usr/share/zoneinfo \
			--prefix=/usr/local \
			--with-includes=/usr/local/include \
			--with-libraries=/usr/local/lib \
			--with-icu \
			--with-ldap \
			--with-libxml \
			--with-libxslt \
			--with-openssl \
			--with-lz4 \
			--with-zstd \
		; \
	nproc="$(nproc)"; \
	make -j "$nproc"; \
	make install; \
	make -C contrib; \
	make -C contrib install; \
	cd /; \
	rm -rf /usr/src/postgresql; \
	find /usr/local -depth \( -type d -a \( -name test -o -name tests -o -name idle_test \) \) -exec rm -rf '{}' +; \
	apt-mark auto '.*' > /dev/null; \
	[ -z "$savedAptMark" ] || apt-mark manual $savedAptMark > /dev/null; \
	find /usr/local -type f -executable -exec ldd '{}' ';' \
		| awk '/=>/ { so = $(NF-1); if (index(so, "/usr/local/") == 1) { next }; gsub("^/(usr/)?", "", so); printf "*%s\n", so }' \
		| sort -u \
		| xargs -r dpkg-query --search \
		| cut -d: -f1 \
		| sort -u \
		| xargs -r apt-mark manual \
	> /dev/null; \
	apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportance=false; \
	rm -rf /var/lib/apt/lists/*

RUN sed -ri "s!^#?(listen_addresses)\s*=\s*\S+.*!\1 = '*'!" /usr/local/share/postgresql/postgresql.conf.sample && \
	grep -F "listen_addresses = '*'" /usr/local/share/postgresql/postgresql.conf.sample && \
	install --verbose --directory --owner postgres --group postgres --mode 3777 /var/run/postgresql

ENV PGDATA /var/lib/postgresql/data

# this 1777 will be replaced by 0700 at runtime (allows semi-arbitrary "--user" values)

RUN install --verbose --directory --owner postgres --group postgres --mode 1777 "$PGDATA"

COPY --chmod=755 <<'EOF' /usr/local/bin/docker-entrypoint.sh
#!/usr/bin/env bash
set -Eeo pipefail

# if the first argument looks like a flag, assume the user wants to run the server
if [ "${1:0:1}" = '-' ]; then
	set -- postgres "$@"
fi

# drop root privileges when started as root
if [ "$1" = 'postgres' ] && [ "$(id -u)" = '0' ]; then
	find /var/lib/postgres \! -user postgres -exec chown postgres '{}' +
	exec gosu postgres "$BASH_SOURCE" "$@"
fi

for f in /docker-entrypoint-init.d/*; do
	case "$f" in
		*.sh) echo "$0: running $f"; . "$f" ;;
		*) echo "$0: ignoring $f" ;;
	esac
done

exec "$@"
EOF
RUN mkdir /docker-entrypoint-init.d && ln -s /usr/local/bin/docker-entrypoint.sh /postgres-entrypoint.sh

VOLUME /var/lib/postgresql/data
ENTRYPOINT ["docker-entrypoint.sh"]

STOPSIGNAL SIGINT

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
	CMD pg_isready -U postgres || exit 1

EXPOSE 5432
CMD ["postgres"]
