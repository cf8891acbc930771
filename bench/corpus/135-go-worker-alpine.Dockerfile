from golang:1.22-alpine as builder
run apk add --no-cache ca-certificates git
workdir /src
copy go.mod go.sum ./
# Install dependencies
run go mod download

# Copy the application source
copy . .
# Compile a static binary
run CGO_ENABLED=0 go build -ldflags="-s -w" -o /out/server ./cmd/worker

from alpine:3.19.1
# Install OS packages
run apk add --no-cache curl
run addgroup -S app && adduser -S app -G app
copy --from=builder /out/server /usr/local/bin/server
user app

# Run the app
entrypoint ["/usr/local/bin/server"]
cmd ["--config=/etc/app/config.yaml"]
