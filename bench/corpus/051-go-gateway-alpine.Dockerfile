ARG GO_VERSION=1.22.1

# === build ===
FROM --platform=$BUILDPLATFORM golang:${GO_VERSION}-alpine3.19 AS build

# Create app directory
WORKDIR /app
# Only copy the dependency files first so this layer is cached
COPY go.mod go.sum ./

# Download dependencies
RUN go mod download

# Copy the current directory contents into the container
COPY . .
RUN go vet ./... && go test ./...

ARG TARGETOS
ARG TARGETARCH

# Compile a static binary
RUN CGO_ENABLED=0 GOOS=${TARGETOS} GOARCH=${TARGETARCH} go build -trimpath -ldflags "-s -w" -o /app/app ./cmd/server

# Runtime image
FROM alpine:3.19

# Install required packages
RUN apk add --no-cache tzdata
COPY --from=build /app/app /usr/local/bin/app

# Document the listening port
EXPOSE 8080

# Default command
ENTRYPOINT ["/usr/local/bin/app"]
