#
# Generated for the drydock benchmark in the style of the node official image.
# Variant: alpine3.20. Do not edit by hand; regenerate with bench/corpus/long/generate.mjs.
#

FROM alpine:3.20

RUN addgroup -g 1000 node \
    && adduser -u 1000 -G node -s /bin/sh -D node

ENV NODE_VERSION 20.7.10

RUN apk add --no-cache libstdc++ && \
    apk add --no-cache --virtual .build-deps curl && \
    ARCH= OPENSSL_ARCH='linux*' && alpineArch="$(apk --print-arch)" \
      && case "${alpineArch##*-}" in \
        x86_64) ARCH='x64' CHECKSUM="a1a9a55a5f29d7c00d96b8d410e393158b1f364d61b9bd6902de9cfe3be1f194" OPENSSL_ARCH=linux-x64 ;; \
        aarch64) ARCH='arm64' CHECKSUM="7d903d4912f87b5e045ae83ad9bed649e8ab86741e79005b7f8ac17f4b3c9636" OPENSSL_ARCH=linux-arm64 ;; \
        armv7) ARCH='armv7l' CHECKSUM="7de46128fd569e68f0edb354766f994d96813698bb329527d17c9f55f0fafc78" OPENSSL_ARCH=linux-armv7l ;; \
        x86) ARCH='i686' CHECKSUM="36797ede5454614e8b4850e8f219aaeda9e1a85a88d0136fae5e11c152ee3b3d" OPENSSL_ARCH=linux-i686 ;; \
        ppc64le) ARCH='ppc64le' CHECKSUM="ec1eb049b3da3bfb55709e4bf0a3b996fb55a1e68dee1e801b24a52a6f042f20" OPENSSL_ARCH=linux-ppc64le ;; \
        s390x) ARCH='s390x' CHECKSUM="cd122389ddd57ad14c4f54d15ad7f4688a34d63b6217b4f084bc645ff2e3f224" OPENSSL_ARCH=linux-s390x ;; \
        *) ;; \
      esac && \
    if [ -n "${CHECKSUM}" ]; then \
        set -eu; \
        curl -fsSLO --compressed "https://unofficial-builds.nodejs.org/download/release/v$NODE_VERSION/node-v$NODE_VERSION-linux-$ARCH-musl.tar.xz"; \
        echo "$CHECKSUM  node-v$NODE_VERSION-linux-$ARCH-musl.tar.xz" | sha256sum -c - \
          && tar -xJf "node-v$NODE_VERSION-linux-$ARCH-musl.tar.xz" -C /usr/local --strip-components=1 --no-same-owner \
          && ln -s /usr/local/bin/node /usr/local/bin/nodejs; \
      else \
        echo "Building from source" \
        && apk add --no-cache --virtual .build-deps-full binutils-gold g++ gcc gnupg libgcc linux-headers make python3 py-setuptools \
        && export GNUPGHOME="$(mktemp -d)" \
        && for key in \
          ACFACC7B86467EED273106EE67145CEBADA4C873 \
          C378E169E93A4223CD9F109919ED4FDEDE8073D7 \
          45867F928669BB2F9E9FEA07B71664F676EA2E12 \
          AB1036318C25A32788A08C2CAD340B64AA6E9921 \
          E5DDCAFEE7733057DD2797E021D0B679E7E0A6D6 \
          A4C21E85F77431D8BE8FCE477A9C5168F494F1A3 \
          B4BB3C764DDD00EBE9887813626911E6FCB6705F \
          A0B2A552195C6C46D9228ABFC648EEF7DB7BBB38 \
          8FED4C2CC744F41DAFD8E0C638DB9044582223EC \
        ; do \
          gpg --batch --keyserver hkps://keys.openpgp.org --recv-keys "$key" || \
          gpg --batch --keyserver keyserver.ubuntu.com --recv-keys "$key" ; \
        done \
        && curl -fsSLO --compressed "https://nodejs.org/dist/v$NODE_VERSION/node-v$NODE_VERSION.tar.xz" \
        && curl -fsSLO --compressed "https://nodejs.org/dist/v$NODE_VERSION/SHASUMS256.txt.asc" \
        && gpg --batch --decrypt --output SHASUMS256.txt SHASUMS256.txt.asc \
        && gpgconf --kill all \
        && rm -rf "$GNUPGHOME" \
        && grep " node-v$NODE_VERSION.tar.xz\$" SHASUMS256.txt | sha256sum -c - \
        && tar -xf "node-v$NODE_VERSION.tar.xz" \
        && cd "node-v$NODE_VERSION" \
        && ./configure \
        && make -j$(getconf _NPROCESSORS_ONLN) V= \
        && make install \
        && apk del .build-deps-full \
        && cd .. \
        && rm -Rf "node-v$NODE_VERSION" \
        && rm "node-v$NODE_VERSION.tar.xz" SHASUMS256.txt.asc SHASUMS256.txt; \
      fi && \
    rm -f "node-v$NODE_VERSION-linux-$ARCH-musl.tar.xz" && \
    find /usr/local/include/node/openssl/archs -mindepth 1 -maxdepth 1 ! -name "$OPENSSL_ARCH" -exec rm -rf {} \; && \
    apk del .build-deps && \
    node --version && \
    npm --version

ENV YARN_VERSION 1.22.22

RUN apk add --no-cache --virtual .build-deps-yarn curl gnupg tar && \
  export GNUPGHOME="$(mktemp -d)" && \
  for key in \
    ED2D50D03474CD68FE51B19B711BC7044B2C764F \
    5267EAB8CB41D6B8B4E61C4CB8F798150C821CAC \
  ; do \
    gpg --batch --keyserver hkps://keys.openpgp.org --recv-keys "$key" || \
    gpg --batch --keyserver keyserver.ubuntu.com --recv-keys "$key" ; \
  done && \
  curl -fsSLO --compressed "https://yarnpkg.com/downloads/$YARN_VERSION/yarn-v$YARN_VERSION.tar.gz" && \
  curl -fsSLO --compressed "https://yarnpkg.com/downloads/$YARN_VERSION/yarn-v$YARN_VERSION.tar.gz.asc" && \
  gpg --batch --verify yarn-v$YARN_VERSION.tar.gz.asc yarn-v$YARN_VERSION.tar.gz && \
  gpgconf --kill all && \
  rm -rf "$GNUPGHOME" && \
  mkdir -p /opt && \
  tar -xzf yarn-v$YARN_VERSION.tar.gz -C /opt/ && \
  ln -s /opt/yarn-v$YARN_VERSION/bin/yarn /usr/local/bin/yarn && \
  ln -s /opt/yarn-v$YARN_VERSION/bin/yarnpkg /usr/local/bin/yarnpkg && \
  rm yarn-v$YARN_VERSION.tar.gz.asc yarn-v$YARN_VERSION.tar.gz && \
  apk del .build-deps-yarn && \
  yarn --version && \
  rm -rf /tmp/*

COPY --chmod=755 <<'EOF' /usr/local/bin/docker-entrypoint.sh
#!/bin/sh
set -e
# Run command with node if the first argument contains a "-" or is not a system command.
if [ "${1#-}" != "$1" ] || [ -z "$(command -v "${1}")" ] || { [ -f "${1}" ] && ! [ -x "${1}" ]; }; then
  set -- node "$@"
fi
exec "$@"
EOF

ENTRYPOINT ["docker-entrypoint.sh"]

CMD [ "node" ]
