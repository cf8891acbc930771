# Build stage
FROM rust:1.78 AS builder

# Install OS packages
RUN apt-get update \
	&& apt-get upgrade -y \
	&& apt-get install -y pkg-config libssl-dev \
	&& rm -rf /var/lib/apt/lists/*
WORKDIR /usr/src/app
COPY . .
RUN cargo install --path .

# Final image
FROM debian:bookworm-slim AS runtime
RUN apt-get update \
	&& apt-get upgrade -y \
	&& apt-get install -y ca-certificates
COPY --from=builder /usr/src/app/target/release/worker /usr/local/bin/worker

# Run the app
ENTRYPOINT ["/usr/local/bin/worker"]
