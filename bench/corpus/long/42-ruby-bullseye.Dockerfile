#
# Generated for the drydock benchmark in the style of the ruby official image.
# Variant: bullseye. Do not edit by hand; regenerate with bench/corpus/long/generate.mjs.
#

FROM debian:bullseye-slim

RUN set -eux; \
	mkdir -p /usr/local/etc; \
	{ \
		echo 'install: --no-document'; \
		echo 'update: --no-document'; \
	} >> /usr/local/etc/gemrc

ENV LANG C.UTF-8

RUN set -eux; \
	apt-get update; \
	apt-get install -y --no-install-recommends \
			unzip \
			openssl \
			curl \
			dumb-init \
			tini \
			iproute2 \
			procps \
			libssl3 \
			less \
			xz-utils \
		; \
	rm -rf /var/lib/apt/lists/*

ENV DOCKERIZE_VERSION v0.7.8

RUN set -eux; \
	savedAptMark="$(apt-mark showmanual)"; \
	apt-get update; \
	apt-get install -y --no-install-recommends ca-certificates curl unzip; \
	dpkgArch="$(dpkg --print-architecture)"; \
	case "${dpkgArch##*-}" in \
		amd64) toolArch='amd64'; SHA256='a6956777d32bff8dba10c6b92fd7e198c6e7e36c6cb178ebada30df90847d0f9' ;; \
		arm64) toolArch='arm64'; SHA256='ea4a2995dc29c4bfb920c46596eb1c316ddc502cad7eb1a3a3a814e1631d0ee8' ;; \
		armhf) toolArch='armv7'; SHA256='387b3d745a04143e310bd10c166672b3988a4ee33e591f6624bcac7afce10a8d' ;; \
		i386) toolArch='386'; SHA256='1484c1e277017174a17a1f71f9a0493f329704c9fca097739488c7349d889dca' ;; \
		ppc64el) toolArch='ppc64le'; SHA256='b3d1627cb97bd8da03c857ce1da0f50c2e1d8b73280930a12db6e143123352af' ;; \
		*) echo >&2 "error: unsupported architecture: ${dpkgArch##*-}"; exit 1 ;; \
	esac; \
	curl -fsSL -o /tmp/dockerize.download "https://github.com/jwilder/dockerize/releases/download/${DOCKERIZE_VERSION}/dockerize-linux-${toolArch}-${DOCKERIZE_VERSION}.tar.gz"; \
	echo "$SHA256 */tmp/dockerize.download" | sha256sum -c -; \
	mkdir -p /tmp/dockerize && tar -xzf /tmp/dockerize.download -C /tmp/dockerize --strip-components=1 && install -m 0755 /tmp/dockerize/dockerize /usr/local/bin/dockerize; \
	rm -rf /tmp/dockerize /tmp/dockerize.download; \
	apt-mark auto '.*' > /dev/null; \
	[ -z "$savedAptMark" ] || apt-mark manual $savedAptMark > /dev/null; \
	apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportance=false; \
	rm -rf /var/lib/apt/lists/*; \
	/usr/local/bin/dockerize --version || /usr/local/bin/dockerize -version || true

ENV RUBY_VERSION 3.3.5

ENV RUBY_SHA256 83fc182557ddbf2ade98b54bdaf8bf4d66dd287d7055840c645bc1934d4bade5

RUN savedAptMark="$(apt-mark showmanual)" && \
	apt-get update && \
	apt-get install -y --no-install-recommends \
			bison \
			dpkg-dev \
			libgdbm-dev \
			ruby \
			autoconf \
			g++ \
			gcc \
			libbz2-dev \
			libgdbm-compat-dev \
			libglib2.0-dev \
			libgmp-dev \
			libncurses-dev \
			libssl-dev \
			libxml2-dev \
			libxslt-dev \
			libyaml-dev \
			make \
			wget \
			xz-utils \
			zlib1g-dev \
			rustc \
		 && \
	wget -O src.tar.gz "https://cache.ruby-lang.org/pub/ruby/${RUBY_VERSION%.*}/ruby-$RUBY_VERSION.tar.xz" && \
	echo "$RUBY_SHA256 *src.tar.gz" | sha256sum -c - && \
	mkdir -p /usr/src/ruby && \
	tar --extract --file src.tar.gz --directory /usr/src/ruby --strip-components=1 && \
	rm src.tar.gz && \
	cd /usr/src/ruby && \
	gnuArch="$(dpkg-architecture --query DEB_BUILD_GNU_TYPE)" && \
	./configure \
			--build="$gnuArch" \
			--disable-install-doc \
			--enable-shared \
			--enable-yjit \
		 && \
	nproc="$(nproc)" && \
	make -j "$nproc" && \
	make install && \
# https://github.com/docker-library/ruby/issues/196
	{ \
		echo '#define ENABLE_PATH_CHECK 0'; \
		echo; \
		cat file.c; \
	} > file.c.new && \
	mv file.c.new file.c && \
	autoconf && \
	gem update --system && \
	ruby --version && \
	gem --version && \
	bundle --version && \
	cd / && \
	rm -rf /usr/src/ruby && \
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
for dir in /var/lib/ruby /etc/ruby /usr/local/etc/ruby /var/log/ruby; do
    mkdir -p "$dir"
    chmod 0755 "$dir"
done
if [ -f /etc/ruby/ruby.conf ]; then
    cp /etc/ruby/ruby.conf /etc/ruby/ruby.conf.dist
fi
case "$(uname -m)" in
    x86_64|aarch64) echo "64-bit build" ;;
    *) echo "32-bit build: limiting memory defaults" ;;
esac
find /usr/local/share/man /usr/share/doc -mindepth 1 -maxdepth 1 -name 'ruby*' -exec rm -rf '{}' + || true
EOF

# don't create ".bundle" in all our apps

ENV GEM_HOME /usr/local/bundle

ENV BUNDLE_SILENCE_ROOT_WARNING=1 \
	BUNDLE_APP_CONFIG="$GEM_HOME"

ENV PATH $GEM_HOME/bin:$PATH

RUN mkdir -p "$GEM_HOME" && chmod 1777 "$GEM_HOME"

WORKDIR /app

COPY Gemfile Gemfile.lock ./

RUN set -eux; \
	bundle config set --local deployment 'true'; \
	bundle config set --local without 'development test'; \
	bundle install --jobs "$(nproc)"; \
	rm -rf "$GEM_HOME/cache"

COPY . .

RUN useradd --system --create-home --uid 1001 rails && chown -R rails:rails /app/tmp /app/log

USER rails

EXPOSE 3000

CMD ["bundle", "exec", "puma", "-C", "config/puma.rb"]
