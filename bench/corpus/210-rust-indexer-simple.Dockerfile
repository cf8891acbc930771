FROM rust:1.76-bookworm AS builder

# Install required packages
RUN apt-get update && \
    apt-get install -y --no-install-recommends libssl-dev pkg-config && \
    apt-get clean && rm -rf /var/lib/apt/lists/*
# Set the working directory
WORKDIR /usr/src/app

# Copy dependency manifests first to leverage Docker layer caching
COPY Cargo.toml Cargo.lock ./
# Cache dependencies with a dummy main
RUN mkdir src && \
    echo "fn main() {}" > src/main.rs && \
    cargo build --release && \
    rm -rf src

# Bundle app source
COPY src ./src
RUN touch src/main.rs && cargo build --release

# Base image
FROM debian:bookworm-slim
# Install OS packages
RUN apt-get update && \
    apt-get install --no-install-recommends -y tzdata && \
    apt-get clean && rm -rf /var/lib/apt/lists/*
ARG UID=10001
# Create a non-root user
RUN adduser \
        --disabled-password \
        --gecos "" \
        --home "/nonexistent" \
        --shell "/sbin/nologin" \
        --no-create-home \
        --uid "${UID}" \
        appuser
# Switch to the unprivileged user
USER appuser
COPY --from=builder /usr/src/app/target/release/indexer /usr/local/bin/indexer
# Default command
CMD ["/usr/local/bin/indexer"]
