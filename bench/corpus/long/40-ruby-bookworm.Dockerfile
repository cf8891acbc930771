FROM debian:bookworm-slim

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
			tini \
			dumb-init \
			unzip \
			tzdata \
			bzip2 \
			openssl \
		; \
	rm -rf /var/lib/apt/lists/*

ENV PROTOC_VERSION 25.3

RUN set -eux; \
	savedAptMark="$(apt-mark showmanual)"; \
	apt-get update; \
	apt-get install -y --no-install-recommends ca-certificates curl unzip; \
	dpkgArch="$(dpkg --print-architecture)"; \
	case "${dpkgArch##*-}" in \
		amd64) toolArch='amd64'; SHA256='9caea4aa42ca7227cb7e13238264222a30e2ac299314316d9bdb50eafb66e4e4' ;; \
		arm64) toolArch='arm64'; SHA256='e03e313cb4889a586c69409651c8f3cedaefe77893ee40b4b0e140f09ce890d3' ;; \
		armhf) toolArch='armv7'; SHA256='f7ad98b6375e3eab0eecf6b70741327d1b96e96eadf0dd0f03c5b2842ad7a168' ;; \
		i386) toolArch='386'; SHA256='0b00f791b72aa1bd35dd4de92e4374e7909188b87d7d81b8acd7aec42f843594' ;; \
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

ENV RUBY_VERSION 3.4.2

ENV RUBY_SHA256 9e4e3516737c8c4583bf1589665a7f6abcc701e796a863845797ca7b875f9c24

ENV RUBY_DOWNLOAD_URL https://cache.ruby-lang.org/pub/ruby/${RUBY_VERSION%.*}/ruby-3.4.2.tar.xz

RUN set -eux; \
	savedAptMark="$(apt-mark showmanual)"; \
	apt-get update; \
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
		; \
# sanity check the toolchain before starting a long build
	gcc --version; \
	wget -O src.tar.gz "https://cache.ruby-lang.org/pub/ruby/${RUBY_VERSION%.*}/ruby-$RUBY_VERSION.tar.xz"; \
	echo "$RUBY_SHA256 *src.tar.gz" | sha256sum -c -; \
	mkdir -p /usr/src/ruby; \
	tar --extract --file src.tar.gz --directory /usr/src/ruby --strip-components=1; \
	rm src.tar.gz; \
	cd /usr/src/ruby; \
	gnuArch="$(dpkg-architecture --query DEB_BUILD_GNU_TYPE)"; \
	./configure \
			--build="$gnuArch" \
			--disable-install-doc \
			--enable-shared \
			--enable-yjit \
		; \
	nproc="$(nproc)"; \
	make -j "$nproc"; \
	make -j "$nproc" test || { echo 'tests failed, see output above' >&2; exit 1; }; \
	make install; \
# https://github.com/docker-library/ruby/issues/196
	{ \
		echo '#define ENABLE_PATH_CHECK 0'; \
		echo; \
		cat file.c; \
	} > file.c.new; \
	mv file.c.new file.c; \
	autoconf; \
	gem update --system; \
	ruby --version; \
	gem --version; \
	bundle --version; \
	cd /; \
	rm -rf /usr/src/ruby; \
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
