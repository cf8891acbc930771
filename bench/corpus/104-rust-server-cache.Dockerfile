# syntax=docker/dockerfile:1
FROM rust:1.75-slim-bookworm AS build
WORKDIR /app
RUN --mount=type=bind,source=src,target=src \
    --mount=type=bind,source=Cargo.toml,target=Cargo.toml \
    --mount=type=bind,source=Cargo.lock,target=Cargo.lock \
    --mount=type=cache,target=/app/target/ \
    --mount=type=cache,target=/usr/local/cargo/git/db \
    --mount=type=cache,target=/usr/local/cargo/registry/ \
    cargo build --locked --release \
    && cp ./target/release/server /bin/server

FROM gcr.io/distroless/cc-debian12
COPY --from=build /bin/server /usr/local/bin/server
EXPOSE 3000
CMD ["/usr/local/bin/server"]
