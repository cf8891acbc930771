FROM alpine:3.19

RUN addgroup -g 1000 node \
    && adduser -u 1000 -G node -s /bin/sh -D node

ENV NODE_VERSION 22.7.13

RUN apk add --no-cache libstdc++ && \
    apk add --no-cache --virtual .build-deps curl && \
    ARCH= OPENSSL_ARCH='linux*' && alpineArch="$(apk --print-arch)" \
      && case "${alpineArch##*-}" in \
        x86_64) ARCH='x64' CHECKSUM="d7fe83daa56bd629b3c2e947fa213150e08caf472cf7a4bd04fd501a1206731d" OPENSSL_ARCH=linux-x64 ;; \
        aarch64) ARCH='arm64' CHECKSUM="a19e4fd3b34f3732c9b92680b62fdfd886dd1b9a26632c890a0d367ef3bffac4" OPENSSL_ARCH=linux-arm64 ;; \
        armv7) ARCH='armv7l' CHECKSUM="bab407e69b5ffcd98b98ff9de8f31eccfa35276d190dd5343374645ef3bf5356" OPENSSL_ARCH=linux-armv7l ;; \
        x86) ARCH='i686' CHECKSUM="6f90606e740196f0e695fda1c852ae62b9214fb351cce57b807b0d4d3348e832" OPENSSL_ARCH=linux-i686 ;; \
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
          480B7C1D557D196B82542D09043ADA2539538B60 \
          7F46FB64262E39E430A843A0B5455E9B80042BFA \
          801B53DDFEECB5BA162305FFB8235DE73D532163 \
          38777A6DE59E87FBC6AF2F6507CF30C58E79F062 \
          CA5F537A755E7743760E4C536C2B1057A5805BD9 \
          D51549A73398DB45ADC0298A5068BDF981BEEA99 \
          FD82B8C0E8EC0ABA88AA17CF58F9B118616D6A78 \
          1DA3991D4C9CD33545EE9CA56C7AD50289E9B8E1 \
          AC89CDC9BAEF62B0E24A3F21BFF33F2A028EBB5C \
          555D821923B24FC39CC262ADE23E040CEBEE9643 \
          4ECFB12845D71487027C04FC93142D68ED9262D6 \
          4FCD1704FFC116E11E648ED2DA083A0FADC7C5A2 \
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

ENV YARN_VERSION 1.22.21

RUN apk add --no-cache --virtual .build-deps-yarn curl gnupg tar && \
  export GNUPGHOME="$(mktemp -d)" && \
  for key in \
    EE4A56EAB40B0F6ED0729F139F3D522A13E2C485 \
    6F641A19E4117571C597DE70604AF9F47D002684 \
    E02BBEF4BB071E865DF4583097E595E46CF1AA36 \
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

FROM node:22-bookworm-slim AS deps

WORKDIR /app

COPY package.json package-lock.json ./

RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --ignore-scripts

FROM node:22-bookworm-slim AS build

WORKDIR /app

COPY package.json package-lock.json ./

RUN --mount=type=cache,target=/root/.npm npm ci

COPY . .

RUN npm run build && npm test -- --ci

FROM node:22-bookworm-slim

ENV NODE_ENV=production

WORKDIR /app

COPY --from=deps --chown=node:node /app/node_modules ./node_modules

COPY --from=build --chown=node:node /app/dist ./dist

COPY --chown=node:node package.json ./

USER node

EXPOSE 3000

CMD ["node", "dist/server.js"]
