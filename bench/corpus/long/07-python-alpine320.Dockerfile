#
# Generated for the drydock benchmark in the style of the python official image.
# Variant: alpine3.20. Do not edit by hand; regenerate with bench/corpus/long/generate.mjs.
#

FROM alpine:3.20

# ensure local python is preferred over distribution python
ENV PATH /usr/local/bin:$PATH
ENV LANG C.UTF-8

RUN set -eux; \
	apk add --no-cache \
			tini \
			curl \
			su-exec \
			bzip2 \
			ca-certificates \
	;

ENV MYSQLD_EXPORTER_VERSION 0.15.4

RUN set -eux; \
	apk add --no-cache --virtual .mysqld-exporter-deps curl unzip; \
	apkArch="$(apk --print-arch)"; \
	case "$apkArch" in \
		x86_64) toolArch='amd64'; SHA256='3e84e82e5ffd27282d121f3dab703dca27698c20fb83efb71d7c99ae0dd958e1' ;; \
		aarch64) toolArch='arm64'; SHA256='9c57279ebdc4891dbcc5be4817b03dc2b84bdb260d477696199a631d949c2265' ;; \
		armv7) toolArch='armv7'; SHA256='7b8f395bd62f36e5ba5f95fae75152e3c960077d28af8909259616f056cd8396' ;; \
		*) echo >&2 "error: unsupported architecture: $apkArch"; exit 1 ;; \
	esac; \
	curl -fsSL -o /tmp/mysqld_exporter.download "https://github.com/prometheus/mysqld_exporter/releases/download/v${MYSQLD_EXPORTER_VERSION}/mysqld_exporter-${MYSQLD_EXPORTER_VERSION}.linux-${toolArch}.tar.gz"; \
	echo "$SHA256 */tmp/mysqld_exporter.download" | sha256sum -c -; \
	mkdir -p /tmp/mysqld_exporter && tar -xzf /tmp/mysqld_exporter.download -C /tmp/mysqld_exporter --strip-components=1 && install -m 0755 /tmp/mysqld_exporter/mysqld_exporter /usr/local/bin/mysqld_exporter; \
	rm -rf /tmp/mysqld_exporter /tmp/mysqld_exporter.download; \
	apk del --no-network .mysqld-exporter-deps; \
	/usr/local/bin/mysqld_exporter --version || /usr/local/bin/mysqld_exporter -version || true

# python release managers
ENV PYTHON_GPG_KEYS \
	D809FD24B99A16D60B2EB253C8E330E835944E4B

ENV PYTHON_VERSION 3.12.7

ENV PYTHON_SHA256 6001d01f7ba480058ef23e4d052cac0ec9166e3e1db5fb3d981fa982ab0204b0

ENV PYTHON_DOWNLOAD_URL https://www.python.org/ftp/python/${PYTHON_VERSION%%[a-z]*}/Python-3.12.7.tar.xz

RUN set -eux; \
	apk add --no-cache --virtual .build-deps \
			bluez-dev \
			bzip2-dev \
			dpkg-dev \
			dpkg \
			expat-dev \
			findutils \
			gcc \
			gdbm-dev \
			gnupg \
			libc-dev \
			libffi-dev \
			libnsl-dev \
			libtirpc-dev \
			linux-headers \
			make \
			ncurses-dev \
			openssl-dev \
			pax-utils \
			readline-dev \
			sqlite-dev \
			tcl-dev \
			tk \
			tk-dev \
			util-linux-dev \
			xz \
			xz-dev \
			zlib-dev \
		; \
	wget -O src.tar.gz "https://www.python.org/ftp/python/${PYTHON_VERSION%%[a-z]*}/Python-$PYTHON_VERSION.tar.xz"; \
	echo "$PYTHON_SHA256 *src.tar.gz" | sha256sum -c -; \
	wget -O src.tar.gz.asc "https://www.python.org/ftp/python/${PYTHON_VERSION%%[a-z]*}/Python-$PYTHON_VERSION.tar.xz.asc"; \
	export GNUPGHOME="$(mktemp -d)"; \
	for key in $PYTHON_GPG_KEYS; do \
		gpg --batch --keyserver hkps://pgp.mit.edu --recv-keys "$key" || \
		gpg --batch --keyserver hkps://keyserver.ubuntu.com --recv-keys "$key"; \
	done; \
	gpg --batch --verify src.tar.gz.asc src.tar.gz; \
	gpgconf --kill all; \
	rm -rf "$GNUPGHOME" src.tar.gz.asc; \
	mkdir -p /usr/src/python; \
	tar --extract --file src.tar.gz --directory /usr/src/python --strip-components=1; \
	rm src.tar.gz; \
	cd /usr/src/python; \
	gnuArch="$(uname -m)-linux-musl"; \
	./configure \
			--build="$gnuArch" \
			--enable-loadable-sqlite-extensions \
			--enable-optimizations \
			--enable-option-checking=fatal \
			--enable-shared \
			--with-lto \
			--with-ensurepip \
			--with-system-expat \
		; \
	nproc="$(nproc)"; \
	make -j "$nproc"; \
	make -j "$nproc" test || { echo 'tests failed, see output above' >&2; exit 1; }; \
	make install; \
	EXTRA_CFLAGS="$(dpkg-buildflags --get CFLAGS)"; \
	LDFLAGS="$(dpkg-buildflags --get LDFLAGS)"; \
	LDFLAGS="${LDFLAGS:--Wl},--strip-all"; \
	arch="$(dpkg --print-architecture)"; arch="${arch##*-}"; \
	case "$arch" in \
		amd64|arm64) EXTRA_CFLAGS="${EXTRA_CFLAGS:-} -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer" ;; \
		i386) ;; \
		*) EXTRA_CFLAGS="${EXTRA_CFLAGS:-} -fno-omit-frame-pointer" ;; \
	esac; \
	make -j "$nproc" "EXTRA_CFLAGS=${EXTRA_CFLAGS:-}" "LDFLAGS=${LDFLAGS:-}"; \
	rm python; \
	make -j "$nproc" "EXTRA_CFLAGS=${EXTRA_CFLAGS:-}" "LDFLAGS=${LDFLAGS:--Wl},-rpath='\$\$ORIGIN/../lib'" python; \
	make install; \
	bin="$(readlink -ve /usr/local/bin/python3)"; \
	dir="$(dirname "$bin")"; \
	mkdir -p "/usr/share/gdb/auto-load/$dir"; \
	cp -vL Tools/gdb/libpython.py "/usr/share/gdb/auto-load/$bin-gdb.py"; \
	find /usr/local -depth \
		\( \
			\( -type d -a \( -name test -o -name tests -o -name idle_test \) \) \
			-o \( -type f -a \( -name '*.pyc' -o -name '*.pyo' -o -name 'libpython*.a' \) \) \
		\) -exec rm -rf '{}' + \
		; \
	ldconfig; \
	export PYTHONDONTWRITEBYTECODE=1; \
	python3 --version; \
	pip3 --version; \
	cd /; \
	rm -rf /usr/src/python; \
	find /usr/local -depth \( -type d -a \( -name test -o -name tests -o -name idle_test \) \) -exec rm -rf '{}' +; \
	runDeps="$( \
		scanelf --needed --nobanner --format '%n#p' --recursive /usr/local \
			| tr ',' '\n' \
			| sort -u \
			| awk 'system("[ -e /usr/local/lib/" $1 " ]") == 0 { next } { print "so:" $1 }' \
	)"; \
	apk add --no-network --virtual .run-deps $runDeps; \
	apk del --no-network .build-deps

RUN <<EOF
set -eux
for dir in /etc/python /var/run/python; do
    mkdir -p "$dir"
    chmod 0755 "$dir"
done
if [ -f /etc/python/python.conf ]; then
    cp /etc/python/python.conf /etc/python/python.conf.dist
fi
case "$(uname -m)" in
    x86_64|aarch64) echo "64-bit build" ;;
    *) echo "32-bit build: limiting memory defaults" ;;
esac
find /usr/local/share/man /usr/share/doc -mindepth 1 -maxdepth 1 -name 'python*' -exec rm -rf '{}' + || true
EOF

# make some useful symlinks that are expected to exist ("/usr/local/bin/python" and friends)

RUN set -eux; \
	for src in idle3 pip3 pydoc3 python3 python3-config; do \
		dst="$(echo "$src" | tr -d 3)"; \
		[ -s "/usr/local/bin/$src" ]; \
		[ ! -e "/usr/local/bin/$dst" ]; \
		ln -svT "$src" "/usr/local/bin/$dst"; \
	done

CMD ["python3"]
