# ---- Build ----
from rust:1.78 as builder

# Install system dependencies
run apt-get update \
        && apt-get upgrade -y \
        && apt-get install -y --no-install-recommends pkg-config libssl-dev protobuf-compiler \
        && rm -rf /var/lib/apt/lists/*

workdir /usr/src/app

# Copy the requirements file into the container
copy Cargo.toml Cargo.lock ./
# Cache dependencies with a dummy main
run mkdir src \
        && echo "fn main() {}" > src/main.rs \
        && cargo build --release \
        && rm -rf src

# Copy the application source
copy src ./src

run touch src/main.rs && cargo build --release

from ubuntu:22.04 as runtime

# Install OS packages
run apt-get update -qq \
        # tzdata and ca-certificates are needed at runtime
        && apt-get -qq install -y libssl3 \
        && rm -rf /var/lib/apt/lists/*
arg UID=10001

run adduser \
            --disabled-password \
            --gecos "" \
            --home "/nonexistent" \
            --shell "/sbin/nologin" \
            --no-create-home \
            --uid "${UID}" \
            appuser
user appuser
copy --from=builder /usr/src/app/target/release/proxy /usr/local/bin/proxy

expose 8000
entrypoint ["/usr/local/bin/proxy"]
