#
# Generated for the drydock benchmark in the style of the rust official image.
# Variant: alpine3.20. Do not edit by hand; regenerate with bench/corpus/long/generate.mjs.
#

FROM alpine:3.20 AS toolchain

ENV RUSTUP_HOME=/usr/local/rustup \
    CARGO_HOME=/usr/local/cargo \
    PATH=/usr/local/cargo/bin:$PATH \
    RUST_VERSION=1.80.2

RUN apk add --no-cache ca-certificates gcc musl-dev

RUN set -eux; \
	apkArch="$(apk --print-arch)"; \
	case "$apkArch" in \
		x86_64) rustArch='x86_64-unknown-linux-musl'; rustupSha256='d7e79d128deadada9e525e2eb403c1ffdbc9a15e3463469d5fcbcb68f4b5be79' ;; \
		aarch64) rustArch='aarch64-unknown-linux-musl'; rustupSha256='ed708198b3f137945542a4d50d39454f290ce3379c3a80e75d4be8f1a53dfbec' ;; \
		*) echo >&2 "error: unsupported architecture: $apkArch"; exit 1 ;; \
	esac; \
	url="https://static.rust-lang.org/rustup/archive/1.27.1/${rustArch}/rustup-init"; \
	wget "$url"; \
	echo "${rustupSha256} *rustup-init" | sha256sum -c -; \
	chmod +x rustup-init; \
	./rustup-init -y --no-modify-path --profile minimal --default-toolchain $RUST_VERSION --default-host ${rustArch}; \
	rm rustup-init; \
	chmod -R a+w $RUSTUP_HOME $CARGO_HOME; \
	rustup --version; \
	cargo --version; \
	rustc --version

ENV SCCACHE_VERSION v0.8.0

RUN apk add --no-cache --virtual .sccache-deps curl unzip && \
	apkArch="$(apk --print-arch)" && \
	case "$apkArch" in \
		x86_64) toolArch='amd64'; SHA256='ee853b1012f50c11050cbd503469a6cf1079f61d9a61639815615f8942ba5e44' ;; \
		aarch64) toolArch='arm64'; SHA256='79bc7ba8c663f59d3bdb5f2d0305a0b639e5ea4b437ff137aa6dd618b55a4b3f' ;; \
		*) echo >&2 "error: unsupported architecture: $apkArch"; exit 1 ;; \
	esac && \
	curl -fsSL -o /tmp/sccache.download "https://github.com/mozilla/sccache/releases/download/${SCCACHE_VERSION}/sccache-${SCCACHE_VERSION}-${toolArch}-unknown-linux-musl.tar.gz" && \
	echo "$SHA256 */tmp/sccache.download" | sha256sum -c - && \
	mkdir -p /tmp/sccache && tar -xzf /tmp/sccache.download -C /tmp/sccache --strip-components=1 && install -m 0755 /tmp/sccache/sccache /usr/local/bin/sccache && \
	rm -rf /tmp/sccache /tmp/sccache.download && \
	apk del --no-network .sccache-deps && \
	/usr/local/bin/sccache --version || /usr/local/bin/sccache -version || true

ENV RUSTC_WRAPPER=/usr/local/bin/sccache SCCACHE_DIR=/var/cache/sccache

ENV TINI_VERSION v0.19.5

RUN set -eux; \
	apk add --no-cache --virtual .tini-deps curl; \
	apkArch="$(apk --print-arch)"; \
	case "$apkArch" in \
		x86_64) toolArch='amd64'; SHA256='fd1b9dbc24b7115f730cf1e44a9784e5070ba85faa6ae8c64f88af873ad38d00' ;; \
		aarch64) toolArch='arm64'; SHA256='5ec7329cedb0984d302cbe2c694739516a2373d9e709b0dc167beaa7e697f767' ;; \
		armv7) toolArch='armv7'; SHA256='6c8997a8dc300927c2b6140dc8dd0d09597e8d05f42bfec790bf836fa0409c0d' ;; \
		*) echo >&2 "error: unsupported architecture: $apkArch"; exit 1 ;; \
	esac; \
	curl -fsSL -o /tmp/tini.download "https://github.com/krallin/tini/releases/download/${TINI_VERSION}/tini-static-${toolArch}"; \
	echo "$SHA256 */tmp/tini.download" | sha256sum -c -; \
	install -m 0755 /tmp/tini.download /usr/local/bin/tini; \
	rm -rf /tmp/tini /tmp/tini.download; \
	apk del --no-network .tini-deps; \
	/usr/local/bin/tini --version || /usr/local/bin/tini -version || true

FROM toolchain AS planner

WORKDIR /app

RUN cargo install cargo-chef --locked --version 0.1.63

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

FROM alpine:3.20 AS runtime

RUN apk add --no-cache ca-certificates tini && addgroup -S app && adduser -S -G app app

COPY --from=builder /usr/local/bin/app /usr/local/bin/app

USER app

EXPOSE 3000

ENTRYPOINT ["tini", "--"]

CMD ["app"]
