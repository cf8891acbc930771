# === build ===
FROM rust:1.78 AS builder

RUN apt-get update \
    && apt-get install --no-install-recommends -y libssl-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*

# Set the working directory
WORKDIR /usr/src/app

COPY . .

# Build the application
RUN cargo build --release

FROM gcr.io/distroless/cc-debian12

COPY --from=builder /usr/src/app/target/release/api /usr/local/bin/api

# Document the listening port
EXPOSE 8000

CMD ["/usr/local/bin/api"]
