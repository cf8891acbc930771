FROM golang:1.21.8-bookworm AS builder

RUN apt-get update \
    && apt-get install -y ca-certificates \
    && apt-get clean && rm -rf /var/lib/apt/lists/*
WORKDIR /workspace

COPY go.mod go.sum ./

RUN go mod download
COPY . .

ARG VERSION=unknown

RUN CGO_ENABLED=0 go build -ldflags="-s -w -X main.version=${VERSION}" -o /bin/grpc ./cmd/grpc

FROM gcr.io/distroless/static-debian12:nonroot

COPY --from=builder /bin/grpc /grpc
EXPOSE 9090

ENTRYPOINT ["/grpc"]
