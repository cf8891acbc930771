#
# Generated for the drydock benchmark in the style of the node official image.
# Variant: bookworm. Do not edit by hand; regenerate with bench/corpus/long/generate.mjs.
#

FROM debian:bookworm-slim

RUN groupadd --gid 1000 node \
  && useradd --uid 1000 --gid node --shell /bin/bash --create-home node

ENV NODE_VERSION 18.0.17

RUN ARCH= && dpkgArch="$(dpkg --print-architecture)" \
      && case "${dpkgArch##*-}" in \
        amd64) ARCH='x64' OPENSSL_ARCH='linux-x64';; \
        arm64) ARCH='arm64' OPENSSL_ARCH='linux-arm64';; \
        armhf) ARCH='armv7l' OPENSSL_ARCH='linux-armv7l';; \
        *) echo "unsupported architecture"; exit 1 ;; \
      esac && \
    set -ex && \
    apt-get update && apt-get install -y ca-certificates curl wget gnupg dirmngr xz-utils libatomic1 --no-install-recommends && \
    rm -rf /var/lib/apt/lists/* && \
    export GNUPGHOME="$(mktemp -d)" && \
    for key in \
      06A76D09A1C33C1268EFB1A9EA516594B92BB725 \
      E97FF85BA956C8494AD02FF0206AA818D8BEA5E4 \
      ED2A6B3C5B4276CE16A422E2A4322BAD8C38A6E8 \
      896FE27473ABA30F39A21959743898DA508B00F4 \
      FFE7EB7C31002D4F1F35F4525AF67350B220EACF \
      06EC937F0173C5D0D5C58A2C999C7D15C15FF428 \
      4722084814BBE9E74716106DEDDEDDF9C58C5063 \
      23C10CBE28F21BA31B23236CFD98DDF9AFB3FC5F \
      089D52F206C9C4A497BFA2A073D94B4122372119 \
      7CD75A4EF6D52897E1FF0A5A49BEBCD4D019C864 \
      D74422942C7C51997EAE001B2F0AA8335BF83AFF \
      9E5B677341156EEA82838F3311B19FB57F4A2BE7 \
    ; do \
      gpg --batch --keyserver hkps://keys.openpgp.org --recv-keys "$key" || \
      gpg --batch --keyserver keyserver.ubuntu.com --recv-keys "$key" ; \
    done && \
    curl -fsSLO --compressed "https://nodejs.org/dist/v$NODE_VERSION/node-v$NODE_VERSION-linux-$ARCH.tar.xz" && \
    curl -fsSLO --compressed "https://nodejs.org/dist/v$NODE_VERSION/SHASUMS256.txt.asc" && \
    gpg --batch --decrypt --output SHASUMS256.txt SHASUMS256.txt.asc && \
    gpgconf --kill all && \
    rm -rf "$GNUPGHOME" && \
    grep " node-v$NODE_VERSION-linux-$ARCH.tar.xz\$" SHASUMS256.txt | sha256sum -c - && \
    tar -xJf "node-v$NODE_VERSION-linux-$ARCH.tar.xz" -C /usr/local --strip-components=1 --no-same-owner && \
    rm "node-v$NODE_VERSION-linux-$ARCH.tar.xz" SHASUMS256.txt.asc SHASUMS256.txt && \
    find /usr/local/include/node/openssl/archs -mindepth 1 -maxdepth 1 ! -name "$OPENSSL_ARCH" -exec rm -rf {} \; && \
    apt-mark auto '.*' > /dev/null && \
    find /usr/local -type f -executable -exec ldd '{}' ';' \
      | awk '/=>/ { so = $(NF-1); if (index(so, "/usr/local/") == 1) { next }; gsub("^/(usr/)?", "", so); printf "*%s\n", so }' \
      | sort -u \
      | xargs -r dpkg-query --search \
      | cut -d: -f1 \
      | sort -u \
      | xargs -r apt-mark manual && \
    apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportance=false && \
    ln -s /usr/local/bin/node /usr/local/bin/nodejs && \
    node --version && \
    npm --version

ENV YARN_VERSION 1.22.22

RUN savedAptMark="$(apt-mark showmanual)" && \
  apt-get update && apt-get install -y ca-certificates curl wget gnupg dirmngr --no-install-recommends && \
  rm -rf /var/lib/apt/lists/* && \
  export GNUPGHOME="$(mktemp -d)" && \
  for key in \
    EFF626CBC99AE5DEDDFA618AC3D35017C0D64555 \
    D8F3C60572D6FC3424A610738B157A08725ADDFE \
    A62595B7BD6D73D3B12EF0AC8890F5E1AD62EB89 \
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
  apt-mark auto '.*' > /dev/null && \
  { [ -z "$savedAptMark" ] || apt-mark manual $savedAptMark > /dev/null; } && \
  apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportance=false && \
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

FROM node:18-bookworm-slim AS deps

WORKDIR /app

COPY package.json package-lock.json ./

RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --ignore-scripts

FROM node:18-bookworm-slim AS build

WORKDIR /app

COPY package.json package-lock.json ./

RUN --mount=type=cache,target=/root/.npm npm ci

COPY . .

RUN npm run build && npm test -- --ci

FROM node:18-bookworm-slim

ENV NODE_ENV=production

WORKDIR /app

COPY --from=deps --chown=node:node /app/node_modules ./node_modules

COPY --from=build --chown=node:node /app/dist ./dist

COPY --chown=node:node package.json ./

USER node

EXPOSE 3000

CMD ["node", "dist/server.js"]
