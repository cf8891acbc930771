# syntax=docker/dockerfile:1
# === build ===
FROM rust:1.77-slim-bookworm AS build

WORKDIR /app
RUN --mount=type=bind,source=src,target=src \
    --mount=type=bind,source=Cargo.toml,target=Cargo.toml \
    --mount=type=bind,source=Cargo.lock,target=Cargo.lock \
    --mount=type=cache,target=/app/target/ \
    --mount=type=cache,target=/usr/local/cargo/git/db \
    --mount=type=cache,target=/usr/local/cargo/registry/ \
    cargo build --locked --release \
    && cp ./target/release/api /bin/api

# Final image
FROM debian:bookworm-slim AS runtime

RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates libssl3 tzdata \
    && apt-get clean && rm -rf /var/lib/apt/lists/*

ARG UID=10001

RUN adduser --disabled-password --gecos "" --home "/nonexistent" --shell "/sbin/nologin" --no-create-home --uid "${UID}" appuser

# Run as non-root user
USER appuser

COPY --from=build /bin/api /usr/local/bin/api

# Expose the port the app runs on
EXPOSE 8080
# Default command
CMD ["/usr/local/bin/api"]
