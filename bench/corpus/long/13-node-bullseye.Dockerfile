#
# Generated for the drydock benchmark in the style of the node official image.
# Variant: bullseye. Do not edit by hand; regenerate with bench/corpus/long/generate.mjs.
#

FROM debian:bullseye-slim

RUN groupadd --gid 1000 node \
  && useradd --uid 1000 --gid node --shell /bin/bash --create-home node

ENV NODE_VERSION 23.6.25

RUN ARCH= && dpkgArch="$(dpkg --print-architecture)" \
      && case "${dpkgArch##*-}" in \
        amd64) ARCH='x64' OPENSSL_ARCH='linux-x64';; \
        arm64) ARCH='arm64' OPENSSL_ARCH='linux-arm64';; \
        armhf) ARCH='armv7l' OPENSSL_ARCH='linux-armv7l';; \
        i386) ARCH='i686' OPENSSL_ARCH='linux-i686';; \
        *) echo "unsupported architecture"; exit 1 ;; \
      esac && \
    set -ex && \
    apt-get update && apt-get install -y ca-certificates curl wget gnupg dirmngr xz-utils libatomic1 --no-install-recommends && \
    rm -rf /var/lib/apt/lists/* && \
    export GNUPGHOME="$(mktemp -d)" && \
    for key in \
      6457C649C689B6D23A3C840A10ABA64729F2ACB1 \
      247DC52FAA34B429C3991291AF6F9A6DB9E0774B \
      F89FEDA8B9D1D6639509FF6B69CFA4175455DCB4 \
      D5906C644C0F45AD07F112C1565D3815E1AB3529 \
      F978EFD4AE68BBC3C2ACEEF75E107AC0A6D53CE9 \
      97A39A938B952919C0C354D6BD0A67EC7CD867E7 \
      CA3EB86CEEB64433F4BBD94F2A1F11FD8F811D1B \
      3D6C763EB753A4A43BA7AE8C0B69622DBF6A0AA3 \
      E446C7E68BB5D953F84CB8E1DE8086CAAD50088D \
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

ENV YARN_VERSION 1.22.17

RUN savedAptMark="$(apt-mark showmanual)" && \
  apt-get update && apt-get install -y ca-certificates curl wget gnupg dirmngr --no-install-recommends && \
  rm -rf /var/lib/apt/lists/* && \
  export GNUPGHOME="$(mktemp -d)" && \
  for key in \
    1346914F8C64E25563F2EC6AAED1BF5AD5EF419F \
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

ENTRYPOINT ["docker-entrypoint.sh"]

CMD [ "node" ]
