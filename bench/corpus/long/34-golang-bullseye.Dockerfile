#
# Generated for the drydock benchmark in the style of the golang official image.
# Variant: bullseye. Do not edit by hand; regenerate with bench/corpus/long/generate.mjs.
#

FROM debian:bullseye-slim AS build

RUN apt-get update && \
	apt-get install -y --no-install-recommends g++ gcc libc6-dev make pkg-config ca-certificates gnupg wget && \
	rm -rf /var/lib/apt/lists/*

ENV PATH /usr/local/go/bin:$PATH

ENV GOLANG_VERSION 1.22.5

RUN set -eux; \
	dpkgArch="$(dpkg --print-architecture)"; \
	case "${dpkgArch##*-}" in \
		amd64) url='https://dl.google.com/go/go1.22.5.linux-amd64.tar.gz'; SHA256='ec5eab7d97d0b651b6c5e7da9f2542dde7f008af6c96d295c3b62e9cb7b475e8' ;; \
		arm64) url='https://dl.google.com/go/go1.22.5.linux-arm64.tar.gz'; SHA256='bf1b5bdaa3c259ba0b1c6aec1cf6e97463fcf3280082bc5614aa3af52f5ff666' ;; \
		armhf) url='https://dl.google.com/go/go1.22.5.linux-armv6l.tar.gz'; SHA256='b9833129ec3b539f267773bebb93d9e53ca80c9d093e329b8b38638b3cf95254' ;; \
		i386) url='https://dl.google.com/go/go1.22.5.linux-386.tar.gz'; SHA256='c815985dbd28bad3c8ae1fbd0f298190276c5eb28488f85a857f172bd038d708' ;; \
		ppc64el) url='https://dl.google.com/go/go1.22.5.linux-ppc64le.tar.gz'; SHA256='6f4dd0aae62aa4964da180d2d86bcce419a0028afa431359fdfc01f39dc48698' ;; \
		s390x) url='https://dl.google.com/go/go1.22.5.linux-s390x.tar.gz'; SHA256='efd1790925087b97d1fbd9b9635d643db5fb3037707b61423c00099381834362' ;; \
		*) echo >&2 "error: unsupported architecture: ${dpkgArch##*-}"; exit 1 ;; \
	esac; \
	wget -O go.tgz.asc "$url.asc"; \
	wget -O go.tgz "$url" --progress=dot:giga; \
	echo "$SHA256 *go.tgz" | sha256sum -c -; \
	GNUPGHOME="$(mktemp -d)"; export GNUPGHOME; \
	gpg --batch --keyserver keyserver.ubuntu.com --recv-keys 'FAF1362756F43491DB5BB1F7521B7B9C33B58957'; \
	gpg --batch --keyserver keyserver.ubuntu.com --recv-keys '1C4D7356D36829544F4569E3B0B95ECFAB69AAD8'; \
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

ENV PROTOC_VERSION 25.6

RUN set -eux; \
	savedAptMark="$(apt-mark showmanual)"; \
	apt-get update; \
	apt-get install -y --no-install-recommends ca-certificates curl unzip; \
	dpkgArch="$(dpkg --print-architecture)"; \
	case "${dpkgArch##*-}" in \
		amd64) toolArch='amd64'; SHA256='a2570f7d953e7fe5dd14cd651d943fc1bcc8e860c236fcf3033847e46b0a7662' ;; \
		arm64) toolArch='arm64'; SHA256='862dfd69c70b1bd832331eddb58c289fdc45657e08a7666ff81018c7a0f7fa2b' ;; \
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

ENV GRPC_HEALTH_PROBE_VERSION v0.4.8

RUN set -eux; \
	savedAptMark="$(apt-mark showmanual)"; \
	apt-get update; \
	apt-get install -y --no-install-recommends ca-certificates curl; \
	dpkgArch="$(dpkg --print-architecture)"; \
	case "${dpkgArch##*-}" in \
		amd64) toolArch='amd64'; SHA256='df27fba17e0e9d531719cc5df727c69116dbfa8694f62bcba6531227250792ec' ;; \
		arm64) toolArch='arm64'; SHA256='3a2f89093752eb97a433ee97aab986e046f076a7c3ca5a5cce277c58ba081598' ;; \
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

RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -trimpath -ldflags="-s -w -X main.version=1.22.5" -o /out/server ./cmd/server && \
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
