FROM --platform=$BUILDPLATFORM golang:1.22 AS build

RUN apt-get update && apt-get install -y --no-install-recommends git=1:2.39.2-1.1

WORKDIR /app
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG TARGETOS
ARG TARGETARCH
RUN CGO_ENABLED=0 GOOS=${TARGETOS} GOARCH=${TARGETARCH} go build -o /out/app ./cmd/exporter

FROM alpine:3.20
RUN apk add --no-cache ca-certificates=20240226-r0

COPY --from=build /out/app /usr/local/bin/app
EXPOSE 9100

ENTRYPOINT ["/usr/local/bin/app"]
