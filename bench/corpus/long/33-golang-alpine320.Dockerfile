FROM alpine:3.20 AS build

RUN apk add --no-cache ca-certificates

ENV PATH /usr/local/go/bin:$PATH

ENV GOLANG_VERSION 1.24.3

RUN set -eux; \
	apk add --no-cache --virtual .fetch-deps gnupg; \
	apkArch="$(apk --print-arch)"; \
	case "$apkArch" in \
		x86_64) url='https://dl.google.com/go/go1.24.3.linux-amd64.tar.gz'; SHA256='8a6ca00f4c24872f075522cd369fab62ccad7e9b0a40fd0868122c380610a642' ;; \
		aarch64) url='https://dl.google.com/go/go1.24.3.linux-arm64.tar.gz'; SHA256='4bba1a98236474640938e5d087835f891ffc9049a5696c5d415912d9e47b082e' ;; \
		armv7) url='https://dl.google.com/go/go1.24.3.linux-armv6l.tar.gz'; SHA256='520fa293788457dcf711fc3b1d2238b121122d0af2c92c148a7a0e6fac4cb193' ;; \
		x86) url='https://dl.google.com/go/go1.24.3.linux-386.tar.gz'; SHA256='4f9f6c377354e691eefd222f8789ba4df218b1fa952e68397aa61dae2d57ad68' ;; \
		ppc64le) url='https://dl.google.com/go/go1.24.3.linux-ppc64le.tar.gz'; SHA256='cf71734892aec733be6a07b197196b7811a53749a1007582d707e3b30fba6bda' ;; \
		s390x) url='https://dl.google.com/go/go1.24.3.linux-s390x.tar.gz'; SHA256='65a5862d34ecd7d0fb7a3f50591fe653fbab4d803f3cded29f7b9b63b3275361' ;; \
		*) echo >&2 "error: unsupported architecture: $apkArch"; exit 1 ;; \
	esac; \
	wget -O go.tgz.asc "$url.asc"; \
	wget -O go.tgz "$url" --progress=dot:giga; \
	echo "$SHA256 *go.tgz" | sha256sum -c -; \
	GNUPGHOME="$(mktemp -d)"; export GNUPGHOME; \
	gpg --batch --keyserver keyserver.ubuntu.com --recv-keys '38DBC783DB3E80738F28E8A904E98FAEB6934593'; \
	gpg --batch --keyserver keyserver.ubuntu.com --recv-keys '060D999339FBA13684E423FEB5F56C0A390776A4'; \
	gpg --batch --verify go.tgz.asc go.tgz; \
	gpgconf --kill all; \
	rm -rf "$GNUPGHOME" go.tgz.asc; \
	tar -C /usr/local -xzf go.tgz; \
	rm go.tgz; \
	SOURCE_DATE_EPOCH="$(stat -c '%Y' /usr/local/go)"; \
	export SOURCE_DATE_EPOCH; \
	touchy="$(date -d "@$SOURCE_DATE_EPOCH" '+%Y%m%d%H%M.%S')"; \
	date --date "@$SOURCE_DATE_EPOCH" --rfc-2822; \
	apk del --no-network .fetch-deps; \
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

RUN apk add --no-cache --virtual .protoc-deps curl unzip && \
	apkArch="$(apk --print-arch)" && \
	case "$apkArch" in \
		x86_64) toolArch='amd64'; SHA256='f3812c2e567ba59dab153117360222c300ec7f9e8c3d43675feb781ce19e6759' ;; \
		aarch64) toolArch='arm64'; SHA256='162e0c3aa02b8b9aab361614c8d7386f783ebdb54265cf7cc60fdc1dde94c1ac' ;; \
		*) echo >&2 "error: unsupported architecture: $apkArch"; exit 1 ;; \
	esac && \
	curl -fsSL -o /tmp/protoc.download "https://github.com/protocolbuffers/protobuf/releases/download/v${PROTOC_VERSION}/protoc-${PROTOC_VERSION}-linux-${toolArch}.zip" && \
	echo "$SHA256 */tmp/protoc.download" | sha256sum -c - && \
	unzip -q /tmp/protoc.download -d /tmp/protoc && install -m 0755 /tmp/protoc/bin/protoc /usr/local/bin/protoc && \
	rm -rf /tmp/protoc /tmp/protoc.download && \
	apk del --no-network .protoc-deps && \
	/usr/local/bin/protoc --version || /usr/local/bin/protoc -version || true

ENV GRPC_HEALTH_PROBE_VERSION v0.4.8

RUN set -eux; \
	apk add --no-cache --virtual .grpc-health-probe-deps curl; \
	apkArch="$(apk --print-arch)"; \
	case "$apkArch" in \
		x86_64) toolArch='amd64'; SHA256='48c7c90c7b0b8f543d39f924e018ba15ce76c1d46d0fa8f2ee1c721731f9529c' ;; \
		aarch64) toolArch='arm64'; SHA256='0eed2028751eb0c6214c0aeefa337b39fe8ca363392da904da632721cf00aac2' ;; \
		armv7) toolArch='armv7'; SHA256='44b8d7a12609905156926e3ac2a8617d627a1f2624581eea5fede170a4c465fd' ;; \
		*) echo >&2 "error: unsupported architecture: $apkArch"; exit 1 ;; \
	esac; \
	curl -fsSL -o /tmp/grpc_health_probe.download "https://github.com/grpc-ecosystem/grpc-health-probe/releases/download/${GRPC_HEALTH_PROBE_VERSION}/grpc_health_probe-linux-${toolArch}"; \
	echo "$SHA256 */tmp/grpc_health_probe.download" | sha256sum -c -; \
	install -m 0755 /tmp/grpc_health_probe.download /usr/local/bin/grpc_health_probe; \
	rm -rf /tmp/grpc_health_probe /tmp/grpc_health_probe.download; \
	apk del --no-network .grpc-health-probe-deps; \
	/usr/local/bin/grpc_health_probe --version || /usr/local/bin/grpc_health_probe -version || true

WORKDIR /src

COPY go.mod go.sum ./

RUN --mount=type=cache,target=/go/pkg/mod go mod download && go mod verify

COPY . .

ARG TARGETOS TARGETARCH

RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -trimpath -ldflags="-s -w -X main.version=1.24.3" -o /out/server ./cmd/server && \
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
