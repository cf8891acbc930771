# ---- Build ----
FROM golang:1.22-bookworm as build

# Install system dependencies
RUN apt-get update && apt-get install -y make && rm -rf /var/lib/apt/lists/*
WORKDIR /build

# Copy dependency manifests first to leverage Docker layer caching
COPY go.mod go.sum ./
# Install dependencies
RUN go mod download

# Copy the rest of the code
COPY . .

# Build the application
RUN CGO_ENABLED=0 GOOS=linux go build -o /out/apid ./cmd/api

# Base image
FROM debian:bookworm-slim

RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 app && useradd --system --uid 10001 --gid app --no-create-home app

COPY --from=build /out/apid /usr/local/bin/apid
USER app
# Expose the port the app runs on
EXPOSE 3000

ENTRYPOINT ["/usr/local/bin/apid"]
