FROM debian:bullseye-slim

# add our user and group first to make sure their IDs get assigned consistently, regardless of whatever dependencies get added
RUN set -eux; \
	groupadd -r -g 101 unbound; \
	useradd -r -g unbound -u 101 unbound

ENV UNBOUND_VERSION 1.19.3
ENV UNBOUND_DOWNLOAD_URL https://nlnetlabs.nl/downloads/unbound/unbound-1.19.3.tar.gz
ENV UNBOUND_DOWNLOAD_SHA c061daf276c0186a3a2e5bffa42e72cb20c59d54c47f27881c68c2ba4e52b5b7

RUN set -eux; \
	\
	savedAptMark="$(apt-mark showmanual)"; \
	apt-get update; \
	apt-get install -y --no-install-recommends \
		ca-certificates \
		wget \
		bison \
		flex \
		gcc \
		libc6-dev \
		libevent-dev \
		libexpat1-dev \
		libnghttp2-dev \
		libssl-dev \
		make \
	; \
	rm -rf /var/lib/apt/lists/*; \
	\
	wget -O unbound.tar.gz "$UNBOUND_DOWNLOAD_URL"; \
	echo "$UNBOUND_DOWNLOAD_SHA *unbound.tar.gz" | sha256sum -c -; \
	mkdir -p /usr/src/unbound; \
	tar -xzf unbound.tar.gz -C /usr/src/unbound --strip-components=1; \
	rm unbound.tar.gz; \
	\
	cd /usr/src/unbound; \
	./configure --prefix=/opt/unbound --with-pthreads --with-libevent --enable-event-api --with-libnghttp2; \
	make -j "$(nproc)" install; \
	cd /; \
	rm -rf /usr/src/unbound; \
	\
	apt-mark auto '.*' > /dev/null; \
	[ -z "$savedAptMark" ] || apt-mark manual $savedAptMark > /dev/null; \
	find /usr/local -type f -executable -exec ldd '{}' ';' \
		| awk '/=>/ { so = $(NF-1); if (index(so, "/usr/local/") == 1) { next }; gsub("^/(usr/)?", "", so); printf "*%s\n", so }' \
		| sort -u \
		| xargs -r dpkg-query --search \
		| cut -d: -f1 \
		| sort -u \
		| xargs -r apt-mark manual \
	; \
	apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportance=false; \
	\
	/opt/unbound/sbin/unbound -V

COPY docker-entrypoint.sh /usr/local/bin/

RUN ln -s usr/local/bin/docker-entrypoint.sh /entrypoint.sh # backwards compat

ENTRYPOINT ["docker-entrypoint.sh"]

USER unbound
EXPOSE 53/tcp 53/udp

CMD ["/opt/unbound/sbin/unbound", "-d", "-c", "/opt/unbound/etc/unbound/unbound.conf"]
