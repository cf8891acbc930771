#
# Generated for the drydock benchmark in the style of the node official image.
# Variant: bookworm. Do not edit by hand; regenerate with bench/corpus/long/generate.mjs.
#

FROM debian:bookworm-slim

RUN groupadd --gid 1000 node \
  && useradd --uid 1000 --gid node --shell /bin/bash --create-home node

ENV NODE_VERSION 22.2.17

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
      6E45F005C95FE10B99C989F88D35F5E3FBD1568C \
      632672B1C5B26A2CDFD8CA12BC656DCA47BC3C6C \
      03722C0F31B5A1EBA0B3787B743C0222229B0B9C \
      B5C092C7F3C86EFC12CFABAAF35207E39A092410 \
      75A555EDBD8002FCE290990654FA53357A0E23FF \
      AB722C4F8BD23798FE13601FAFED218B99FCB24C \
      3CADA587DD1C2A2909B759F0511D390C93E194D3 \
      61665A46F514942CD916C9C4F377A326EA44CF5E \
      CBD6D0CBA674BA10368DFE5DCD8DDB156334FB3F \
      AA4661D3672112EA1AA6DE50A710882BFA40E59F \
      D05F050BF07DD18E0DD7727CA51BD0D66DC67B1F \
      7277A0B3C9145F0DB29BA9B25F715EF85A098165 \
      2A2D47CEAE09C53DFBD2141ACECB0B26304098B4 \
      2473984F08770A4993BEB87D0EA2D96351582ED0 \
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
    36FC1FCD074C53FBEC4C5A1A40A5FE1847FF7E49 \
    2614EBA6BFD8FF933CAC06FE33CE5E485A138B7E \
    2D97779B00C023600C1D0F5A08205E07407414AC \
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
