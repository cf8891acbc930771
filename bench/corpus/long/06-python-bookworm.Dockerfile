#
# Generated for the drydock benchmark in the style of the python official image.
# Variant: bookworm. Do not edit by hand; regenerate with bench/corpus/long/generate.mjs.
#

FROM debian:bookworm-slim

# ensure local python is preferred over distribution python
ENV PATH /usr/local/bin:$PATH
ENV LANG C.UTF-8

RUN set -eux; \
	apt-get update; \
	apt-get install -y --no-install-recommends \
			bzip2 \
			xz-utils \
			libssl3 \
			procps \
			iproute2 \
			libcap2-bin \
			ca-certificates \
			tini \
			curl \
		; \
	rm -rf /var/lib/apt/lists/*

ENV PROTOC_VERSION 25.8

RUN set -eux; \
	savedAptMark="$(apt-mark showmanual)"; \
	apt-get update; \
	apt-get install -y --no-install-recommends ca-certificates curl unzip; \
	dpkgArch="$(dpkg --print-architecture)"; \
	case "${dpkgArch##*-}" in \
		amd64) toolArch='amd64'; SHA256='9bf8ee5a4816f972bbf40f53e378c8465139af75be094eb7c6effc6c129d9f6a' ;; \
		arm64) toolArch='arm64'; SHA256='cf6ded5b64cca623f2fa0583a460219da6c4f3c6f84d1602d23c4b6f598a58e4' ;; \
		armhf) toolArch='armv7'; SHA256='3aa1a4fd15ddad238da32a7a3c1f3612c90994f7a586535df192e1b13c8167c9' ;; \
		i386) toolArch='386'; SHA256='ce10ba0ed5187e97e9fd69c29dbb860228b52075753bdb283eb149ee28f5ff29' ;; \
		ppc64el) toolArch='ppc64le'; SHA256='5644cb5dc3d2b1cbc9a6291dc4dbd7965b80693969f7bb824c88cbb78821d4b9' ;; \
		*) echo >&2 "error: unsupported architecture: ${dpkgArch##*-}"; exit 1 ;; \
	esac; \
	curl -fsSL -o /tmp/protoc.download "https://github.com/protocolbuffers/protobuf/releases/download/v${PROTOC_VERSION}/protoc-${PROTOC_VERSION}-linux-${toolArch}.zip"; \
	echo "$SHA256 */tmp/protoc.download" | sha256sum -c -; \
	unzip -q /tmp/protoc.download -d /tmp/protoc && install -m 0755 /tmp/protoc/bin/protoc /usr/local/bin/protoc; \
	rm -rf /tmp/protoc /tmp/protoc.download; \
	apt-mark auto '.*' > /dev/null; \
	[ -z "$savedAptMark" ] || apt-mark manual $savedAptMark > /dev/null; \
	apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportance=false; \
	rm -rf /var/lib/apt/lists/*; \
	/usr/local/bin/protoc --version || /usr/local/bin/protoc -version || true

ENV PYTHON_VERSION 3.13.5

ENV PYTHON_SHA256 31ed2327e2d2086564a058c427e2e7d4c5cef15839e5ac07eb1410d1b22dc37e

RUN savedAptMark="$(apt-mark showmanual)" && \
	apt-get update && \
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
		 && \
	wget -O src.tar.gz "https://www.python.org/ftp/python/${PYTHON_VERSION%%[a-z]*}/Python-$PYTHON_VERSION.tar.xz" && \
	echo "$PYTHON_SHA256 *src.tar.gz" | sha256sum -c - && \
	mkdir -p /usr/src/python && \
	tar --extract --file src.tar.gz --directory /usr/src/python --strip-components=1 && \
	rm src.tar.gz && \
	cd /usr/src/python && \
	gnuArch="$(dpkg-architecture --query DEB_BUILD_GNU_TYPE)" && \
	./configure \
			--build="$gnuArch" \
			--enable-loadable-sqlite-extensions \
			--enable-optimizations \
			--enable-option-checking=fatal \
			--enable-shared \
			--with-lto \
			--with-ensurepip \
			--with-system-expat \
		 && \
	nproc="$(nproc)" && \
	make -j "$nproc" && \
	make -j "$nproc" test || { echo 'tests failed, see output above' >&2; exit 1; } && \
	make install && \
	EXTRA_CFLAGS="$(dpkg-buildflags --get CFLAGS)" && \
	LDFLAGS="$(dpkg-buildflags --get LDFLAGS)" && \
	LDFLAGS="${LDFLAGS:--Wl},--strip-all" && \
	arch="$(dpkg --print-architecture)"; arch="${arch##*-}" && \
	case "$arch" in \
		amd64|arm64) EXTRA_CFLAGS="${EXTRA_CFLAGS:-} -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer" ;; \
		i386) ;; \
		*) EXTRA_CFLAGS="${EXTRA_CFLAGS:-} -fno-omit-frame-pointer" ;; \
	esac && \
	make -j "$nproc" "EXTRA_CFLAGS=${EXTRA_CFLAGS:-}" "LDFLAGS=${LDFLAGS:-}" && \
	rm python && \
	make -j "$nproc" "EXTRA_CFLAGS=${EXTRA_CFLAGS:-}" "LDFLAGS=${LDFLAGS:--Wl},-rpath='\$\$ORIGIN/../lib'" python && \
	make install && \
	bin="$(readlink -ve /usr/local/bin/python3)" && \
	dir="$(dirname "$bin")" && \
	mkdir -p "/usr/share/gdb/auto-load/$dir" && \
	cp -vL Tools/gdb/libpython.py "/usr/share/gdb/auto-load/$bin-gdb.py" && \
	find /usr/local -depth \
		\( \
			\( -type d -a \( -name test -o -name tests -o -name idle_test \) \) \
			-o \( -type f -a \( -name '*.pyc' -o -name '*.pyo' -o -name 'libpython*.a' \) \) \
		\) -exec rm -rf '{}' + \
		 && \
	ldconfig && \
	export PYTHONDONTWRITEBYTECODE=1 && \
	python3 --version && \
	pip3 --version && \
	cd / && \
	rm -rf /usr/src/python && \
	find /usr/local -depth \( -type d -a \( -name test -o -name tests -o -name idle_test \) \) -exec rm -rf '{}' + && \
	apt-mark auto '.*' > /dev/null && \
	[ -z "$savedAptMark" ] || apt-mark manual $savedAptMark > /dev/null && \
	find /usr/local -type f -executable -exec ldd '{}' ';' \
		| awk '/=>/ { so = $(NF-1); if (index(so, "/usr/local/") == 1) { next }; gsub("^/(usr/)?", "", so); printf "*%s\n", so }' \
		| sort -u \
		| xargs -r dpkg-query --search \
		| cut -d: -f1 \
		| sort -u \
		| xargs -r apt-mark manual \
	> /dev/null && \
	apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportance=false && \
	rm -rf /var/lib/apt/lists/*

RUN <<EOF
set -eux
for dir in /etc/python /var/cache/python /usr/local/etc/python; do
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

RUN for src in idle3 pip3 pydoc3 python3 python3-config; do \
		dst="$(echo "$src" | tr -d 3)"; \
		[ -s "/usr/local/bin/$src" ]; \
		[ ! -e "/usr/local/bin/$dst" ]; \
		ln -svT "$src" "/usr/local/bin/$dst"; \
	done

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

RUN groupadd --system --gid 10001 app && useradd --system --uid 10001 --gid app --home-dir /app --shell /usr/sbin/nologin app

COPY requirements.txt requirements-lock.txt ./

RUN set -eux; \
	python -m venv /opt/venv; \
	/opt/venv/bin/pip install --no-cache-dir --require-hashes -r requirements-lock.txt; \
	/opt/venv/bin/pip check; \
	find /opt/venv -name '__pycache__' -type d -prune -exec rm -rf '{}' +

ENV PATH=/opt/venv/bin:$PATH

COPY --chown=app:app . .

RUN python -m compileall -q /app && python -c 'import app; print(app.__version__)'

USER app

EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:8000/healthz'); sys.exit(0)"

CMD ["gunicorn", "--bind", "0.0.0.0:8000", "--workers", "4", "app.wsgi:application"]
