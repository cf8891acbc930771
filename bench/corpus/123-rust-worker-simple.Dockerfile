FROM rust:1-slim AS builder
RUN apt-get update && \
    apt-get install -y --no-install-recommends libssl-dev pkg-config && \
    rm -rf /var/lib/apt/lists/*
WORKDIR /usr/src/app
COPY . .
RUN cargo build --release

FROM debian:bookworm-slim as runtime
RUN apt update && \
    apt install -y libssl3
COPY --from=builder /usr/src/app/target/release/worker /usr/local/bin/worker
ENTRYPOINT ["/usr/local/bin/worker"]
