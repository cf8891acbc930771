# Builder image
FROM golang:1.22.1-alpine3.19 AS builder
RUN apk add --no-cache git make tzdata
WORKDIR /src
COPY go.mod go.mod
COPY go.sum go.sum
RUN go mod download
COPY cmd/main.go cmd/main.go
COPY api/ api/
COPY internal/ internal/
RUN go vet ./... && go test ./...
# Build the binary
RUN CGO_ENABLED=0 GOOS=linux go build -ldflags="-s -w" -o app .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=builder /src/app /app
EXPOSE 8081
# Run the app
ENTRYPOINT ["/app"]
