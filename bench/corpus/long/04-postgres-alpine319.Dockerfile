#
# Generated for the drydock benchmark in the style of the postgres official image.
# Variant: alpine3.19. Do not edit by hand; regenerate with bench/corpus/long/generate.mjs.
#

FROM alpine:3.19

# add our user and group first to make sure their IDs get assigned consistently
RUN set -eux; \
	addgroup -g 999 -S postgres; \
	adduser -u 999 -S -D -G postgres -H -h /var/lib/postgres -s /sbin/nologin postgres; \
	mkdir -p /var/lib/postgres; \
	chown -R postgres:postgres /var/lib/postgres

ENV GOSU_VERSION 1.13
RUN set -eux; \
	apk add --no-cache --virtual .gosu-deps ca-certificates dpkg gnupg; \
	dpkgArch="$(dpkg --print-architecture | awk -F- '{ print $NF }')"; \
	wget -O /usr/local/bin/gosu "https://github.com/tianon/gosu/releases/download/$GOSU_VERSION/gosu-$dpkgArch"; \
	wget -O /usr/local/bin/gosu.asc "https://github.com/tianon/gosu/releases/download/$GOSU_VERSION/gosu-$dpkgArch.asc"; \
	export GNUPGHOME="$(mktemp -d)"; \
	gpg --batch --keyserver hkps://keys.openpgp.org --recv-keys B3079093CE7BC5D051B10841C967B33A4C5150EF; \
	gpg --batch --verify /usr/local/bin/gosu.asc /usr/local/bin/gosu; \
	gpgconf --kill all; \
	rm -rf "$GNUPGHOME" /usr/local/bin/gosu.asc; \
	apk del --no-network .gosu-deps; \
	chmod +x /usr/local/bin/gosu; \
	gosu --version; \
	gosu nobody true

RUN set -eux; \
	apk add --no-cache \
			openssl \
			bzip2 \
			coreutils \
			tini \
			libcap \
			xz \
			su-exec \
			tzdata \
	;

ENV MYSQLD_EXPORTER_VERSION 0.15.3

RUN set -eux; \
	apk add --no-cache --virtual .mysqld-exporter-deps curl unzip; \
	apkArch="$(apk --print-arch)"; \
	case "$apkArch" in \
		x86_64) toolArch='amd64'; SHA256='b30827aec123dcc383b14e3df79d6b5d6722f05199ed1469ca1b8c3e908e55c4' ;; \
		aarch64) toolArch='arm64'; SHA256='0ae359ed280a9cef3a734fb0b9134bd4f0b6cd0a685fcc2b9177ac9059c89a29' ;; \
		armv7) toolArch='armv7'; SHA256='422bdce82df25ab0903e6759b8dae36fdcd9e8ca44aad7024a0db29d0e838ae3' ;; \
		x86) toolArch='386'; SHA256='9032106c71d6cf4d3353d28b7abdea1be1f31174221044ccc84b8c9886c2874f' ;; \
		ppc64le) toolArch='ppc64le'; SHA256='43075f68a1aec3fb4b2efec64d6355b69f00f07c3f69a0fe42739f81d85d57d9' ;; \
		*) echo >&2 "error: unsupported architecture: $apkArch"; exit 1 ;; \
	esac; \
	curl -fsSL -o /tmp/mysqld_exporter.download "https://github.com/prometheus/mysqld_exporter/releases/download/v${MYSQLD_EXPORTER_VERSION}/mysqld_exporter-${MYSQLD_EXPORTER_VERSION}.linux-${toolArch}.tar.gz"; \
	echo "$SHA256 */tmp/mysqld_exporter.download" | sha256sum -c -; \
	mkdir -p /tmp/mysqld_exporter && tar -xzf /tmp/mysqld_exporter.download -C /tmp/mysqld_exporter --strip-components=1 && install -m 0755 /tmp/mysqld_exporter/mysqld_exporter /usr/local/bin/mysqld_exporter; \
	rm -rf /tmp/mysqld_exporter /tmp/mysqld_exporter.download; \
	apk del --no-network .mysqld-exporter-deps; \
	/usr/local/bin/mysqld_exporter --version || /usr/local/bin/mysqld_exporter -version || true

# postgres release managers
ENV PG_GPG_KEYS \
	849AEE50708E2D9BBAF8D3B0762BAF57A65F87E3

ENV PG_VERSION 14.9

ENV PG_SHA256 88d9c317cfa80ee0d64ab485b330cd69ef5862df2e5bc647f5a10aaf05535528

RUN apk add --no-cache --virtual .build-deps \
			bison \
			coreutils \
			dpkg-dev \
			dpkg \
			flex \
			g++ \
			gcc \
			icu-dev \
			libc-dev \
			libxml2-dev \
			libxslt-dev \
			linux-headers \
			make \
			openldap-dev \
			openssl-dev \
			perl-utils \
			perl-ipc-run \
			readline-dev \
			util-linux-dev \
			zlib-dev \
			zstd-dev \
		 && \
	gcc --version && \
	wget -O src.tar.gz "https://ftp.postgresql.org/pub/source/v$PG_VERSION/postgresql-$PG_VERSION.tar.bz2" && \
	echo "$PG_SHA256 *src.tar.gz" | sha256sum -c - && \
	wget -O src.tar.gz.asc "https://ftp.postgresql.org/pub/source/v$PG_VERSION/postgresql-$PG_VERSION.tar.bz2.asc" && \
	export GNUPGHOME="$(mktemp -d)" && \
	for key in $PG_GPG_KEYS; do \
		gpg --batch --keyserver hkps://keys.openpgp.org --recv-keys "$key" || \
		gpg --batch --keyserver hkps://keyserver.ubuntu.com --recv-keys "$key"; \
	done && \
	gpg --batch --verify src.tar.gz.asc src.tar.gz && \
	gpgconf --kill all && \
	rm -rf "$GNUPGHOME" src.tar.gz.asc && \
	mkdir -p /usr/src/postgresql && \
	tar --extract --file src.tar.gz --directory /usr/src/postgresql --strip-components=1 && \
	rm src.tar.gz && \
	cd /usr/src/postgresql && \
	gnuArch="$(uname -m)-linux-musl" && \
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
		 && \
	nproc="$(nproc)" && \
	make -j "$nproc" && \
	make -j "$nproc" test || { echo 'tests failed, see output above' >&2; exit 1; } && \
	make install && \
	make -C contrib && \
	make -C contrib install && \
	cd / && \
	rm -rf /usr/src/postgresql && \
	find /usr/local -depth \( -type d -a \( -name test -o -name tests -o -name idle_test \) \) -exec rm -rf '{}' + && \
	runDeps="$( \
		scanelf --needed --nobanner --format '%n#p' --recursive /usr/local \
			| tr ',' '\n' \
			| sort -u \
			| awk 'system("[ -e /usr/local/lib/" $1 " ]") == 0 { next } { print "so:" $1 }' \
	)" && \
	apk add --no-network --virtual .run-deps $runDeps && \
	apk del --no-network .build-deps

RUN <<EOF
set -eux
for dir in /var/cache/postgres /var/lib/postgres /usr/local/etc/postgres; do
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
