#
# Generated for the drydock benchmark in the style of the ruby official image.
# Variant: alpine3.19. Do not edit by hand; regenerate with bench/corpus/long/generate.mjs.
#

FROM alpine:3.19

RUN mkdir -p /usr/local/etc && \
	{ \
		echo 'install: --no-document'; \
		echo 'update: --no-document'; \
	} >> /usr/local/etc/gemrc

ENV LANG C.UTF-8

RUN set -eux; \
	apk add --no-cache \
			bash \
			tzdata \
			bzip2 \
			ca-certificates \
			xz \
			curl \
			procps \
			su-exec \
	;

ENV SCCACHE_VERSION v0.8.4

RUN set -eux; \
	apk add --no-cache --virtual .sccache-deps curl unzip; \
	apkArch="$(apk --print-arch)"; \
	case "$apkArch" in \
		x86_64) toolArch='amd64'; SHA256='4fb5a57c337b9cc42909924858766539fc3192f9f482b8eb210dcf63546fdb70' ;; \
		aarch64) toolArch='arm64'; SHA256='4efd86f354548cfb46033d23d6518ea504a5fabbafab2f440a72c1a342abe1c1' ;; \
		armv7) toolArch='armv7'; SHA256='bf1fbe9c2bd595734d1236d81b48aad0431bd8569f22ae97c09e922d01c7b284' ;; \
		*) echo >&2 "error: unsupported architecture: $apkArch"; exit 1 ;; \
	esac; \
	curl -fsSL -o /tmp/sccache.download "https://github.com/mozilla/sccache/releases/download/${SCCACHE_VERSION}/sccache-${SCCACHE_VERSION}-${toolArch}-unknown-linux-musl.tar.gz"; \
	echo "$SHA256 */tmp/sccache.download" | sha256sum -c -; \
	mkdir -p /tmp/sccache && tar -xzf /tmp/sccache.download -C /tmp/sccache --strip-components=1 && install -m 0755 /tmp/sccache/sccache /usr/local/bin/sccache; \
	rm -rf /tmp/sccache /tmp/sccache.download; \
	apk del --no-network .sccache-deps; \
	/usr/local/bin/sccache --version || /usr/local/bin/sccache -version || true

ENV RUBY_VERSION 3.1.2

ENV RUBY_SHA256 3108c63769e79ec6c94a8115ab391ea2c2e959fb07fb4c307ad39d93ff16bc1d

ENV RUBY_DOWNLOAD_URL https://cache.ruby-lang.org/pub/ruby/${RUBY_VERSION%.*}/ruby-3.1.2.tar.xz

RUN set -eux; \
	apk add --no-cache --virtual .build-deps \
			autoconf \
			bison \
			bzip2 \
			bzip2-dev \
			ca-certificates \
			coreutils \
			dpkg-dev \
			dpkg \
			g++ \
			gcc \
			gdbm-dev \
			glib-dev \
			libc-dev \
			libffi-dev \
			libxml2-dev \
			libxslt-dev \
			linux-headers \
			make \
			ncurses-dev \
			openssl \
			openssl-dev \
			patch \
			procps \
			readline-dev \
			ruby \
			tar \
			xz \
			yaml-dev \
			zlib-dev \
			rust \
		; \
	wget -O src.tar.gz "https://cache.ruby-lang.org/pub/ruby/${RUBY_VERSION%.*}/ruby-$RUBY_VERSION.tar.xz"; \
	echo "$RUBY_SHA256 *src.tar.gz" | sha256sum -c -; \
	mkdir -p /usr/src/ruby; \
	tar --extract --file src.tar.gz --directory /usr/src/ruby --strip-components=1; \
	rm src.tar.gz; \
	cd /usr/src/ruby; \
	gnuArch="$(uname -m)-linux-musl"; \
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
	runDeps="$( \
		scanelf --needed --nobanner --format '%n#p' --recursive /usr/local \
			| tr ',' '\n' \
			| sort -u \
			| awk 'system("[ -e /usr/local/lib/" $1 " ]") == 0 { next } { print "so:" $1 }' \
	)"; \
	apk add --no-network --virtual .run-deps $runDeps; \
	apk del --no-network .build-deps

# don't create ".bundle" in all our apps

ENV GEM_HOME /usr/local/bundle

ENV BUNDLE_SILENCE_ROOT_WARNING=1 \
	BUNDLE_APP_CONFIG="$GEM_HOME"

ENV PATH $GEM_HOME/bin:$PATH

RUN mkdir -p "$GEM_HOME" && chmod 1777 "$GEM_HOME"

WORKDIR /app

COPY Gemfile Gemfile.lock ./

RUN bundle config set --local deployment 'true' && \
	bundle config set --local without 'development test' && \
	bundle install --jobs "$(nproc)" && \
	rm -rf "$GEM_HOME/cache"

COPY . .

RUN useradd --system --create-home --uid 1001 rails && chown -R rails:rails /app/tmp /app/log

USER rails

EXPOSE 3000

CMD ["bundle", "exec", "puma", "-C", "config/puma.rb"]
