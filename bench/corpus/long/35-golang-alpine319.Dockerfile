FROM alpine:3.19 AS build

RUN apk add --no-cache ca-certificates

ENV PATH /usr/local/go/bin:$PATH

ENV GOLANG_VERSION 1.21.3

RUN set -eux; \
	apk add --no-cache --virtual .fetch-deps gnupg; \
	apkArch="$(apk --print-arch)"; \
	case "$apkArch" in \
		x86_64) url='https://dl.google.com/go/go1.21.3.linux-amd64.tar.gz'; SHA256='34e81bf40e15afbbd683eece47fc6ceacc0928e5dcad34e7c9d01a87d9746b6c' ;; \
		aarch64) url='https://dl.google.com/go/go1.21.3.linux-arm64.tar.gz'; SHA256='1a579907c5e4a9235384429622f67a64c29e790f1a4b99db6ca9badc8762987e' ;; \
		armv7) url='https://dl.google.com/go/go1.21.3.linux-armv6l.tar.gz'; SHA256='b85606d2d9c4643772f8b13dd11c78f9b744b3fcf3b923f2e375eaacf8a834c3' ;; \
		x86) url='https://dl.google.com/go/go1.21.3.linux-386.tar.gz'; SHA256='0304e01f61c2e403a8944d6900d40bd4b7fb489f352420ae55e96cf6aba9dd1c' ;; \
		ppc64le) url='https://dl.google.com/go/go1.21.3.linux-ppc64le.tar.gz'; SHA256='73f1ca403ea9e0e516f574279e18eb70488935ff55a6b1e5be46e46ba5df89a9' ;; \
		s390x) url='https://dl.google.com/go/go1.21.3.linux-s390x.tar.gz'; SHA256='43256746ebec16376b665d8db4cf97d89063d761b96d9b33b5953f7958ff77f6' ;; \
		*) echo >&2 "error: unsupported architecture: $apkArch"; exit 1 ;; \
	esac; \
	wget -O go.tgz.asc "$url.asc"; \
	wget -O go.tgz "$url" --progress=dot:giga; \
	echo "$SHA256 *go.tgz" | sha256sum -c -; \
	GNUPGHOME="$(mktemp -d)"; export GNUPGHOME; \
	gpg --batch --keyserver keyserver.ubuntu.com --recv-keys 'A39885BD4EAB6B19D5169EB8B59FB56AD2D6B6D9'; \
	gpg --batch --keyserver keyserver.ubuntu.com --recv-keys '0A3EDAB5BDAE95E9AD552D06F735E49BB1D22662'; \
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

ENV PROTOC_VERSION 25.3

RUN set -eux; \
	apk add --no-cache --virtual .protoc-deps curl unzip; \
	apkArch="$(apk --print-arch)"; \
	case "$apkArch" in \
		x86_64) toolArch='amd64'; SHA256='bff6cbc407d892167521f634a7ba4e3a7ca612eb4fb6adad9804d0b259f65cc9' ;; \
		aarch64) toolArch='arm64'; SHA256='12d4200375b9bdbb0d11112964be6c4fc91210def642e6bfdab398d83cf8ca63' ;; \
		armv7) toolArch='armv7'; SHA256='bcaefba332af3420b66f284dc23cef264d0a35500fc459280867626acecca68d' ;; \
		x86) toolArch='386'; SHA256='16433c816521a0f0e22950e4c6f869818cd806e741be59acd285e4bcf52b946d' ;; \
		ppc64le) toolArch='ppc64le'; SHA256='0351895d6ca4e65477d51c45fa4c8c7e91377f5ae24c672b1423db85b6d0ca6f' ;; \
		*) echo >&2 "error: unsupported architecture: $apkArch"; exit 1 ;; \
	esac; \
	curl -fsSL -o /tmp/protoc.download "https://github.com/protocolbuffers/protobuf/releases/download/v${PROTOC_VERSION}/protoc-${PROTOC_VERSION}-linux-${toolArch}.zip"; \
	echo "$SHA256 */tmp/protoc.download" | sha256sum -c -; \
	unzip -q /tmp/protoc.download -d /tmp/protoc && install -m 0755 /tmp/protoc/bin/protoc /usr/local/bin/protoc; \
	rm -rf /tmp/protoc /tmp/protoc.download; \
	apk del --no-network .protoc-deps; \
	/usr/local/bin/protoc --version || /usr/local/bin/protoc -version || true

ENV GRPC_HEALTH_PROBE_VERSION v0.4.0

RUN apk add --no-cache --virtual .grpc-health-probe-deps curl && \
	apkArch="$(apk --print-arch)" && \
	case "$apkArch" in \
		x86_64) toolArch='amd64'; SHA256='79bc18e975de8ecaa481c65c03eb70b70e0a4b2cdacf05aa2ab5523bd48a60be' ;; \
		aarch64) toolArch='arm64'; SHA256='0ff1baecb9785fc0deea60389e90250151be79544dac8e81938eb252be1850ce' ;; \
		armv7) toolArch='armv7'; SHA256='0aaecac2d97e0f65d78f3c9a4b82ea971dd63bf0324f775ecfb0b9b5915afce9' ;; \
		x86) toolArch='386'; SHA256='4ce700f5115379cd02d6e02b879f5f22ebe817ae5637a002bcdb60d6f4c40a85' ;; \
		ppc64le) toolArch='ppc64le'; SHA256='0c18ff21a346e1edfbcc46d28aa6460ddcbfc9ba1d611b2119a8c482a0238d6b' ;; \
		*) echo >&2 "error: unsupported architecture: $apkArch"; exit 1 ;; \
	esac && \
	curl -fsSL -o /tmp/grpc_health_probe.download "https://github.com/grpc-ecosystem/grpc-health-probe/releases/download/${GRPC_HEALTH_PROBE_VERSION}/grpc_health_probe-linux-${toolArch}" && \
	echo "$SHA256 */tmp/grpc_health_probe.download" | sha256sum -c - && \
	install -m 0755 /tmp/grpc_health_probe.download /usr/local/bin/grpc_health_probe && \
	rm -rf /tmp/grpc_health_probe /tmp/grpc_health_probe.download && \
	apk del --no-network .grpc-health-probe-deps && \
	/usr/local/bin/grpc_health_probe --version || /usr/local/bin/grpc_health_probe -version || true

WORKDIR /src

COPY go.mod go.sum ./

RUN --mount=type=cache,target=/go/pkg/mod go mod download && go mod verify

COPY . .

ARG TARGETOS TARGETARCH

RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -trimpath -ldflags="-s -w -X main.version=1.21.3" -o /out/server ./cmd/server && \
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
