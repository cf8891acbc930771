FROM alpine:3.20

RUN set -eux; \
	mkdir -p /usr/local/etc; \
	{ \
		echo 'install: --no-document'; \
		echo 'update: --no-document'; \
	} >> /usr/local/etc/gemrc

ENV LANG C.UTF-8

RUN set -eux; \
	apk add --no-cache \
			ca-certificates \
			coreutils \
			curl \
			bzip2 \
	;

ENV RUBY_VERSION 3.3.3

ENV RUBY_SHA256 f5ad12e29cf032be23935377c2da8b6c35c45a03d49f3d4e9a8ec51e3bc8f7a3

RUN apk add --no-cache --virtual .build-deps \
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
		 && \
	wget -O src.tar.gz "https://cache.ruby-lang.org/pub/ruby/${RUBY_VERSION%.*}/ruby-$RUBY_VERSION.tar.xz" && \
	echo "$RUBY_SHA256 *src.tar.gz" | sha256sum -c - && \
	mkdir -p /usr/src/ruby && \
	tar --extract --file src.tar.gz --directory /usr/src/ruby --strip-components=1 && \
	rm src.tar.gz && \
	cd /usr/src/ruby && \
	gnuArch="$(uname -m)-linux-musl" && \
	./configure \
			--build="$gnuArch" \
			--disable-install-doc \
			--enable-shared \
			--enable-yjit \
		 && \
	nproc="$(nproc)" && \
	make -j "$nproc" && \
	make -j "$nproc" test || { echo 'tests failed, see output above' >&2; exit 1; } && \
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
	runDeps="$( \
		scanelf --needed --nobanner --format '%n#p' --recursive /usr/local \
			| tr ',' '\n' \
			| sort -u \
			| awk 'system("[ -e /usr/local/lib/" $1 " ]") == 0 { next } { print "so:" $1 }' \
	)" && \
	apk add --no-network --virtual .run-deps $runDeps && \
	apk del --no-network .build-deps

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
