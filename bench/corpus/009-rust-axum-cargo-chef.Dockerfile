FROM lukemathwalker/cargo-chef:0.1.66-rust-1.77-slim-bookworm AS chef
WORKDIR /app

FROM chef AS planner
COPY . .
RUN cargo chef prepare --recipe-path recipe.json

FROM chef AS builder
RUN apt-get update && apt-get install -y --no-install-recommends pkg-config libssl-dev protobuf-compiler \
    && rm -rf /var/lib/apt/lists/*
COPY --from=planner /app/recipe.json recipe.json
# Build dependencies - this is the caching Docker layer!
RUN cargo chef cook --release --recipe-path recipe.json
COPY . .
ENV SQLX_OFFLINE=true
RUN cargo build --release --locked --bin shortener

FROM gcr.io/distroless/cc-debian12:nonroot AS runtime
WORKDIR /app
COPY --from=builder /app/target/release/shortener /usr/local/bin/shortener
COPY --from=builder /app/migrations ./migrations
ENV RUST_LOG=info,tower_http=debug
EXPOSE 3000
ENTRYPOINT ["/usr/local/bin/shortener"]
