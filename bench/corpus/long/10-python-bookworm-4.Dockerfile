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
			dumb-init \
			less \
			openssl \
			libcap2-bin \
			iproute2 \
		; \
	rm -rf /var/lib/apt/lists/*

ENV GRPC_HEALTH_PROBE_VERSION v0.4.3

RUN savedAptMark="$(apt-mark showmanual)" && \
	apt-get update && \
	apt-get install -y --no-install-recommends ca-certificates curl && \
	dpkgArch="$(dpkg --print-architecture)" && \
	case "${dpkgArch##*-}" in \
		amd64) toolArch='amd64'; SHA256='7f370ce8da98b1982453c8c80a349efe9d581af60a1aaa6906cfbb9a66047e92' ;; \
		arm64) toolArch='arm64'; SHA256='ceadf85c9b1342769393140938a32d2a0cf7050727a1b2feb4b32ef5ef697840' ;; \
		*) echo >&2 "error: unsupported architecture: ${dpkgArch##*-}"; exit 1 ;; \
	esac && \
	curl -fsSL -o /tmp/grpc_health_probe.download "https://github.com/grpc-ecosystem/grpc-health-probe/releases/download/${GRPC_HEALTH_PROBE_VERSION}/grpc_health_probe-linux-${toolArch}" && \
	echo "$SHA256 */tmp/grpc_health_probe.download" | sha256sum -c - && \
	install -m 0755 /tmp/grpc_health_probe.download /usr/local/bin/grpc_health_probe && \
	rm -rf /tmp/grpc_health_probe /tmp/grpc_health_probe.download && \
	apt-mark auto '.*' > /dev/null && \
	[ -z "$savedAptMark" ] || apt-mark manual $savedAptMark > /dev/null && \
	apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportance=false && \
	rm -rf /var/lib/apt/lists/* && \
	/usr/local/bin/grpc_health_probe --version || /usr/local/bin/grpc_health_probe -version || true

ENV PYTHON_VERSION 3.12.9

ENV PYTHON_SHA256 3caf2b89aaa22daff1f988698c3c60178ad32e574f9b8b4550e225f4884bb947

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
# sanity check the toolchain before starting a long build
	wget -O src.tar.gz "https://www.python.org/ftp/python/${PYTHON_VERSION%%[a-z]*}/Python-$PYTHON_VERSION.tar.xz"; \
	echo "$PYTHON_SHA256 *src.tar.gz" | sha256sum -c -; \
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
for dir in /var/log/python /etc/python /var/run/python /var/cache/python; do
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
