FROM debian:bullseye-slim AS toolchain

ENV RUSTUP_HOME=/usr/local/rustup \
    CARGO_HOME=/usr/local/cargo \
    PATH=/usr/local/cargo/bin:$PATH \
    RUST_VERSION=1.83.2

RUN set -eux; \
	apt-get update; \
	apt-get install -y --no-install-recommends ca-certificates gcc libc6-dev wget; \
	rm -rf /var/lib/apt/lists/*

RUN dpkgArch="$(dpkg --print-architecture)" && \
	case "${dpkgArch##*-}" in \
		amd64) rustArch='x86_64-unknown-linux-gnu'; rustupSha256='499ab6ce574120e8122b3eb787edbbf330f0c26d872e4a11b595e04aab4705aa' ;; \
		arm64) rustArch='aarch64-unknown-linux-gnu'; rustupSha256='19aeb138b14f128c2dad7fb6cb1b65575426365ded42f8d4846344fe4f7dee81' ;; \
		armhf) rustArch='armv7-unknown-linux-gnueabihf'; rustupSha256='665b983d8bbc87828a6f4bc7e4f2d6943d72ff355c0002a780bdbed3a152fa48' ;; \
		i386) rustArch='i686-unknown-linux-gnu'; rustupSha256='89e095b6118f88f7b66ee42555cdd553658f70d1c6abdebd8b207583a60907a1' ;; \
		ppc64el) rustArch='powerpc64le-unknown-linux-gnu'; rustupSha256='545cfb4e9036b0a65b0084746e0ddeafee92b962023c964dacde113ff4720ef6' ;; \
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

ENV SCCACHE_VERSION v0.8.0

RUN savedAptMark="$(apt-mark showmanual)" && \
	apt-get update && \
	apt-get install -y --no-install-recommends ca-certificates curl unzip && \
	dpkgArch="$(dpkg --print-architecture)" && \
	case "${dpkgArch##*-}" in \
		amd64) toolArch='amd64'; SHA256='df29baafc91018dc4649ff4ca48dc196992e2524a1c41eecfa6c8f04b5af0be8' ;; \
		arm64) toolArch='arm64'; SHA256='a2eb551c7f27aa8f8b481ba4678d912ebcc0743dd28433f23889563fc25b8226' ;; \
		armhf) toolArch='armv7'; SHA256='6ff58d1d236c914dfebc9fc032268b5c8252f783e4f1c8aa6771dbe3b98686a4' ;; \
		i386) toolArch='386'; SHA256='2aacf3e5eb9fb5f636e5e384b0ffff49a1433652d4d5951db383dc88fa964bf5' ;; \
		ppc64el) toolArch='ppc64le'; SHA256='8491ecf112988d45cf09f9dd2270a75e29d8e112c4199be7e903addd6074d1c3' ;; \
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

ENV TINI_VERSION v0.19.0

RUN set -eux; \
	savedAptMark="$(apt-mark showmanual)"; \
	apt-get update; \
	apt-get install -y --no-install-recommends ca-certificates curl; \
	dpkgArch="$(dpkg --print-architecture)"; \
	case "${dpkgArch##*-}" in \
		amd64) toolArch='amd64'; SHA256='1911523ff3d2ccfd10e101ef4c5a2ecd59e2c3a58788a9046ebdf4236c635bf8' ;; \
		arm64) toolArch='arm64'; SHA256='cdaf227ac990190ccf5f2a411cb16aa4114541a9d2b6f5c837c203036f162ba9' ;; \
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

RUN cargo install cargo-chef --locked --version 0.1.70

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
