from golang:1.23-alpine as build
run apk add --no-cache git=2.43.0-r0 tzdata=2024a-r0
workdir /app
copy go.mod go.sum ./
run go mod download
copy . .
run CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o /app/server ./cmd/cli

from gcr.io/distroless/static-debian12:nonroot
copy --from=build /app/server /server
entrypoint ["/server"]
