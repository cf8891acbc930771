#
# Generated for the drydock benchmark in the style of the python official image.
# Variant: jammy. Do not edit by hand; regenerate with bench/corpus/long/generate.mjs.
#

FROM ubuntu:22.04

# ensure local python is preferred over distribution python
ENV PATH /usr/local/bin:$PATH
ENV LANG C.UTF-8

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
			ca-certificates \
			tzdata \
			tini \
			procps \
			iproute2 \
			openssl \
			libssl3 \
			netbase \
		; \
	rm -rf /var/lib/apt/lists/*

# python release managers
ENV PYTHON_GPG_KEYS \
	87A8C1FAF71CDE5073A15CF5D37344B9792E8B21

ENV PYTHON_VERSION 3.10.3

ENV PYTHON_SHA256 ae2bb275752652c09ea6232547fd2f57e06118d7f55e9fe4e8316744f746b0aa

ENV PYTHON_DOWNLOAD_URL https://www.python.org/ftp/python/${PYTHON_VERSION%%[a-z]*}/Python-3.10.3.tar.xz

RUN set -eux; \
	savedAptMark="$(apt-mark showmanual)"; \
	apt-get update; \
	apt-get install -y --no-install-recommends \
			dpkg-dev \
			gcc \
			gnupg \
			libbluetooth-dev \
			libbz2-dev \
			libc6-dev \
			libdb-dev \
			libexpat1-dev \
			libffi-dev \
			libgdbm-dev \
			liblzma-dev \
			libncursesw5-dev \
			libreadline-dev \
			libsqlite3-dev \
			libssl-dev \
			make \
			tk-dev \
			uuid-dev \
			wget \
			xz-utils \
			zlib1g-dev \
		; \
	wget -O src.tar.gz "https://www.python.org/ftp/python/${PYTHON_VERSION%%[a-z]*}/Python-$PYTHON_VERSION.tar.xz"; \
	echo "$PYTHON_SHA256 *src.tar.gz" | sha256sum -c -; \
	wget -O src.tar.gz.asc "https://www.python.org/ftp/python/${PYTHON_VERSION%%[a-z]*}/Python-$PYTHON_VERSION.tar.xz.asc"; \
	export GNUPGHOME="$(mktemp -d)"; \
	for key in $PYTHON_GPG_KEYS; do \
		gpg --batch --keyserver hkps://keyserver.ubuntu.com --recv-keys "$key" || \
		gpg --batch --keyserver hkps://pgp.mit.edu --recv-keys "$key"; \
	done; \
	gpg --batch --verify src.tar.gz.asc src.tar.gz; \
	gpgconf --kill all; \
	rm -rf "$GNUPGHOME" src.tar.gz.asc; \
	mkdir -p /usr/src/python; \
	tar --extract --file src.tar.gz --directory /usr/src/python --strip-components=1; \
	rm src.tar.gz; \
	cd /usr/src/python; \
	gnuArch="$(dpkg-architecture --query DEB_BUILD_GNU_TYPE)"; \
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
for dir in /var/lib/python /usr/local/etc/python /var/log/python; do
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
