FROM haskell:9.6-slim-buster AS build

RUN apt-get update && apt-get install -y --no-install-recommends libpq-dev zlib1g-dev \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /opt/build
# Cache the dependency build: only the package description and resolver first
COPY stack.yaml stack.yaml.lock package.yaml /opt/build/
RUN stack build --system-ghc --dependencies-only

COPY . /opt/build
RUN stack build --system-ghc --copy-bins --local-bin-path /opt/build/bin

FROM debian:buster-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates libgmp10 libpq5 netbase \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 1000 api

COPY --from=build /opt/build/bin/catalog-api /usr/local/bin/catalog-api
USER api
EXPOSE 8080
CMD ["catalog-api", "+RTS", "-N", "-RTS"]
