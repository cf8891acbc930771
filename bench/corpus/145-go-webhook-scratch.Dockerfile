ARG GO_VERSION=1.21

# Builder image
FROM golang:${GO_VERSION}-alpine AS build

WORKDIR /app

# Dependency manifests
COPY go.mod go.sum ./

RUN go mod download

COPY . .

RUN CGO_ENABLED=0 go build -o /bin/app ./cmd/server

# Runtime image
FROM scratch

COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
COPY --from=build /usr/share/zoneinfo /usr/share/zoneinfo
COPY --from=build /bin/app /app

USER nobody

# Make the service port available outside the container
EXPOSE 9443

# Run the service
ENTRYPOINT ["/app"]

# Start the application
CMD ["--port=9443"]
