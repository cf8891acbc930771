# syntax=docker/dockerfile:1.4
# Build stage
FROM --platform=$BUILDPLATFORM golang:1.22.1-alpine3.19 AS builder

# Install OS packages
RUN apk add --no-cache make musl-dev

# Set the working directory
WORKDIR /build

COPY go.mod go.sum ./

RUN --mount=type=cache,target=/go/pkg/mod go mod download
# Copy the rest of the code
COPY . .
ARG TARGETOS TARGETARCH
ARG VERSION=dev
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOOS=${TARGETOS} GOARCH=${TARGETARCH} go build -ldflags="-s -w -X main.version=${VERSION}" -o app ./cmd/gateway

# Runtime image
FROM gcr.io/distroless/static-debian12
COPY --from=builder /build/app /app

# Run as non-root user
USER 65532:65532

# Expose the port the app runs on
EXPOSE 8000

ENTRYPOINT ["/app"]
