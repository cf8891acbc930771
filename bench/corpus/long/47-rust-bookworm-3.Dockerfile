#
# Generated for the drydock benchmark in the style of the rust official image.
# Variant: bookworm. Do not edit by hand; regenerate with bench/corpus/long/generate.mjs.
#

FROM debian:bookworm-slim AS toolchain

ENV RUSTUP_HOME=/usr/local/rustup \
    CARGO_HOME=/usr/local/cargo \
    PATH=/usr/local/cargo/bin:$PATH \
    RUST_VERSION=1.80.2

RUN apt-get update && \
	apt-get install -y --no-install-recommends ca-certificates gcc libc6-dev wget && \
	rm -rf /var/lib/apt/lists/*

RUN dpkgArch="$(dpkg --print-architecture)" && \
	case "${dpkgArch##*-}" in \
		amd64) rustArch='x86_64-unknown-linux-gnu'; rustupSha256='1ccaa62e5828772bf3d9c01607dbdc51f7ace77606a5b3f41817ca19dfb32815' ;; \
		arm64) rustArch='aarch64-unknown-linux-gnu'; rustupSha256='117e61516ade8fa0ac28b9b23f0b725fc31f44896c4f75327b4f9f4f6c2c0dd0' ;; \
		armhf) rustArch='armv7-unknown-linux-gnueabihf'; rustupSha256='21b474ea84f6420f452aeca12a51fc757570b26df50e7c458827ec53a18816e3' ;; \
		i386) rustArch='i686-unknown-linux-gnu'; rustupSha256='01ef69efcb8e3a796a41738ce34fee7a982ba736967161d772df4e8c3e9016a3' ;; \
		ppc64el) rustArch='powerpc64le-unknown-linux-gnu'; rustupSha256='db46269cd89d66f0eea268607d11cefaab4436f822b97f846deb70bb4f653836' ;; \
		*) echo >&2 "error: unsupported architecture: ${dpkgArch##*-}"; exit 1 ;; \
	esac && \
	url="https://static.rust-lang.org/rustup/archive/1.27.1/${rustArch}/rustup-init" && \
	wget "$url" && \
	echo "${rustupSha256} *rustup-init" | sha256sum -c - && \
	chmod +x rustup-init && \
	./rustup-init -y --no-modify-path --profile minimal --default-toolchain $RUST_VERSION --default-host ${rustArch} && \
	rm rustup-init && \
	chmod -R a+w $RUSTUP_HOME $CARGO_HOME && \
	rustup --version && \
	cargo --version && \
	rustc --version

ENV SCCACHE_VERSION v0.8.3

RUN savedAptMark="$(apt-mark showmanual)" && \
	apt-get update && \
	apt-get install -y --no-install-recommends ca-certificates curl unzip && \
	dpkgArch="$(dpkg --print-architecture)" && \
	case "${dpkgArch##*-}" in \
		amd64) toolArch='amd64'; SHA256='6c79ba6ab16193070b129c3ef06fc7a6480fb4ab09c5b6277bde9d139d8be40e' ;; \
		arm64) toolArch='arm64'; SHA256='afc775a61c30db91f04549aab14739f7df22c87677f1498d870c36e9d46a73d8' ;; \
		*) echo >&2 "error: unsupported architecture: ${dpkgArch##*-}"; exit 1 ;; \
	esac && \
	curl -fsSL -o /tmp/sccache.download "https://github.com/mozilla/sccache/releases/download/${SCCACHE_VERSION}/sccache-${SCCACHE_VERSION}-${toolArch}-unknown-linux-musl.tar.gz" && \
	echo "$SHA256 */tmp/sccache.download" | sha256sum -c - && \
	mkdir -p /tmp/sccache && tar -xzf /tmp/sccache.download -C /tmp/sccache --strip-components=1 && install -m 0755 /tmp/sccache/sccache /usr/local/bin/sccache && \
	rm -rf /tmp/sccache /tmp/sccache.download && \
	apt-mark auto '.*' > /dev/null && \
	[ -z "$savedAptMark" ] || apt-mark manual $savedAptMark > /dev/null && \
	apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportance=false && \
	rm -rf /var/lib/apt/lists/* && \
	/usr/local/bin/sccache --version || /usr/local/bin/sccache -version || true

ENV RUSTC_WRAPPER=/usr/local/bin/sccache SCCACHE_DIR=/var/cache/sccache

ENV TINI_VERSION v0.19.2

RUN set -eux; \
	savedAptMark="$(apt-mark showmanual)"; \
	apt-get update; \
	apt-get install -y --no-install-recommends ca-certificates curl; \
	dpkgArch="$(dpkg --print-architecture)"; \
	case "${dpkgArch##*-}" in \
		amd64) toolArch='amd64'; SHA256='bd1825a486e220a90ba49a6ef618d6d95cc42f9fb20dba8ad5acbe5b8ff263ba' ;; \
		arm64) toolArch='arm64'; SHA256='6d134330a623f4460fa15b4ad7c5a5a27cb995d94b687486c722c3ac2326d721' ;; \
		armhf) toolArch='armv7'; SHA256='53ffff7289073f284af9ee95d9c1f3d3f3573de8ed69d9d77dcbacf6127087e4' ;; \
		i386) toolArch='386'; SHA256='847f61e00714630fc7616682aa2593e1e5b51fba4695cb9ebaf3cdcaae3e7491' ;; \
		*) echo >&2 "error: unsupported architecture: ${dpkgArch##*-}"; exit 1 ;; \
	esac; \
	curl -fsSL -o /tmp/tini.download "https://github.com/krallin/tini/releases/download/${TINI_VERSION}/tini-static-${toolArch}"; \
	echo "$SHA256 */tmp/tini.download" | sha256sum -c -; \
	install -m 0755 /tmp/tini.download /usr/local/bin/tini; \
	rm -rf /tmp/tini /tmp/tini.download; \
	apt-mark auto '.*' > /dev/null; \
	[ -z "$savedAptMark" ] || apt-mark manual $savedAptMark > /dev/null; \
	apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportance=false; \
	rm -rf /var/lib/apt/lists/*; \
	/usr/local/bin/tini --version || /usr/local/bin/tini -version || true

FROM toolchain AS planner

WORKDIR /app

RUN cargo install cargo-chef --locked --version 0.1.69

COPY . .

RUN cargo chef prepare --recipe-path recipe.json

FROM toolchain AS builder

WORKDIR /app

COPY --from=planner /usr/local/cargo/bin/cargo-chef /usr/local/cargo/bin/cargo-chef

COPY --from=planner /app/recipe.json recipe.json

RUN --mount=type=cache,target=/usr/local/cargo/registry \
    cargo chef cook --release --recipe-path recipe.json

COPY . .

RUN cargo build --release --locked --bin app && \
	strip target/release/app && \
	cp target/release/app /usr/local/bin/app && \
	/usr/local/bin/app --version

FROM debian:bookworm-slim AS runtime

RUN apt-get update && \
	apt-get install -y --no-install-recommends ca-certificates tini && \
	rm -rf /var/lib/apt/lists/* && \
	groupadd --system app && \
	useradd --system --gid app --home-dir /nonexistent --shell /usr/sbin/nologin app

COPY --from=builder /usr/local/bin/app /usr/local/bin/app

USER app

EXPOSE 3000

ENTRYPOINT ["tini", "--"]

CMD ["app"]
