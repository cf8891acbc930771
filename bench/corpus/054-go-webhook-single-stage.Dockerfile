# Start from a small base
FROM golang:1.21-alpine
LABEL org.opencontainers.image.source="https://github.com/initech/services"
LABEL org.opencontainers.image.authors="platform@acme.io"
# Working directory inside the container
WORKDIR /go/src/github.com/acme/webhook
# Copy the current directory contents into the container
COPY . .

# Build the binary
RUN CGO_ENABLED=0 go build -o main .

# Make the service port available outside the container
EXPOSE 9443

# Default command
CMD ["/main"]
