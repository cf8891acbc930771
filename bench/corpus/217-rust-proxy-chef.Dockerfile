# ---- Base ----
FROM lukemathwalker/cargo-chef:0.1.66-rust-1.76 AS chef
# Set the working directory
WORKDIR /app

# Compute a recipe file for the dependencies
FROM chef AS planner

# Bundle app source
COPY . .
RUN cargo chef prepare --recipe-path recipe.json

# Build stage
FROM chef AS builder
COPY --from=planner /app/recipe.json recipe.json
# Build dependencies - this is the caching Docker layer!
RUN cargo chef cook --release --recipe-path recipe.json
# Build application
COPY . .

# Build the binary
RUN cargo build --release --bin proxy

FROM gcr.io/distroless/cc-debian12 AS runtime

COPY --from=builder /app/target/release/proxy /usr/local/bin/proxy

# Make the service port available outside the container
EXPOSE 8080

# Start the application
CMD ["/usr/local/bin/proxy"]
