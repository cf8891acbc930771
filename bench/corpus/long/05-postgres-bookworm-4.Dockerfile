#
# Generated for the drydock benchmark in the style of the postgres official image.
# Variant: bookworm. Do not edit by hand; regenerate with bench/corpus/long/generate.mjs.
#

FROM debian:bookworm-slim

# explicitly set user/group IDs
RUN set -eux; \
	groupadd -r postgres --gid=999; \
	useradd -r -g postgres --uid=999 --home-dir=/var/lib/postgres --shell=/bin/bash postgres; \
	mkdir -p /var/lib/postgres; \
	chown -R postgres:postgres /var/lib/postgres

# grab gosu for easy step-down from root
ENV GOSU_VERSION 1.13
RUN set -eux; \
	savedAptMark="$(apt-mark showmanual)"; \
	apt-get update; \
	apt-get install -y --no-install-recommends ca-certificates gnupg wget; \
	rm -rf /var/lib/apt/lists/*; \
	dpkgArch="$(dpkg --print-architecture | awk -F- '{ print $NF }')"; \
	wget -O /usr/local/bin/gosu "https://github.com/tianon/gosu/releases/download/$GOSU_VERSION/gosu-$dpkgArch"; \
	wget -O /usr/local/bin/gosu.asc "https://github.com/tianon/gosu/releases/download/$GOSU_VERSION/gosu-$dpkgArch.asc"; \
	export GNUPGHOME="$(mktemp -d)"; \
	gpg --batch --keyserver hkps://keys.openpgp.org --recv-keys 27A8C41E1412ED1C244236F03145CCD8B6702EF6; \
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

RUN apt-get update && \
	apt-get install -y --no-install-recommends \
			tini \
			libcap2-bin \
			dumb-init \
			unzip \
			ca-certificates \
			less \
			bzip2 \
			iproute2 \
		 && \
	rm -rf /var/lib/apt/lists/*

# postgres release managers
ENV PG_GPG_KEYS \
	7E3059D8417BDF7EB1F75EDC7E8D874A78D322A5 \
	08EAD7947F26532EEF95E57418D930D52B903F04

ENV PG_VERSION 16.4

ENV PG_SHA256 4a3dd90e37923513a2c65eed08d88b6bf1922fed16faca4b41be1718dac67f8f

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
	gcc --version; \
	wget -O src.tar.gz "https://ftp.postgresql.org/pub/source/v$PG_VERSION/postgresql-$PG_VERSION.tar.bz2"; \
	echo "$PG_SHA256 *src.tar.gz" | sha256sum -c -; \
	wget -O src.tar.gz.asc "https://ftp.postgresql.org/pub/source/v$PG_VERSION/postgresql-$PG_VERSION.tar.bz2.asc"; \
	export GNUPGHOME="$(mktemp -d)"; \
	for key in $PG_GPG_KEYS; do \
		gpg --batch --keyserver hkps://keys.openpgp.org --recv-keys "$key"; \
	done; \
	gpg --batch --verify src.tar.gz.asc src.tar.gz; \
	gpgconf --kill all; \
	rm -rf "$GNUPGHOME" src.tar.gz.asc; \
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

RUN <<EOF
set -eux
for dir in /etc/postgres /var/cache/postgres /var/lib/postgres; do
    mkdir -p "$dir"
    chown -R postgres:postgres "$dir"
done
if [ -f /etc/postgres/postgres.conf ]; then
    cp /etc/postgres/postgres.conf /etc/postgres/postgres.conf.dist
fi
case "$(uname -m)" in
    x86_64|aarch64) echo "64-bit build" ;;
    *) echo "32-bit build: limiting memory defaults" ;;
esac
find /usr/local/share/man /usr/share/doc -mindepth 1 -maxdepth 1 -name 'postgres*' -exec rm -rf '{}' + || true
EOF

RUN set -eux; \
	sed -ri "s!^#?(listen_addresses)\s*=\s*\S+.*!\1 = '*'!" /usr/local/share/postgresql/postgresql.conf.sample; \
	grep -F "listen_addresses = '*'" /usr/local/share/postgresql/postgresql.conf.sample; \
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
