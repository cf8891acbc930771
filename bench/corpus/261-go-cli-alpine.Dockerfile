# Builder image
FROM golang:1.22-bookworm AS build

# Working directory inside the container
WORKDIR /src

# Dependency manifests
COPY go.mod go.sum ./

# Download dependencies
RUN go mod download

# Bundle app source
COPY . .

# Build the application
RUN CGO_ENABLED=0 GOOS=linux go build -ldflags="-s -w" -o /app/app .

# Runtime image
FROM alpine:3.20.0

# Install required packages
RUN apk add --no-cache tzdata curl

COPY --from=build /app/app /usr/local/bin/app

# Run the app
ENTRYPOINT ["/usr/local/bin/app"]

# Run the app
CMD ["serve"]
