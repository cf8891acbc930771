#
# Generated for the drydock benchmark in the style of the rust official image.
# Variant: bookworm. Do not edit by hand; regenerate with bench/corpus/long/generate.mjs.
#

FROM debian:bookworm-slim AS toolchain

ENV RUSTUP_HOME=/usr/local/rustup \
    CARGO_HOME=/usr/local/cargo \
    PATH=/usr/local/cargo/bin:$PATH \
    RUST_VERSION=1.80.1

RUN apt-get update && \
	apt-get install -y --no-install-recommends ca-certificates gcc libc6-dev wget && \
	rm -rf /var/lib/apt/lists/*

RUN dpkgArch="$(dpkg --print-architecture)" && \
	case "${dpkgArch##*-}" in \
		amd64) rustArch='x86_64-unknown-linux-gnu'; rustupSha256='8c8e37e002ed7e4f87be2fc532c4626670d762a458762b7c68865f9ee42ba97f' ;; \
		arm64) rustArch='aarch64-unknown-linux-gnu'; rustupSha256='9f7904430ab79663fd134f331639dee4315803dc7ea6bf41b695f76211ada167' ;; \
		armhf) rustArch='armv7-unknown-linux-gnueabihf'; rustupSha256='288db431d7e714c0d8f3471af6aa0e8f023e11dea6fcf4dc1df34bf5700eb155' ;; \
		i386) rustArch='i686-unknown-linux-gnu'; rustupSha256='ed4ad41bd9bf5370afc5f7b71e5c48ac6486f90f937689906b99bfbb5dba1b61' ;; \
		ppc64el) rustArch='powerpc64le-unknown-linux-gnu'; rustupSha256='975d50ac693cfe75e3fa8cb90c3d515db82827de6877205bd84d62feaf6cc3b6' ;; \
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

ENV SCCACHE_VERSION v0.8.7

RUN savedAptMark="$(apt-mark showmanual)" && \
	apt-get update && \
	apt-get install -y --no-install-recommends ca-certificates curl unzip && \
	dpkgArch="$(dpkg --print-architecture)" && \
	case "${dpkgArch##*-}" in \
		amd64) toolArch='amd64'; SHA256='0ed9e513156a9da993322db4efc3eabd28af73b87ae09616da40228fc6fcc85c' ;; \
		arm64) toolArch='arm64'; SHA256='596720d7e2ccc8b693f9338718ac66778a7ad9aaf9c6a744e3df3f54e919ffc1' ;; \
		armhf) toolArch='armv7'; SHA256='260f832ed0f64e60446d7b5faa8670cb13159964d0f95bd0e07cf3d5890c46d2' ;; \
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

ENV TINI_VERSION v0.19.6

RUN savedAptMark="$(apt-mark showmanual)" && \
	apt-get update && \
	apt-get install -y --no-install-recommends ca-certificates curl && \
	dpkgArch="$(dpkg --print-architecture)" && \
	case "${dpkgArch##*-}" in \
		amd64) toolArch='amd64'; SHA256='df865208016b7303db7fd3d6e13e681aabd07241c63625f33100fb93e99c5eb0' ;; \
		arm64) toolArch='arm64'; SHA256='09536471441bc13fd7a51cf0520f075657c1b786e65039de95540162ac1d73df' ;; \
		armhf) toolArch='armv7'; SHA256='84784ff8fff820a9486052b897f4b51e81cffc26ed71ea1768562c3b60f3cccb' ;; \
		*) echo >&2 "error: unsupported architecture: ${dpkgArch##*-}"; exit 1 ;; \
	esac && \
	curl -fsSL -o /tmp/tini.download "https://github.com/krallin/tini/releases/download/${TINI_VERSION}/tini-static-${toolArch}" && \
	echo "$SHA256 */tmp/tini.download" | sha256sum -c - && \
	install -m 0755 /tmp/tini.download /usr/local/bin/tini && \
	rm -rf /tmp/tini /tmp/tini.download && \
	apt-mark auto '.*' > /dev/null && \
	[ -z "$savedAptMark" ] || apt-mark manual $savedAptMark > /dev/null && \
	apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportance=false && \
	rm -rf /var/lib/apt/lists/* && \
	/usr/local/bin/tini --version || /usr/local/bin/tini -version || true

FROM toolchain AS planner

WORKDIR /app

RUN cargo install cargo-chef --locked --version 0.1.61

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

RUN set -eux; \
	apt-get update; \
	apt-get install -y --no-install-recommends ca-certificates tini; \
	rm -rf /var/lib/apt/lists/*; \
	groupadd --system app; \
	useradd --system --gid app --home-dir /nonexistent --shell /usr/sbin/nologin app

COPY --from=builder /usr/local/bin/app /usr/local/bin/app

USER app

EXPOSE 3000

ENTRYPOINT ["tini", "--"]

CMD ["app"]
