ARG GO_VERSION=1.21

FROM golang:${GO_VERSION}-alpine AS builder
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o /app/workerd ./cmd/workerd

FROM gcr.io/distroless/static-debian12:nonroot
WORKDIR /
COPY --from=builder /app/workerd /workerd
ENTRYPOINT ["/workerd"]
