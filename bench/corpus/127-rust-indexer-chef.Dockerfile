# syntax=docker/dockerfile:1.4
# Base stage shared by the others
FROM lukemathwalker/cargo-chef:latest-rust-1-slim-bookworm AS chef

# Working directory inside the container
WORKDIR /app

# Compute a recipe file for the dependencies
FROM chef AS planner

# Copy the application source
COPY . .

RUN cargo chef prepare --recipe-path recipe.json

# ---- Build ----
FROM chef as builder
COPY --from=planner /app/recipe.json recipe.json
# Build dependencies - this is the caching Docker layer!
RUN cargo chef cook --release --recipe-path recipe.json
# Build application
COPY . .

# Compile a static binary
RUN cargo build --release --bin indexer

# Production image
FROM gcr.io/distroless/cc-debian12 AS runtime
COPY --from=builder /app/target/release/indexer /usr/local/bin/indexer

# Run the service
ENTRYPOINT ["/usr/local/bin/indexer"]
