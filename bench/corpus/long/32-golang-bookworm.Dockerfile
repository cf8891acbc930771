#
# Generated for the drydock benchmark in the style of the golang official image.
# Variant: bookworm. Do not edit by hand; regenerate with bench/corpus/long/generate.mjs.
#

FROM debian:bookworm-slim AS build

RUN apt-get update && \
	apt-get install -y --no-install-recommends g++ gcc libc6-dev make pkg-config ca-certificates gnupg wget && \
	rm -rf /var/lib/apt/lists/*

ENV PATH /usr/local/go/bin:$PATH

ENV GOLANG_VERSION 1.24.2

RUN set -eux; \
	dpkgArch="$(dpkg --print-architecture)"; \
	case "${dpkgArch##*-}" in \
		amd64) url='https://dl.google.com/go/go1.24.2.linux-amd64.tar.gz'; SHA256='b027523a2eb943c5ac1773c8625bb8e8214d8f6ca28b9a6acfb40abac14ff355' ;; \
		arm64) url='https://dl.google.com/go/go1.24.2.linux-arm64.tar.gz'; SHA256='70a7a1223385f9492879d6a225fb2b2c1cf59330c11ed9c5187af4517014489e' ;; \
		armhf) url='https://dl.google.com/go/go1.24.2.linux-armv6l.tar.gz'; SHA256='a8e0a5ade68b06186cc4b2145f99f252ab4b76027d666ef07cae20588a6aa643' ;; \
		i386) url='https://dl.google.com/go/go1.24.2.linux-386.tar.gz'; SHA256='0187a5a637959ba1070f2a89e0ed3daff17432269fd3e45a13f19e74eb28c9cb' ;; \
		ppc64el) url='https://dl.google.com/go/go1.24.2.linux-ppc64le.tar.gz'; SHA256='0effa4b2334adf09907299d7ab39ee4b2ed197729591a568645105e21bcb334c' ;; \
		s390x) url='https://dl.google.com/go/go1.24.2.linux-s390x.tar.gz'; SHA256='1f9382eca1e15e4fefea658c88531bd499e2437c23d7dc17177a122c97834be6' ;; \
		*) echo >&2 "error: unsupported architecture: ${dpkgArch##*-}"; exit 1 ;; \
	esac; \
	wget -O go.tgz.asc "$url.asc"; \
	wget -O go.tgz "$url" --progress=dot:giga; \
	echo "$SHA256 *go.tgz" | sha256sum -c -; \
	GNUPGHOME="$(mktemp -d)"; export GNUPGHOME; \
	gpg --batch --keyserver keyserver.ubuntu.com --recv-keys '17C1577F03ACAB46763BA18EDAF5E71B4A91C3AA'; \
	gpg --batch --keyserver keyserver.ubuntu.com --recv-keys 'FCA248300E628189D91E48D37376222BC34EE267'; \
	gpg --batch --verify go.tgz.asc go.tgz; \
	gpgconf --kill all; \
	rm -rf "$GNUPGHOME" go.tgz.asc; \
	tar -C /usr/local -xzf go.tgz; \
	rm go.tgz; \
	SOURCE_DATE_EPOCH="$(stat -c '%Y' /usr/local/go)"; \
	export SOURCE_DATE_EPOCH; \
	touchy="$(date -d "@$SOURCE_DATE_EPOCH" '+%Y%m%d%H%M.%S')"; \
	date --date "@$SOURCE_DATE_EPOCH" --rfc-2822; \
	go version; \
	epoch="$(stat -c '%Y' /usr/local/go)"; \
	[ "$SOURCE_DATE_EPOCH" = "$epoch" ]; \
	find /usr/local/go -newermt "@$SOURCE_DATE_EPOCH" -exec sh -c ' \
		ls -ld "$@"; \
		touch -h -d "@$SOURCE_DATE_EPOCH" "$@"; \
	' -- '{}' +

ENV GOTOOLCHAIN=local

ENV GOPATH /go

ENV PATH $GOPATH/bin:$PATH

RUN mkdir -p "$GOPATH/src" "$GOPATH/bin" && chmod -R 1777 "$GOPATH"

ENV PROTOC_VERSION 25.2

RUN set -eux; \
	savedAptMark="$(apt-mark showmanual)"; \
	apt-get update; \
	apt-get install -y --no-install-recommends ca-certificates curl unzip; \
	dpkgArch="$(dpkg --print-architecture)"; \
	case "${dpkgArch##*-}" in \
		amd64) toolArch='amd64'; SHA256='77da097958033e881ba3bf871fb27cb426921f5376bca01c04a2f7098d1e03cb' ;; \
		arm64) toolArch='arm64'; SHA256='f8179a4aa46119209b6d837a89eba4de30bc1c0358f09a7021a99cf3b9aefee6' ;; \
		armhf) toolArch='armv7'; SHA256='597cf99d54eed1d05599011ab67c6ba7af639efe011e0bf22bb0c51efa9018b6' ;; \
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

ENV GRPC_HEALTH_PROBE_VERSION v0.4.4

RUN set -eux; \
	savedAptMark="$(apt-mark showmanual)"; \
	apt-get update; \
	apt-get install -y --no-install-recommends ca-certificates curl; \
	dpkgArch="$(dpkg --print-architecture)"; \
	case "${dpkgArch##*-}" in \
		amd64) toolArch='amd64'; SHA256='d81aec6ee7fad0a05e5d221ad361d8ee8fe37dd06f02a99dc18deb2531cc35f7' ;; \
		arm64) toolArch='arm64'; SHA256='49184e0213684c7bacd4d3a3389031e8357e3fdac33fa0dd2eb26d60472d1f70' ;; \
		armhf) toolArch='armv7'; SHA256='da11b90547c8c06d8aa852879e65b3909709bf20700f514f9ac15d6e92488b56' ;; \
		*) echo >&2 "error: unsupported architecture: ${dpkgArch##*-}"; exit 1 ;; \
	esac; \
	curl -fsSL -o /tmp/grpc_health_probe.download "https://github.com/grpc-ecosystem/grpc-health-probe/releases/download/${GRPC_HEALTH_PROBE_VERSION}/grpc_health_probe-linux-${toolArch}"; \
	echo "$SHA256 */tmp/grpc_health_probe.download" | sha256sum -c -; \
	install -m 0755 /tmp/grpc_health_probe.download /usr/local/bin/grpc_health_probe; \
	rm -rf /tmp/grpc_health_probe /tmp/grpc_health_probe.download; \
	apt-mark auto '.*' > /dev/null; \
	[ -z "$savedAptMark" ] || apt-mark manual $savedAptMark > /dev/null; \
	apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportance=false; \
	rm -rf /var/lib/apt/lists/*; \
	/usr/local/bin/grpc_health_probe --version || /usr/local/bin/grpc_health_probe -version || true

WORKDIR /src

COPY go.mod go.sum ./

RUN --mount=type=cache,target=/go/pkg/mod go mod download && go mod verify

COPY . .

ARG TARGETOS TARGETARCH

RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -trimpath -ldflags="-s -w -X main.version=1.24.2" -o /out/server ./cmd/server && \
	CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -trimpath -ldflags="-s -w" -o /out/migrate ./cmd/migrate && \
	go test ./... -run 'Test(Unit|Config)' -count=1

FROM gcr.io/distroless/static-debian12:nonroot

COPY --from=build /out/server /usr/local/bin/server

COPY --from=build /out/migrate /usr/local/bin/migrate

COPY --from=build /usr/local/bin/grpc_health_probe /usr/local/bin/grpc_health_probe

HEALTHCHECK --interval=15s --timeout=3s CMD ["/usr/local/bin/grpc_health_probe", "-addr=:8080"]

USER nonroot:nonroot

EXPOSE 8080

ENTRYPOINT ["/usr/local/bin/server"]
