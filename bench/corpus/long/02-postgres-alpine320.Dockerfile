FROM alpine:3.20

# add our user and group first to make sure their IDs get assigned consistently
RUN set -eux; \
	addgroup -g 999 -S postgres; \
	adduser -u 999 -S -D -G postgres -H -h /var/lib/postgres -s /sbin/nologin postgres; \
	mkdir -p /var/lib/postgres; \
	chown -R postgres:postgres /var/lib/postgres

ENV GOSU_VERSION 1.16
RUN apk add --no-cache --virtual .gosu-deps ca-certificates dpkg gnupg && \
	dpkgArch="$(dpkg --print-architecture | awk -F- '{ print $NF }')" && \
	wget -O /usr/local/bin/gosu "https://github.com/tianon/gosu/releases/download/$GOSU_VERSION/gosu-$dpkgArch" && \
	wget -O /usr/local/bin/gosu.asc "https://github.com/tianon/gosu/releases/download/$GOSU_VERSION/gosu-$dpkgArch.asc" && \
	export GNUPGHOME="$(mktemp -d)" && \
	gpg --batch --keyserver hkps://keys.openpgp.org --recv-keys 7C8B595C16A7C0D6020A7924B5D09B26BCC3D075 && \
	gpg --batch --verify /usr/local/bin/gosu.asc /usr/local/bin/gosu && \
	gpgconf --kill all && \
	rm -rf "$GNUPGHOME" /usr/local/bin/gosu.asc && \
	apk del --no-network .gosu-deps && \
	chmod +x /usr/local/bin/gosu && \
	gosu --version && \
	gosu nobody true

RUN set -eux; \
	apk add --no-cache \
			xz \
			ca-certificates \
			unzip \
			openssl \
			su-exec \
			procps \
			tini \
			coreutils \
	;

# postgres release managers
ENV PG_GPG_KEYS \
	60FCBB552539A5814786AE400C1056CC443DE3A2

ENV PG_VERSION 15.3

ENV PG_SHA256 30e2471e60f959f5113cd90163621ea8946b8e1c029fc5e022551ec9f5bc35ee

RUN set -eux; \
	apk add --no-cache --virtual .build-deps \
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
		; \
	wget -O src.tar.gz "https://ftp.postgresql.org/pub/source/v$PG_VERSION/postgresql-$PG_VERSION.tar.bz2"; \
	echo "$PG_SHA256 *src.tar.gz" | sha256sum -c -; \
	wget -O src.tar.gz.asc "https://ftp.postgresql.org/pub/source/v$PG_VERSION/postgresql-$PG_VERSION.tar.bz2.asc"; \
	export GNUPGHOME="$(mktemp -d)"; \
	for key in $PG_GPG_KEYS; do \
		gpg --batch --keyserver hkps://keyserver.ubuntu.com --recv-keys "$key"; \
	done; \
	gpg --batch --verify src.tar.gz.asc src.tar.gz; \
	gpgconf --kill all; \
	rm -rf "$GNUPGHOME" src.tar.gz.asc; \
	mkdir -p /usr/src/postgresql; \
	tar --extract --file src.tar.gz --directory /usr/src/postgresql --strip-components=1; \
	rm src.tar.gz; \
	cd /usr/src/postgresql; \
	gnuArch="$(uname -m)-linux-musl"; \
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
	make -j "$nproc" test || { echo 'tests failed, see output above' >&2; exit 1; }; \
	make install; \
	make -C contrib; \
	make -C contrib install; \
	cd /; \
	rm -rf /usr/src/postgresql; \
	find /usr/local -depth \( -type d -a \( -name test -o -name tests -o -name idle_test \) \) -exec rm -rf '{}' +; \
	runDeps="$( \
		scanelf --needed --nobanner --format '%n#p' --recursive /usr/local \
			| tr ',' '\n' \
			| sort -u \
			| awk 'system("[ -e /usr/local/lib/" $1 " ]") == 0 { next } { print "so:" $1 }' \
	)"; \
	apk add --no-network --virtual .run-deps $runDeps; \
	apk del --no-network .build-deps

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
