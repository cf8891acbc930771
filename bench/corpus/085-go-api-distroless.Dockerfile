ARG GO_VERSION=1.21

# ---- Build ----
FROM golang:${GO_VERSION}-alpine AS builder

RUN apk add --no-cache ca-certificates git make
WORKDIR /app

# Dependency manifests
COPY go.mod go.sum ./

# Fetch dependencies (cached unless the manifests change)
RUN go mod download

COPY . .

ARG VERSION=0.0.0

RUN CGO_ENABLED=0 GOOS=linux go build -ldflags="-s -w -X main.version=${VERSION}" -o /bin/manager ./cmd/manager

FROM gcr.io/distroless/static-debian12:nonroot

COPY --from=builder /bin/manager /manager

# Make the service port available outside the container
EXPOSE 8080

# Default command
ENTRYPOINT ["/manager"]
