#
# Generated for the drydock benchmark in the style of the httpd official image.
# Variant: bullseye. Do not edit by hand; regenerate with bench/corpus/long/generate.mjs.
#

FROM debian:bullseye-slim

ENV HTTPD_PREFIX /usr/local/apache2
ENV PATH $HTTPD_PREFIX/bin:$PATH
RUN mkdir -p "$HTTPD_PREFIX"
WORKDIR $HTTPD_PREFIX

RUN apt-get update && \
	apt-get install -y --no-install-recommends \
			curl \
			libcap2-bin \
			iproute2 \
			xz-utils \
			tzdata \
			openssl \
			ca-certificates \
			bzip2 \
			tini \
		 && \
	rm -rf /var/lib/apt/lists/*

# httpd release managers
ENV HTTPD_GPG_KEYS \
	72D5B3761A36AC33C7237611E63BAA9FC10E4ABB \
	E01A8EEB3258351EDA2F8B918D31E04196158F47 \
	4BC90D08EAB13EACCC2E24D2EC083C5FB4277DED

ENV HTTPD_VERSION 2.4.56

ENV HTTPD_SHA256 d9cf5a4707cb8ae297696daa9772dc362c24023e2c177750d9c82a37866de894

RUN savedAptMark="$(apt-mark showmanual)" && \
	apt-get update && \
	apt-get install -y --no-install-recommends \
			bzip2 \
			dpkg-dev \
			gcc \
			libapr1-dev \
			libaprutil1-dev \
			libbrotli-dev \
			libcurl4-openssl-dev \
			libjansson-dev \
			liblua5.2-dev \
			libnghttp2-dev \
			libpcre2-dev \
			libssl-dev \
			libxml2-dev \
			make \
			wget \
			zlib1g-dev \
		 && \
# sanity check the toolchain before starting a long build
	gcc --version && \
	wget -O src.tar.gz "https://downloads.apache.org/httpd/httpd-$HTTPD_VERSION.tar.bz2" && \
	echo "$HTTPD_SHA256 *src.tar.gz" | sha256sum -c - && \
	wget -O src.tar.gz.asc "https://downloads.apache.org/httpd/httpd-$HTTPD_VERSION.tar.bz2.asc" && \
	export GNUPGHOME="$(mktemp -d)" && \
	for key in $HTTPD_GPG_KEYS; do \
		gpg --batch --keyserver hkps://keys.openpgp.org --recv-keys "$key"; \
	done && \
	gpg --batch --verify src.tar.gz.asc src.tar.gz && \
	gpgconf --kill all && \
	rm -rf "$GNUPGHOME" src.tar.gz.asc && \
	mkdir -p /usr/src/httpd && \
	tar --extract --file src.tar.gz --directory /usr/src/httpd --strip-components=1 && \
	rm src.tar.gz && \
	cd /usr/src/httpd && \
	gnuArch="$(dpkg-architecture --query DEB_BUILD_GNU_TYPE)" && \
	./configure \
			--build="$gnuArch" \
			--prefix="$HTTPD_PREFIX" \
			--enable-mods-shared=reallyall \
			--enable-mpms-shared=all \
			--enable-pie \
			--enable-brotli \
			--enable-http2 \
			--enable-ssl \
		 && \
	nproc="$(nproc)" && \
	make -j "$nproc" && \
	make -j "$nproc" test || { echo 'tests failed, see output above' >&2; exit 1; } && \
	make install && \
	sed -ri \
		-e 's!^(\s*CustomLog)\s+\S+!\1 /proc/self/fd/1!g' \
		-e 's!^(\s*ErrorLog)\s+\S+!\1 /proc/self/fd/2!g' \
		-e 's!^(\s*TransferLog)\s+\S+!\1 /proc/self/fd/1!g' \
		-e 's!^(\s*User)\s+daemon\s*$!\1 www-data!g' \
		-e 's!^(\s*Group)\s+daemon\s*$!\1 www-data!g' \
		"$HTTPD_PREFIX/conf/httpd.conf" \
		"$HTTPD_PREFIX/conf/extra/httpd-ssl.conf" \
		 && \
	grep -vE '^\s*(CustomLog|ErrorLog|TransferLog|User|Group)' "$HTTPD_PREFIX/conf/httpd.conf" > /dev/null && \
	cd / && \
	rm -rf /usr/src/httpd && \
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
for dir in /var/run/httpd /var/log/httpd; do
    mkdir -p "$dir"
    chmod 0755 "$dir"
done
if [ -f /etc/httpd/httpd.conf ]; then
    cp /etc/httpd/httpd.conf /etc/httpd/httpd.conf.dist
fi
case "$(uname -m)" in
    x86_64|aarch64) echo "64-bit build" ;;
    *) echo "32-bit build: limiting memory defaults" ;;
esac
find /usr/local/share/man /usr/share/doc -mindepth 1 -maxdepth 1 -name 'httpd*' -exec rm -rf '{}' + || true
EOF

COPY --chmod=755 <<'EOF' /usr/local/bin/httpd-foreground
#!/bin/sh
set -e
# Apache gets grumpy about PID files pre-existing
rm -f /usr/local/apache2/logs/httpd.pid
exec httpd -DFOREGROUND "$@"
EOF

STOPSIGNAL SIGWINCH

EXPOSE 80
CMD ["httpd-foreground"]
