#!/usr/bin/env node
// Generates the "long" group of the linter benchmark: bench/corpus/long/NN-<image>-<variant>.Dockerfile.
//
// Written here in the style of the official images (postgres, python, node, php, nginx, redis, mysql,
// golang, openjdk, ruby, rust, httpd, mongo, elasticsearch, …): 100–300 lines, long RUN scripts with dozens
// of `&&`/`;`, `case` on the architecture, loops over gpg keys, heredocs, multi-stage builds. Nothing is
// copied; versions, checksums and key fingerprints are made up by a seeded generator, so the files are
// deterministic (`--check` verifies the committed ones).
//
// Usage: node bench/corpus/long/generate.mjs [--check]
import { readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hashString, mulberry32 } from '../../../scripts/seeded-random.mjs';

const OUT = dirname(fileURLToPath(import.meta.url));
const SEED = 'drydock-bench-long/v1';

const rng = (seed) => {
  const next = mulberry32(hashString(seed));
  const int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = (arr) => arr[Math.floor(next() * arr.length)];
  const chance = (p) => next() < p;
  const hex = (n) => Array.from({ length: n }, () => '0123456789abcdef'[int(0, 15)]).join('');
  const shuffle = (arr) => {
    const out = [...arr];
    for (let i = out.length - 1; i > 0; i--) {
      const j = int(0, i);
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  };
  const some = (arr, lo, hi) => shuffle(arr).slice(0, int(lo, Math.min(hi, arr.length)));
  return { next, int, pick, chance, hex, shuffle, some };
};

// A RUN whose body is a list of shell lines joined the way the official images write them.
// style 'semi': `set -eux; \` lines ending in `; \`; style 'and': `&& \` chains.
function run(r, lines, { style = r.pick(['semi', 'semi', 'and']), ind = '\t' } = {}) {
  const body = lines.filter((l) => l !== null && l !== undefined && l !== false);
  if (style === 'semi') {
    const out = ['RUN set -eux; \\'];
    body.forEach((l, i) => {
      const last = i === body.length - 1;
      if (l.startsWith('#')) out.push(l);
      else if (l.endsWith('\\') || l.endsWith('|| \\') || l.endsWith('do \\') || l.endsWith('then \\'))
        out.push(`${ind}${l}`);
      else if (last && l.trim() === '') out.push(`${ind};`);
      else out.push(`${ind}${l}${last ? '' : '; \\'}`);
    });
    return out.join('\n');
  }
  const out = [];
  body.forEach((l, i) => {
    const last = i === body.length - 1;
    if (l.startsWith('#')) {
      out.push(l);
      return;
    }
    const head = out.length === 0 ? 'RUN ' : ind;
    const raw = last && l.trim() === '' ? `${l};` : l.replace(/([^\\]);$/, '$1');
    if (raw.endsWith('\\')) out.push(`${head}${raw}`);
    else out.push(`${head}${raw}${last ? '' : ' \\'}`);
    if (!last && !raw.endsWith('\\') && !/(then|do|else|in)$/.test(raw) && !/;;$/.test(raw)) {
      out[out.length - 1] = out[out.length - 1].replace(/ \\$/, ' && \\');
    }
  });
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Fragments shared by most images

const BASES = {
  bookworm: { from: 'debian:bookworm-slim', pkg: 'apt', dist: 'bookworm' },
  bullseye: { from: 'debian:bullseye-slim', pkg: 'apt', dist: 'bullseye' },
  jammy: { from: 'ubuntu:22.04', pkg: 'apt', dist: 'jammy' },
  noble: { from: 'ubuntu:24.04', pkg: 'apt', dist: 'noble' },
  alpine319: { from: 'alpine:3.19', pkg: 'apk', dist: 'alpine3.19' },
  alpine320: { from: 'alpine:3.20', pkg: 'apk', dist: 'alpine3.20' },
};

const fingerprint = (r) => r.hex(40).toUpperCase();
const version = (r, major) => `${major}.${r.int(0, 12)}.${r.int(0, 30)}`;

function header(r, name, base) {
  const lines = [];
  if (r.chance(0.7)) {
    lines.push('#', `# Generated for the drydock benchmark in the style of the ${name} official image.`);
    lines.push(`# Variant: ${base.dist}. Do not edit by hand; regenerate with bench/corpus/long/generate.mjs.`, '#');
    lines.push('');
  }
  lines.push(`FROM ${base.from}`, '');
  return lines.join('\n');
}

function userBlock(r, base, user, uid) {
  if (base.pkg === 'apk') {
    return [
      `# add our user and group first to make sure their IDs get assigned consistently`,
      run(
        r,
        [
          `addgroup -g ${uid} -S ${user}`,
          `adduser -u ${uid} -S -D -G ${user} -H -h /var/lib/${user} -s /sbin/nologin ${user}`,
          `mkdir -p /var/lib/${user}`,
          `chown -R ${user}:${user} /var/lib/${user}`,
        ],
        { style: 'semi' },
      ),
    ].join('\n');
  }
  return [
    `# explicitly set user/group IDs`,
    run(
      r,
      [
        `groupadd -r ${user} --gid=${uid}`,
        `useradd -r -g ${user} --uid=${uid} --home-dir=/var/lib/${user} --shell=/bin/bash ${user}`,
        `mkdir -p /var/lib/${user}`,
        `chown -R ${user}:${user} /var/lib/${user}`,
      ],
      { style: 'semi' },
    ),
  ].join('\n');
}

function gosuBlock(r, base) {
  const v = `1.${r.int(12, 17)}`;
  const key = fingerprint(r);
  if (base.pkg === 'apk') {
    return [
      `ENV GOSU_VERSION ${v}`,
      run(r, [
        `apk add --no-cache --virtual .gosu-deps ca-certificates dpkg gnupg`,
        `dpkgArch="$(dpkg --print-architecture | awk -F- '{ print $NF }')"`,
        `wget -O /usr/local/bin/gosu "https://github.com/tianon/gosu/releases/download/$GOSU_VERSION/gosu-$dpkgArch"`,
        `wget -O /usr/local/bin/gosu.asc "https://github.com/tianon/gosu/releases/download/$GOSU_VERSION/gosu-$dpkgArch.asc"`,
        `export GNUPGHOME="$(mktemp -d)"`,
        `gpg --batch --keyserver hkps://keys.openpgp.org --recv-keys ${key}`,
        `gpg --batch --verify /usr/local/bin/gosu.asc /usr/local/bin/gosu`,
        `gpgconf --kill all`,
        `rm -rf "$GNUPGHOME" /usr/local/bin/gosu.asc`,
        `apk del --no-network .gosu-deps`,
        `chmod +x /usr/local/bin/gosu`,
        `gosu --version`,
        `gosu nobody true`,
      ]),
    ].join('\n');
  }
  return [
    `# grab gosu for easy step-down from root`,
    `ENV GOSU_VERSION ${v}`,
    run(r, [
      `savedAptMark="$(apt-mark showmanual)"`,
      `apt-get update`,
      `apt-get install -y --no-install-recommends ca-certificates gnupg wget`,
      `rm -rf /var/lib/apt/lists/*`,
      `dpkgArch="$(dpkg --print-architecture | awk -F- '{ print $NF }')"`,
      `wget -O /usr/local/bin/gosu "https://github.com/tianon/gosu/releases/download/$GOSU_VERSION/gosu-$dpkgArch"`,
      `wget -O /usr/local/bin/gosu.asc "https://github.com/tianon/gosu/releases/download/$GOSU_VERSION/gosu-$dpkgArch.asc"`,
      `export GNUPGHOME="$(mktemp -d)"`,
      `gpg --batch --keyserver hkps://keys.openpgp.org --recv-keys ${key}`,
      `gpg --batch --verify /usr/local/bin/gosu.asc /usr/local/bin/gosu`,
      `gpgconf --kill all`,
      `rm -rf "$GNUPGHOME" /usr/local/bin/gosu.asc`,
      `apt-mark auto '.*' > /dev/null`,
      `[ -z "$savedAptMark" ] || apt-mark manual $savedAptMark > /dev/null`,
      `apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportance=false`,
      `chmod +x /usr/local/bin/gosu`,
      `gosu --version`,
      `gosu nobody true`,
    ]),
  ].join('\n');
}

function localeBlock(r, base) {
  if (base.pkg === 'apk') return null;
  return [
    `# make the "en_US.UTF-8" locale so the service will be utf-8 enabled by default`,
    run(r, [
      `if [ -f /etc/dpkg/dpkg.cfg.d/docker ]; then \\`,
      `\tgrep -q '/usr/share/locale' /etc/dpkg/dpkg.cfg.d/docker; \\`,
      `\tsed -ri '/\\/usr\\/share\\/locale/d' /etc/dpkg/dpkg.cfg.d/docker; \\`,
      `\t! grep -q '/usr/share/locale' /etc/dpkg/dpkg.cfg.d/docker; \\`,
      `fi`,
      `apt-get update; apt-get install -y --no-install-recommends locales; rm -rf /var/lib/apt/lists/*`,
      `echo 'en_US.UTF-8 UTF-8' >> /etc/locale.gen`,
      `locale-gen`,
      `locale -a | grep 'en_US.utf8'`,
    ]),
    `ENV LANG en_US.utf8`,
  ].join('\n');
}

function gpgKeysEnv(r, name, n) {
  const keys = Array.from({ length: n }, () => fingerprint(r));
  return { keys, env: `ENV ${name} \\\n${keys.map((k) => `\t${k}`).join(' \\\n')}` };
}

// A loop over gpg keys with a keyserver fallback, as the node and python images do.
function gpgLoop(r, varName) {
  const servers = r.some(['hkps://keys.openpgp.org', 'hkps://keyserver.ubuntu.com', 'hkps://pgp.mit.edu'], 1, 2);
  return [
    `export GNUPGHOME="$(mktemp -d)"`,
    `for key in $${varName}; do \\`,
    servers.length === 1
      ? `\tgpg --batch --keyserver ${servers[0]} --recv-keys "$key"; \\`
      : `\tgpg --batch --keyserver ${servers[0]} --recv-keys "$key" || \\\n\t\tgpg --batch --keyserver ${servers[1]} --recv-keys "$key"; \\`,
    `done`,
  ];
}

function archCase(r, base, arms, variable = 'ARCH') {
  const probe = base.pkg === 'apk' ? `apkArch="$(apk --print-arch)"` : `dpkgArch="$(dpkg --print-architecture)"`;
  const subject = base.pkg === 'apk' ? '"$apkArch"' : '"${dpkgArch##*-}"';
  const lines = [probe, `case ${subject} in \\`];
  for (const [pattern, value, sha] of arms) {
    lines.push(
      `\t${pattern}) ${variable}='${value}'${sha ? `; SHA256='${sha}'` : ''} ;; \\`,
    );
  }
  lines.push(`\t*) echo >&2 "error: unsupported architecture: ${subject.replace(/"/g, '')}"; exit 1 ;; \\`, 'esac');
  return lines;
}

const DEB_ARCHES = [
  ['amd64', 'x86_64'],
  ['arm64', 'aarch64'],
  ['armhf', 'armv7l'],
  ['i386', 'i686'],
  ['ppc64el', 'ppc64le'],
  ['s390x', 's390x'],
];
const APK_ARCHES = [
  ['x86_64', 'x86_64'],
  ['aarch64', 'aarch64'],
  ['armv7', 'armv7l'],
  ['x86', 'i686'],
  ['ppc64le', 'ppc64le'],
  ['s390x', 's390x'],
];

// The tail every from-source build ends with: keep only the libraries the binaries link against.
function keepRuntimeDeps(base, prefix = '/usr/local') {
  if (base.pkg === 'apk') {
    return [
      `runDeps="$( \\`,
      `\tscanelf --needed --nobanner --format '%n#p' --recursive ${prefix} \\`,
      `\t\t| tr ',' '\\n' \\`,
      `\t\t| sort -u \\`,
      `\t\t| awk 'system("[ -e ${prefix}/lib/" $1 " ]") == 0 { next } { print "so:" $1 }' \\`,
      `)"`,
      `apk add --no-network --virtual .run-deps $runDeps`,
      `apk del --no-network .build-deps`,
    ];
  }
  return [
    `apt-mark auto '.*' > /dev/null`,
    `[ -z "$savedAptMark" ] || apt-mark manual $savedAptMark > /dev/null`,
    `find ${prefix} -type f -executable -exec ldd '{}' ';' \\`,
    `\t| awk '/=>/ { so = $(NF-1); if (index(so, "${prefix}/") == 1) { next }; gsub("^/(usr/)?", "", so); printf "*%s\\n", so }' \\`,
    `\t| sort -u \\`,
    `\t| xargs -r dpkg-query --search \\`,
    `\t| cut -d: -f1 \\`,
    `\t| sort -u \\`,
    `\t| xargs -r apt-mark manual \\`,
    `> /dev/null`,
    `apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportance=false`,
    `rm -rf /var/lib/apt/lists/*`,
  ];
}

function buildDepsInstall(base, deb, apk) {
  if (base.pkg === 'apk') {
    return [`apk add --no-cache --virtual .build-deps \\`, ...apk.map((p) => `\t\t${p} \\`), `\t`];
  }
  return [
    `savedAptMark="$(apt-mark showmanual)"`,
    `apt-get update`,
    `apt-get install -y --no-install-recommends \\`,
    ...deb.map((p) => `\t\t${p} \\`),
    `\t`,
  ];
}

function fetchVerify(r, url, shaVar, withGpg, keyVar) {
  const lines = [
    `wget -O src.tar.gz "${url}"`,
    `echo "$${shaVar} *src.tar.gz" | sha256sum -c -`,
  ];
  if (withGpg) {
    lines.push(
      `wget -O src.tar.gz.asc "${url}.asc"`,
      ...gpgLoop(r, keyVar),
      `gpg --batch --verify src.tar.gz.asc src.tar.gz`,
      `gpgconf --kill all`,
      `rm -rf "$GNUPGHOME" src.tar.gz.asc`,
    );
  }
  return lines;
}

function entrypointHeredoc(r, name, user, first) {
  const bin = name.replace(/[^a-z]/g, '');
  return [
    `COPY --chmod=755 <<'EOF' /usr/local/bin/docker-entrypoint.sh`,
    `#!/usr/bin/env bash`,
    `set -Eeo pipefail`,
    ``,
    `# if the first argument looks like a flag, assume the user wants to run the server`,
    `if [ "\${1:0:1}" = '-' ]; then`,
    `\tset -- ${first} "$@"`,
    `fi`,
    ``,
    `# drop root privileges when started as root`,
    `if [ "$1" = '${first}' ] && [ "$(id -u)" = '0' ]; then`,
    `\tfind /var/lib/${user} \\! -user ${user} -exec chown ${user} '{}' +`,
    `\texec gosu ${user} "$BASH_SOURCE" "$@"`,
    `fi`,
    ``,
    `for f in /docker-entrypoint-init.d/*; do`,
    `\tcase "$f" in`,
    `\t\t*.sh) echo "$0: running $f"; . "$f" ;;`,
    `\t\t*) echo "$0: ignoring $f" ;;`,
    `\tesac`,
    `done`,
    ``,
    `exec "$@"`,
    `EOF`,
    `RUN mkdir /docker-entrypoint-init.d && ln -s /usr/local/bin/docker-entrypoint.sh /${bin}-entrypoint.sh`,
  ].join('\n');
}

function tail(r, { volumes = [], ports = [], cmd, user, stop, health, entry = true }) {
  const out = [];
  if (volumes.length) out.push(`VOLUME ${volumes.join(' ')}`);
  if (entry) out.push(`ENTRYPOINT ["docker-entrypoint.sh"]`);
  if (stop) out.push('', `STOPSIGNAL ${stop}`);
  if (health) out.push('', `HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \\\n\tCMD ${health}`);
  if (user && r.chance(0.5)) out.push('', `USER ${user}`);
  if (ports.length) out.push('', `EXPOSE ${ports.join(' ')}`);
  out.push(`CMD ${JSON.stringify(cmd)}`);
  return out.join('\n');
}

// A prebuilt tool fetched per architecture and checked against a pinned digest (protoc, sccache, exporters…).
const TOOLS = [
  ['grpc_health_probe', 'GRPC_HEALTH_PROBE_VERSION', 'v0.4.', 'https://github.com/grpc-ecosystem/grpc-health-probe/releases/download/${GRPC_HEALTH_PROBE_VERSION}/grpc_health_probe-linux-${toolArch}', '/usr/local/bin/grpc_health_probe'],
  ['sccache', 'SCCACHE_VERSION', 'v0.8.', 'https://github.com/mozilla/sccache/releases/download/${SCCACHE_VERSION}/sccache-${SCCACHE_VERSION}-${toolArch}-unknown-linux-musl.tar.gz', '/usr/local/bin/sccache'],
  ['mysqld_exporter', 'MYSQLD_EXPORTER_VERSION', '0.15.', 'https://github.com/prometheus/mysqld_exporter/releases/download/v${MYSQLD_EXPORTER_VERSION}/mysqld_exporter-${MYSQLD_EXPORTER_VERSION}.linux-${toolArch}.tar.gz', '/usr/local/bin/mysqld_exporter'],
  ['protoc', 'PROTOC_VERSION', '25.', 'https://github.com/protocolbuffers/protobuf/releases/download/v${PROTOC_VERSION}/protoc-${PROTOC_VERSION}-linux-${toolArch}.zip', '/usr/local/bin/protoc'],
  ['dockerize', 'DOCKERIZE_VERSION', 'v0.7.', 'https://github.com/jwilder/dockerize/releases/download/${DOCKERIZE_VERSION}/dockerize-linux-${toolArch}-${DOCKERIZE_VERSION}.tar.gz', '/usr/local/bin/dockerize'],
  ['tini', 'TINI_VERSION', 'v0.19.', 'https://github.com/krallin/tini/releases/download/${TINI_VERSION}/tini-static-${toolArch}', '/usr/local/bin/tini'],
];
function toolFetch(r, base, which) {
  const [name, vEnv, vPrefix, url, dest] = which ?? r.pick(TOOLS);
  const arches = (base.pkg === 'apk' ? APK_ARCHES : DEB_ARCHES).slice(0, r.int(2, 5));
  const archName = { x86_64: 'amd64', aarch64: 'arm64', armv7l: 'armv7', i686: '386', ppc64le: 'ppc64le', s390x: 's390x' };
  const archive = /\.(tar\.gz|zip)$/.test(url);
  return [
    `ENV ${vEnv} ${vPrefix}${r.int(0, 9)}`,
    run(r, [
      ...(base.pkg === 'apk'
        ? [`apk add --no-cache --virtual .${name.replace(/_/g, '-')}-deps curl${archive ? ' unzip' : ''}`]
        : [`savedAptMark="$(apt-mark showmanual)"`, `apt-get update`, `apt-get install -y --no-install-recommends ca-certificates curl${archive ? ' unzip' : ''}`]),
      ...archCase(r, base, arches.map(([a, b]) => [a, archName[b], r.hex(64)]), 'toolArch'),
      `curl -fsSL -o /tmp/${name}.download "${url}"`,
      `echo "$SHA256 */tmp/${name}.download" | sha256sum -c -`,
      archive
        ? url.endsWith('.zip')
          ? `unzip -q /tmp/${name}.download -d /tmp/${name} && install -m 0755 /tmp/${name}/bin/${name} ${dest}`
          : `mkdir -p /tmp/${name} && tar -xzf /tmp/${name}.download -C /tmp/${name} --strip-components=1 && install -m 0755 /tmp/${name}/${name} ${dest}`
        : `install -m 0755 /tmp/${name}.download ${dest}`,
      `rm -rf /tmp/${name} /tmp/${name}.download`,
      ...(base.pkg === 'apk'
        ? [`apk del --no-network .${name.replace(/_/g, '-')}-deps`]
        : [`apt-mark auto '.*' > /dev/null`, `[ -z "$savedAptMark" ] || apt-mark manual $savedAptMark > /dev/null`, `apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportance=false`, `rm -rf /var/lib/apt/lists/*`]),
      `${dest} --version || ${dest} -version || true`,
    ]),
  ].join('\n\n');
}

// Padding that real images carry: extra tool installs, config tweaks, cleanup passes.
function extraTools(r, base) {
  const debTools = ['ca-certificates', 'curl', 'netbase', 'procps', 'tzdata', 'xz-utils', 'less', 'iproute2', 'bzip2', 'unzip', 'openssl', 'libssl3', 'libcap2-bin', 'dumb-init', 'tini'];
  const apkTools = ['ca-certificates', 'curl', 'tzdata', 'xz', 'procps', 'bash', 'su-exec', 'tini', 'openssl', 'libcap', 'bzip2', 'unzip', 'coreutils'];
  if (base.pkg === 'apk') {
    return run(r, [`apk add --no-cache \\`, ...r.some(apkTools, 4, 9).map((p) => `\t\t${p} \\`), `\t`], {
      style: 'semi',
    });
  }
  return run(r, [
    `apt-get update`,
    `apt-get install -y --no-install-recommends \\`,
    ...r.some(debTools, 5, 11).map((p) => `\t\t${p} \\`),
    `\t`,
    `rm -rf /var/lib/apt/lists/*`,
  ]);
}

function configTweaks(r, file, settings) {
  const lines = [];
  if (r.chance(0.5)) {
    lines.push(`for setting in \\`);
    for (const [k] of settings) lines.push(`\t${k} \\`);
    lines.push(`; do \\`);
    lines.push(`\tgrep -q "^#\\?$setting" ${file} || echo "# $setting" >> ${file}; \\`);
    lines.push(`done`);
  }
  for (const [k, v] of settings) lines.push(`sed -ri "s!^#?(${k})\\s+\\S+.*!\\1 ${v}!" ${file}`);
  lines.push(`grep -E '^(${settings.map(([k]) => k).join('|')})\\s' ${file}`);
  return run(r, lines, { style: 'semi' });
}

// ---------------------------------------------------------------------------------------------
// Images

function fromSource(r, o) {
  const { name, base, user, uid, vEnv, ver, url, deb, apk, configure, post = [], keys = 0, sub } = o;
  const parts = [header(r, name, base)];
  if (user) parts.push(userBlock(r, base, user, uid));
  if (user && r.chance(0.8)) parts.push(gosuBlock(r, base));
  if (r.chance(0.6)) parts.push(localeBlock(r, base));
  parts.push(extraTools(r, base));
  if (r.chance(0.35)) parts.push(toolFetch(r, base));
  let keyVar = null;
  if (keys > 0) {
    keyVar = `${vEnv.replace(/_VERSION$/, '')}_GPG_KEYS`;
    parts.push(`# ${name} release managers\n${gpgKeysEnv(r, keyVar, keys).env}`);
  }
  parts.push(`ENV ${vEnv} ${ver}`);
  const shaVar = vEnv.replace(/_VERSION$/, '_SHA256');
  parts.push(`ENV ${shaVar} ${r.hex(64)}`);
  if (r.chance(0.5)) parts.push(`ENV ${vEnv.replace(/_VERSION$/, '_DOWNLOAD_URL')} ${url.replace(`$${vEnv}`, `${ver}`)}`);
  const body = [
    ...buildDepsInstall(base, deb, apk),
    r.chance(0.4) ? `# sanity check the toolchain before starting a long build` : null,
    r.chance(0.4) ? `gcc --version` : null,
    ...fetchVerify(r, url, shaVar, keys > 0, keyVar),
    `mkdir -p /usr/src/${sub}`,
    `tar --extract --file src.tar.gz --directory /usr/src/${sub} --strip-components=1`,
    `rm src.tar.gz`,
    `cd /usr/src/${sub}`,
    base.pkg === 'apk'
      ? `gnuArch="$(uname -m)-linux-musl"`
      : `gnuArch="$(dpkg-architecture --query DEB_BUILD_GNU_TYPE)"`,
    `./configure \\`,
    `\t\t--build="$gnuArch" \\`,
    ...configure.map((f) => `\t\t${f} \\`),
    `\t`,
    `nproc="$(nproc)"`,
    `make -j "$nproc"`,
    r.chance(0.5) ? `make -j "$nproc" test || { echo 'tests failed, see output above' >&2; exit 1; }` : null,
    `make install`,
    ...post,
    `cd /`,
    `rm -rf /usr/src/${sub}`,
    `find /usr/local -depth \\( -type d -a \\( -name test -o -name tests -o -name idle_test \\) \\) -exec rm -rf '{}' +`,
    ...keepRuntimeDeps(base),
  ];
  parts.push(run(r, body));
  if (r.chance(0.5)) parts.push(runHeredoc(r, name, user));
  return parts;
}

// A RUN heredoc (BuildKit syntax) holding a post-install script, as newer images write them.
function runHeredoc(r, name, user) {
  const dirs = r.some(['/etc', '/var/lib', '/var/log', '/var/run', '/usr/local/etc', '/var/cache'], 2, 4).map((d) => `${d}/${name}`);
  return [
    `RUN <<EOF`,
    `set -eux`,
    `for dir in ${dirs.join(' ')}; do`,
    `    mkdir -p "$dir"`,
    user ? `    chown -R ${user}:${user} "$dir"` : `    chmod 0755 "$dir"`,
    `done`,
    `if [ -f /etc/${name}/${name}.conf ]; then`,
    `    cp /etc/${name}/${name}.conf /etc/${name}/${name}.conf.dist`,
    `fi`,
    `case "$(uname -m)" in`,
    `    x86_64|aarch64) echo "64-bit build" ;;`,
    `    *) echo "32-bit build: limiting memory defaults" ;;`,
    `esac`,
    `find /usr/local/share/man /usr/share/doc -mindepth 1 -maxdepth 1 -name '${name}*' -exec rm -rf '{}' + || true`,
    `EOF`,
  ].join('\n');
}

const IMAGES = {
  postgres(r, base) {
    const major = r.pick(['14', '15', '16', '17']);
    const parts = fromSource(r, {
      name: 'postgres',
      base,
      user: 'postgres',
      uid: 999,
      vEnv: 'PG_VERSION',
      ver: `${major}.${r.int(1, 9)}`,
      url: 'https://ftp.postgresql.org/pub/source/v$PG_VERSION/postgresql-$PG_VERSION.tar.bz2',
      deb: ['bison', 'dpkg-dev', 'flex', 'gcc', 'libicu-dev', 'libldap2-dev', 'libreadline-dev', 'libssl-dev', 'libxml2-dev', 'libxslt1-dev', 'make', 'pkg-config', 'uuid-dev', 'zlib1g-dev', 'wget'],
      apk: ['bison', 'coreutils', 'dpkg-dev', 'dpkg', 'flex', 'g++', 'gcc', 'icu-dev', 'libc-dev', 'libxml2-dev', 'libxslt-dev', 'linux-headers', 'make', 'openldap-dev', 'openssl-dev', 'perl-utils', 'perl-ipc-run', 'readline-dev', 'util-linux-dev', 'zlib-dev', 'zstd-dev'],
      configure: ['--enable-integer-datetimes', '--enable-thread-safety', '--enable-tap-tests', '--disable-rpath', '--with-uuid=e2fs', '--with-gnu-ld', '--with-pgport=5432', '--with-system-tzdata=/usr/share/zoneinfo', '--prefix=/usr/local', '--with-includes=/usr/local/include', '--with-libraries=/usr/local/lib', '--with-icu', '--with-ldap', '--with-libxml', '--with-libxslt', '--with-openssl', '--with-lz4', '--with-zstd'],
      post: ['make -C contrib', 'make -C contrib install'],
      keys: r.int(0, 2),
      sub: 'postgresql',
    });
    parts.push(
      run(r, [
        `sed -ri "s!^#?(listen_addresses)\\s*=\\s*\\S+.*!\\1 = '*'!" /usr/local/share/postgresql/postgresql.conf.sample`,
        `grep -F "listen_addresses = '*'" /usr/local/share/postgresql/postgresql.conf.sample`,
        `install --verbose --directory --owner postgres --group postgres --mode 3777 /var/run/postgresql`,
      ]),
      `ENV PGDATA /var/lib/postgresql/data`,
      `# this 1777 will be replaced by 0700 at runtime (allows semi-arbitrary "--user" values)`,
      `RUN install --verbose --directory --owner postgres --group postgres --mode 1777 "$PGDATA"`,
      entrypointHeredoc(r, 'postgres', 'postgres', 'postgres'),
      tail(r, { volumes: ['/var/lib/postgresql/data'], ports: ['5432'], cmd: ['postgres'], stop: 'SIGINT', health: 'pg_isready -U postgres || exit 1' }),
    );
    return parts;
  },
  redis(r, base) {
    const parts = fromSource(r, {
      name: 'redis',
      base,
      user: 'redis',
      uid: 999,
      vEnv: 'REDIS_VERSION',
      ver: version(r, r.pick(['6', '7'])),
      url: 'http://download.redis.io/releases/redis-$REDIS_VERSION.tar.gz',
      deb: ['dpkg-dev', 'gcc', 'libc6-dev', 'libssl-dev', 'make', 'wget'],
      apk: ['coreutils', 'dpkg-dev', 'dpkg', 'gcc', 'linux-headers', 'make', 'musl-dev', 'openssl-dev', 'wget'],
      configure: ['--disable-dependency-tracking'],
      post: [
        `# disable Redis protected mode as it is unnecessary in context of Docker`,
        `grep -E '^ *createBoolConfig[(]"protected-mode",.*, *1 *,.*[)],$' /usr/src/redis/src/config.c`,
        `sed -ri 's!^( *createBoolConfig[(]"protected-mode",.*, *)1( *,.*[)],)$!\\10\\2!' /usr/src/redis/src/config.c`,
        `grep -E '^ *createBoolConfig[(]"protected-mode",.*, *0 *,.*[)],$' /usr/src/redis/src/config.c`,
        `export BUILD_TLS=yes`,
        `make -C /usr/src/redis -j "$(nproc)" all`,
        `make -C /usr/src/redis install`,
        `serverMd5="$(md5sum /usr/local/bin/redis-server | cut -d' ' -f1)"; export serverMd5`,
        `find /usr/local/bin/redis* -maxdepth 0 \\`,
        `\t-type f -not -name redis-server \\`,
        `\t-exec sh -eux -c ' \\`,
        `\t\tmd5="$(md5sum "$1" | cut -d" " -f1)"; \\`,
        `\t\ttest "$md5" = "$serverMd5"; \\`,
        `\t' -- '{}' ';' \\`,
        `\t-exec ln -svfT 'redis-server' '{}' ';' \\`,
        `\t`,
      ],
      sub: 'redis',
    });
    parts.push(
      `RUN mkdir /data && chown redis:redis /data`,
      `WORKDIR /data`,
      entrypointHeredoc(r, 'redis', 'redis', 'redis-server'),
      tail(r, { volumes: ['/data'], ports: ['6379'], cmd: ['redis-server'], health: 'redis-cli ping | grep -q PONG' }),
    );
    return parts;
  },
  nginx(r, base) {
    const modules = r.some(['http_ssl_module', 'http_realip_module', 'http_addition_module', 'http_sub_module', 'http_dav_module', 'http_flv_module', 'http_mp4_module', 'http_gunzip_module', 'http_gzip_static_module', 'http_random_index_module', 'http_secure_link_module', 'http_stub_status_module', 'http_auth_request_module', 'http_v2_module', 'http_v3_module', 'stream_ssl_module', 'stream_realip_module', 'mail_ssl_module', 'threads', 'file-aio'], 10, 20);
    const parts = fromSource(r, {
      name: 'nginx',
      base,
      user: null,
      vEnv: 'NGINX_VERSION',
      ver: `1.${r.int(22, 27)}.${r.int(0, 4)}`,
      url: 'https://nginx.org/download/nginx-$NGINX_VERSION.tar.gz',
      deb: ['gcc', 'libc-dev', 'make', 'libssl-dev', 'libpcre2-dev', 'zlib1g-dev', 'libxslt1-dev', 'libgd-dev', 'libgeoip-dev', 'wget', 'dpkg-dev'],
      apk: ['gcc', 'libc-dev', 'make', 'openssl-dev', 'pcre2-dev', 'zlib-dev', 'linux-headers', 'libxslt-dev', 'gd-dev', 'geoip-dev', 'perl-dev', 'libedit-dev', 'bash', 'alpine-sdk', 'findutils'],
      configure: ['--prefix=/etc/nginx', '--sbin-path=/usr/sbin/nginx', '--modules-path=/usr/lib/nginx/modules', '--conf-path=/etc/nginx/nginx.conf', '--error-log-path=/var/log/nginx/error.log', '--http-log-path=/var/log/nginx/access.log', '--pid-path=/var/run/nginx.pid', '--lock-path=/var/run/nginx.lock', '--http-client-body-temp-path=/var/cache/nginx/client_temp', '--http-proxy-temp-path=/var/cache/nginx/proxy_temp', '--user=nginx', '--group=nginx', '--with-compat', ...modules.map((m) => `--with-${m}`)],
      keys: r.int(1, 3),
      sub: 'nginx',
    });
    parts.splice(
      1,
      0,
      run(r, [
        base.pkg === 'apk' ? `addgroup -g 101 -S nginx` : `groupadd --system --gid 101 nginx`,
        base.pkg === 'apk'
          ? `adduser -S -D -H -u 101 -h /var/cache/nginx -s /sbin/nologin -G nginx -g nginx nginx`
          : `useradd --system --gid nginx --no-create-home --home /nonexistent --comment "nginx user" --shell /bin/false --uid 101 nginx`,
      ]),
    );
    parts.push(
      run(r, [
        `mkdir -p /var/cache/nginx /docker-entrypoint.d`,
        `ln -sf /dev/stdout /var/log/nginx/access.log`,
        `ln -sf /dev/stderr /var/log/nginx/error.log`,
        `chown -R nginx:nginx /var/cache/nginx`,
      ]),
      `COPY <<'EOF' /etc/nginx/conf.d/default.conf`,
      `server {`,
      `    listen       80;`,
      `    listen  [::]:80;`,
      `    server_name  localhost;`,
      ``,
      `    location / {`,
      `        root   /usr/share/nginx/html;`,
      `        index  index.html index.htm;`,
      `    }`,
      ``,
      `    error_page   500 502 503 504  /50x.html;`,
      `    location = /50x.html {`,
      `        root   /usr/share/nginx/html;`,
      `    }`,
      `}`,
      `EOF`,
      `COPY --chmod=755 <<'EOF' /docker-entrypoint.sh`,
      `#!/bin/sh`,
      `set -e`,
      `if [ -z "\${NGINX_ENTRYPOINT_QUIET_LOGS:-}" ]; then`,
      `    exec 3>&1`,
      `else`,
      `    exec 3>/dev/null`,
      `fi`,
      `if [ "$1" = "nginx" ] || [ "$1" = "nginx-debug" ]; then`,
      `    find "/docker-entrypoint.d/" -follow -type f -print | sort -V | while read -r f; do`,
      `        case "$f" in`,
      `            *.envsh) . "$f" ;;`,
      `            *.sh) "$f" ;;`,
      `            *) echo >&3 "$0: Ignoring $f" ;;`,
      `        esac`,
      `    done`,
      `fi`,
      `exec "$@"`,
      `EOF`,
      `ENTRYPOINT ["/docker-entrypoint.sh"]`,
      tail(r, { ports: ['80'], cmd: ['nginx', '-g', 'daemon off;'], stop: 'SIGQUIT', entry: false }),
    );
    return parts;
  },
  httpd(r, base) {
    const parts = fromSource(r, {
      name: 'httpd',
      base,
      user: null,
      vEnv: 'HTTPD_VERSION',
      ver: `2.4.${r.int(50, 62)}`,
      url: 'https://downloads.apache.org/httpd/httpd-$HTTPD_VERSION.tar.bz2',
      deb: ['bzip2', 'dpkg-dev', 'gcc', 'libapr1-dev', 'libaprutil1-dev', 'libbrotli-dev', 'libcurl4-openssl-dev', 'libjansson-dev', 'liblua5.2-dev', 'libnghttp2-dev', 'libpcre2-dev', 'libssl-dev', 'libxml2-dev', 'make', 'wget', 'zlib1g-dev'],
      apk: ['apr-dev', 'apr-util-dev', 'brotli-dev', 'coreutils', 'dpkg-dev', 'dpkg', 'gcc', 'gnupg', 'jansson-dev', 'libc-dev', 'libxml2-dev', 'lua-dev', 'make', 'nghttp2-dev', 'openssl-dev', 'pcre2-dev', 'zlib-dev'],
      configure: ['--prefix="$HTTPD_PREFIX"', '--enable-mods-shared=reallyall', '--enable-mpms-shared=all', '--enable-pie', '--enable-brotli', '--enable-http2', '--enable-ssl'],
      post: [
        `sed -ri \\`,
        `\t-e 's!^(\\s*CustomLog)\\s+\\S+!\\1 /proc/self/fd/1!g' \\`,
        `\t-e 's!^(\\s*ErrorLog)\\s+\\S+!\\1 /proc/self/fd/2!g' \\`,
        `\t-e 's!^(\\s*TransferLog)\\s+\\S+!\\1 /proc/self/fd/1!g' \\`,
        `\t-e 's!^(\\s*User)\\s+daemon\\s*$!\\1 www-data!g' \\`,
        `\t-e 's!^(\\s*Group)\\s+daemon\\s*$!\\1 www-data!g' \\`,
        `\t"$HTTPD_PREFIX/conf/httpd.conf" \\`,
        `\t"$HTTPD_PREFIX/conf/extra/httpd-ssl.conf" \\`,
        `\t`,
        `grep -vE '^\\s*(CustomLog|ErrorLog|TransferLog|User|Group)' "$HTTPD_PREFIX/conf/httpd.conf" > /dev/null`,
      ],
      keys: r.int(2, 6),
      sub: 'httpd',
    });
    parts.splice(1, 0, `ENV HTTPD_PREFIX /usr/local/apache2\nENV PATH $HTTPD_PREFIX/bin:$PATH\nRUN mkdir -p "$HTTPD_PREFIX"\nWORKDIR $HTTPD_PREFIX`);
    parts.push(
      `COPY --chmod=755 <<'EOF' /usr/local/bin/httpd-foreground`,
      `#!/bin/sh`,
      `set -e`,
      `# Apache gets grumpy about PID files pre-existing`,
      `rm -f /usr/local/apache2/logs/httpd.pid`,
      `exec httpd -DFOREGROUND "$@"`,
      `EOF`,
      tail(r, { ports: ['80'], cmd: ['httpd-foreground'], stop: 'SIGWINCH', entry: false }),
    );
    return parts;
  },
  python(r, base) {
    const minor = r.pick(['3.10', '3.11', '3.12', '3.13']);
    const parts = fromSource(r, {
      name: 'python',
      base,
      user: null,
      vEnv: 'PYTHON_VERSION',
      ver: `${minor}.${r.int(1, 12)}`,
      url: 'https://www.python.org/ftp/python/${PYTHON_VERSION%%[a-z]*}/Python-$PYTHON_VERSION.tar.xz',
      deb: ['dpkg-dev', 'gcc', 'gnupg', 'libbluetooth-dev', 'libbz2-dev', 'libc6-dev', 'libdb-dev', 'libexpat1-dev', 'libffi-dev', 'libgdbm-dev', 'liblzma-dev', 'libncursesw5-dev', 'libreadline-dev', 'libsqlite3-dev', 'libssl-dev', 'make', 'tk-dev', 'uuid-dev', 'wget', 'xz-utils', 'zlib1g-dev'],
      apk: ['bluez-dev', 'bzip2-dev', 'dpkg-dev', 'dpkg', 'expat-dev', 'findutils', 'gcc', 'gdbm-dev', 'gnupg', 'libc-dev', 'libffi-dev', 'libnsl-dev', 'libtirpc-dev', 'linux-headers', 'make', 'ncurses-dev', 'openssl-dev', 'pax-utils', 'readline-dev', 'sqlite-dev', 'tcl-dev', 'tk', 'tk-dev', 'util-linux-dev', 'xz', 'xz-dev', 'zlib-dev'],
      configure: ['--enable-loadable-sqlite-extensions', '--enable-optimizations', '--enable-option-checking=fatal', '--enable-shared', '--with-lto', '--with-ensurepip', '--with-system-expat'],
      post: [
        `EXTRA_CFLAGS="$(dpkg-buildflags --get CFLAGS)"`,
        `LDFLAGS="$(dpkg-buildflags --get LDFLAGS)"`,
        `LDFLAGS="\${LDFLAGS:--Wl},--strip-all"`,
        `arch="$(dpkg --print-architecture)"; arch="\${arch##*-}"`,
        `case "$arch" in \\`,
        `\tamd64|arm64) EXTRA_CFLAGS="\${EXTRA_CFLAGS:-} -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer" ;; \\`,
        `\ti386) ;; \\`,
        `\t*) EXTRA_CFLAGS="\${EXTRA_CFLAGS:-} -fno-omit-frame-pointer" ;; \\`,
        `esac`,
        `make -j "$nproc" "EXTRA_CFLAGS=\${EXTRA_CFLAGS:-}" "LDFLAGS=\${LDFLAGS:-}"`,
        `rm python`,
        `make -j "$nproc" "EXTRA_CFLAGS=\${EXTRA_CFLAGS:-}" "LDFLAGS=\${LDFLAGS:--Wl},-rpath='\\$\\$ORIGIN/../lib'" python`,
        `make install`,
        `bin="$(readlink -ve /usr/local/bin/python3)"`,
        `dir="$(dirname "$bin")"`,
        `mkdir -p "/usr/share/gdb/auto-load/$dir"`,
        `cp -vL Tools/gdb/libpython.py "/usr/share/gdb/auto-load/$bin-gdb.py"`,
        `find /usr/local -depth \\`,
        `\t\\( \\`,
        `\t\t\\( -type d -a \\( -name test -o -name tests -o -name idle_test \\) \\) \\`,
        `\t\t-o \\( -type f -a \\( -name '*.pyc' -o -name '*.pyo' -o -name 'libpython*.a' \\) \\) \\`,
        `\t\\) -exec rm -rf '{}' + \\`,
        `\t`,
        `ldconfig`,
        `export PYTHONDONTWRITEBYTECODE=1`,
        `python3 --version`,
        `pip3 --version`,
      ],
      keys: r.int(0, 1),
      sub: 'python',
    });
    parts.splice(1, 0, `# ensure local python is preferred over distribution python\nENV PATH /usr/local/bin:$PATH\nENV LANG C.UTF-8`);
    parts.push(
      `# make some useful symlinks that are expected to exist ("/usr/local/bin/python" and friends)`,
      run(r, [
        `for src in idle3 pip3 pydoc3 python3 python3-config; do \\`,
        `\tdst="$(echo "$src" | tr -d 3)"; \\`,
        `\t[ -s "/usr/local/bin/$src" ]; \\`,
        `\t[ ! -e "/usr/local/bin/$dst" ]; \\`,
        `\tln -svT "$src" "/usr/local/bin/$dst"; \\`,
        `done`,
      ]),
    );
    if (r.chance(0.6)) parts.push(...pythonApp(r));
    else parts.push(`CMD ["python3"]`);
    return parts;
  },
  node(r, base) {
    const major = r.pick(['18', '20', '22', '23']);
    const ver = version(r, major);
    const parts = [header(r, 'node', base)];
    parts.push(
      base.pkg === 'apk'
        ? `RUN addgroup -g 1000 node \\\n    && adduser -u 1000 -G node -s /bin/sh -D node`
        : `RUN groupadd --gid 1000 node \\\n  && useradd --uid 1000 --gid node --shell /bin/bash --create-home node`,
      `ENV NODE_VERSION ${ver}`,
    );
    const nodeKeys = Array.from({ length: r.int(8, 14) }, () => fingerprint(r));
    const arms = (base.pkg === 'apk' ? APK_ARCHES : DEB_ARCHES).slice(0, r.int(3, 6)).map(([a, b]) => [a, b === 'x86_64' ? 'x64' : b === 'aarch64' ? 'arm64' : b, null]);
    const body =
      base.pkg === 'apk'
        ? [
            `apk add --no-cache libstdc++`,
            `apk add --no-cache --virtual .build-deps curl`,
            `ARCH= OPENSSL_ARCH='linux*' && alpineArch="$(apk --print-arch)" \\`,
            `  && case "\${alpineArch##*-}" in \\`,
            ...arms.map(([a, b]) => `    ${a}) ARCH='${b}' CHECKSUM="${r.hex(64)}" OPENSSL_ARCH=linux-${b} ;; \\`),
            `    *) ;; \\`,
            `  esac`,
            `if [ -n "\${CHECKSUM}" ]; then \\`,
            `    set -eu; \\`,
            `    curl -fsSLO --compressed "https://unofficial-builds.nodejs.org/download/release/v$NODE_VERSION/node-v$NODE_VERSION-linux-$ARCH-musl.tar.xz"; \\`,
            `    echo "$CHECKSUM  node-v$NODE_VERSION-linux-$ARCH-musl.tar.xz" | sha256sum -c - \\`,
            `      && tar -xJf "node-v$NODE_VERSION-linux-$ARCH-musl.tar.xz" -C /usr/local --strip-components=1 --no-same-owner \\`,
            `      && ln -s /usr/local/bin/node /usr/local/bin/nodejs; \\`,
            `  else \\`,
            `    echo "Building from source" \\`,
            `    && apk add --no-cache --virtual .build-deps-full binutils-gold g++ gcc gnupg libgcc linux-headers make python3 py-setuptools \\`,
            `    && export GNUPGHOME="$(mktemp -d)" \\`,
            `    && for key in \\`,
            ...nodeKeys.map((k) => `      ${k} \\`),
            `    ; do \\`,
            `      gpg --batch --keyserver hkps://keys.openpgp.org --recv-keys "$key" || \\`,
            `      gpg --batch --keyserver keyserver.ubuntu.com --recv-keys "$key" ; \\`,
            `    done \\`,
            `    && curl -fsSLO --compressed "https://nodejs.org/dist/v$NODE_VERSION/node-v$NODE_VERSION.tar.xz" \\`,
            `    && curl -fsSLO --compressed "https://nodejs.org/dist/v$NODE_VERSION/SHASUMS256.txt.asc" \\`,
            `    && gpg --batch --decrypt --output SHASUMS256.txt SHASUMS256.txt.asc \\`,
            `    && gpgconf --kill all \\`,
            `    && rm -rf "$GNUPGHOME" \\`,
            `    && grep " node-v$NODE_VERSION.tar.xz\\$" SHASUMS256.txt | sha256sum -c - \\`,
            `    && tar -xf "node-v$NODE_VERSION.tar.xz" \\`,
            `    && cd "node-v$NODE_VERSION" \\`,
            `    && ./configure \\`,
            `    && make -j$(getconf _NPROCESSORS_ONLN) V= \\`,
            `    && make install \\`,
            `    && apk del .build-deps-full \\`,
            `    && cd .. \\`,
            `    && rm -Rf "node-v$NODE_VERSION" \\`,
            `    && rm "node-v$NODE_VERSION.tar.xz" SHASUMS256.txt.asc SHASUMS256.txt; \\`,
            `  fi`,
            `rm -f "node-v$NODE_VERSION-linux-$ARCH-musl.tar.xz"`,
            `find /usr/local/include/node/openssl/archs -mindepth 1 -maxdepth 1 ! -name "$OPENSSL_ARCH" -exec rm -rf {} \\;`,
            `apk del .build-deps`,
            `node --version`,
            `npm --version`,
          ]
        : [
            `ARCH= && dpkgArch="$(dpkg --print-architecture)" \\`,
            `  && case "\${dpkgArch##*-}" in \\`,
            ...arms.map(([a, b]) => `    ${a}) ARCH='${b}' OPENSSL_ARCH='linux-${b}';; \\`),
            `    *) echo "unsupported architecture"; exit 1 ;; \\`,
            `  esac`,
            `set -ex`,
            `apt-get update && apt-get install -y ca-certificates curl wget gnupg dirmngr xz-utils libatomic1 --no-install-recommends`,
            `rm -rf /var/lib/apt/lists/*`,
            `export GNUPGHOME="$(mktemp -d)"`,
            `for key in \\`,
            ...nodeKeys.map((k) => `  ${k} \\`),
            `; do \\`,
            `  gpg --batch --keyserver hkps://keys.openpgp.org --recv-keys "$key" || \\`,
            `  gpg --batch --keyserver keyserver.ubuntu.com --recv-keys "$key" ; \\`,
            `done`,
            `curl -fsSLO --compressed "https://nodejs.org/dist/v$NODE_VERSION/node-v$NODE_VERSION-linux-$ARCH.tar.xz"`,
            `curl -fsSLO --compressed "https://nodejs.org/dist/v$NODE_VERSION/SHASUMS256.txt.asc"`,
            `gpg --batch --decrypt --output SHASUMS256.txt SHASUMS256.txt.asc`,
            `gpgconf --kill all`,
            `rm -rf "$GNUPGHOME"`,
            `grep " node-v$NODE_VERSION-linux-$ARCH.tar.xz\\$" SHASUMS256.txt | sha256sum -c -`,
            `tar -xJf "node-v$NODE_VERSION-linux-$ARCH.tar.xz" -C /usr/local --strip-components=1 --no-same-owner`,
            `rm "node-v$NODE_VERSION-linux-$ARCH.tar.xz" SHASUMS256.txt.asc SHASUMS256.txt`,
            `find /usr/local/include/node/openssl/archs -mindepth 1 -maxdepth 1 ! -name "$OPENSSL_ARCH" -exec rm -rf {} \\;`,
            `apt-mark auto '.*' > /dev/null`,
            `find /usr/local -type f -executable -exec ldd '{}' ';' \\`,
            `  | awk '/=>/ { so = $(NF-1); if (index(so, "/usr/local/") == 1) { next }; gsub("^/(usr/)?", "", so); printf "*%s\\n", so }' \\`,
            `  | sort -u \\`,
            `  | xargs -r dpkg-query --search \\`,
            `  | cut -d: -f1 \\`,
            `  | sort -u \\`,
            `  | xargs -r apt-mark manual`,
            `apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportance=false`,
            `ln -s /usr/local/bin/node /usr/local/bin/nodejs`,
            `node --version`,
            `npm --version`,
          ];
    parts.push(run(r, body, { style: 'and', ind: '    ' }));
    parts.push(`ENV YARN_VERSION 1.22.${r.int(17, 22)}`);
    const yarnKeys = Array.from({ length: r.int(1, 3) }, () => fingerprint(r));
    parts.push(
      run(
        r,
        [
          base.pkg === 'apk' ? `apk add --no-cache --virtual .build-deps-yarn curl gnupg tar` : `savedAptMark="$(apt-mark showmanual)"`,
          base.pkg === 'apk' ? null : `apt-get update && apt-get install -y ca-certificates curl wget gnupg dirmngr --no-install-recommends`,
          base.pkg === 'apk' ? null : `rm -rf /var/lib/apt/lists/*`,
          `export GNUPGHOME="$(mktemp -d)"`,
          `for key in \\`,
          ...yarnKeys.map((k) => `  ${k} \\`),
          `; do \\`,
          `  gpg --batch --keyserver hkps://keys.openpgp.org --recv-keys "$key" || \\`,
          `  gpg --batch --keyserver keyserver.ubuntu.com --recv-keys "$key" ; \\`,
          `done`,
          `curl -fsSLO --compressed "https://yarnpkg.com/downloads/$YARN_VERSION/yarn-v$YARN_VERSION.tar.gz"`,
          `curl -fsSLO --compressed "https://yarnpkg.com/downloads/$YARN_VERSION/yarn-v$YARN_VERSION.tar.gz.asc"`,
          `gpg --batch --verify yarn-v$YARN_VERSION.tar.gz.asc yarn-v$YARN_VERSION.tar.gz`,
          `gpgconf --kill all`,
          `rm -rf "$GNUPGHOME"`,
          `mkdir -p /opt`,
          `tar -xzf yarn-v$YARN_VERSION.tar.gz -C /opt/`,
          `ln -s /opt/yarn-v$YARN_VERSION/bin/yarn /usr/local/bin/yarn`,
          `ln -s /opt/yarn-v$YARN_VERSION/bin/yarnpkg /usr/local/bin/yarnpkg`,
          `rm yarn-v$YARN_VERSION.tar.gz.asc yarn-v$YARN_VERSION.tar.gz`,
          base.pkg === 'apk' ? `apk del .build-deps-yarn` : `apt-mark auto '.*' > /dev/null`,
          base.pkg === 'apk' ? null : `{ [ -z "$savedAptMark" ] || apt-mark manual $savedAptMark > /dev/null; }`,
          base.pkg === 'apk' ? null : `apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportance=false`,
          `yarn --version`,
          `rm -rf /tmp/*`,
        ],
        { style: 'and', ind: '  ' },
      ),
    );
    parts.push(
      `COPY --chmod=755 <<'EOF' /usr/local/bin/docker-entrypoint.sh`,
      `#!/bin/sh`,
      `set -e`,
      `# Run command with node if the first argument contains a "-" or is not a system command.`,
      `if [ "\${1#-}" != "$1" ] || [ -z "$(command -v "\${1}")" ] || { [ -f "\${1}" ] && ! [ -x "\${1}" ]; }; then`,
      `  set -- node "$@"`,
      `fi`,
      `exec "$@"`,
      `EOF`,
    );
    if (r.chance(0.6)) parts.push(...nodeApp(r, major));
    else parts.push(`ENTRYPOINT ["docker-entrypoint.sh"]`, `CMD [ "node" ]`);
    return parts;
  },
  php(r, base) {
    const ver = `8.${r.int(1, 4)}.${r.int(0, 20)}`;
    const parts = [header(r, 'php', base)];
    parts.push(
      `# prevent Debian's PHP packages from being installed`,
      base.pkg === 'apk'
        ? `ENV PHPIZE_DEPS \\\n\t\tautoconf \\\n\t\tdpkg-dev dpkg \\\n\t\tfile \\\n\t\tg++ \\\n\t\tgcc \\\n\t\tlibc-dev \\\n\t\tmake \\\n\t\tpkgconf \\\n\t\tre2c`
        : run(r, [
            `{ \\`,
            `\techo 'Package: php*'; \\`,
            `\techo 'Pin: release *'; \\`,
            `\techo 'Pin-Priority: -1'; \\`,
            `} > /etc/apt/preferences.d/no-debian-php`,
          ]),
      base.pkg === 'apk'
        ? `RUN apk add --no-cache ca-certificates curl openssl tar xz`
        : `ENV PHPIZE_DEPS \\\n\t\tautoconf \\\n\t\tdpkg-dev \\\n\t\tfile \\\n\t\tg++ \\\n\t\tgcc \\\n\t\tlibc-dev \\\n\t\tmake \\\n\t\tpkg-config \\\n\t\tre2c`,
      `ENV PHP_INI_DIR /usr/local/etc/php`,
      run(r, [`mkdir -p "$PHP_INI_DIR/conf.d"`, `[ ! -d /var/www/html ]`, `mkdir -p /var/www/html`, `chown www-data:www-data /var/www/html`, `chmod 1777 /var/www/html`]),
      `ENV PHP_CFLAGS="-fstack-protector-strong -fpic -fpie -O2 -D_LARGEFILE_SOURCE -D_FILE_OFFSET_BITS=64"`,
      `ENV PHP_CPPFLAGS="$PHP_CFLAGS"`,
      `ENV PHP_LDFLAGS="-Wl,-O1 -pie"`,
    );
    const { env } = gpgKeysEnv(r, 'GPG_KEYS', r.int(2, 4));
    parts.push(env, `ENV PHP_VERSION ${ver}`, `ENV PHP_URL="https://www.php.net/distributions/php-${ver}.tar.xz" PHP_ASC_URL="https://www.php.net/distributions/php-${ver}.tar.xz.asc"`, `ENV PHP_SHA256="${r.hex(64)}"`);
    parts.push(
      run(r, [
        ...(base.pkg === 'apk'
          ? [`apk add --no-cache --virtual .fetch-deps gnupg`]
          : [`savedAptMark="$(apt-mark showmanual)"`, `apt-get update`, `apt-get install -y --no-install-recommends gnupg`, `rm -rf /var/lib/apt/lists/*`]),
        `mkdir -p /usr/src`,
        `cd /usr/src`,
        `curl -fsSL -o php.tar.xz "$PHP_URL"`,
        `if [ -n "$PHP_SHA256" ]; then \\`,
        `\techo "$PHP_SHA256 *php.tar.xz" | sha256sum -c -; \\`,
        `fi`,
        `curl -fsSL -o php.tar.xz.asc "$PHP_ASC_URL"`,
        ...gpgLoop(r, 'GPG_KEYS'),
        `gpg --batch --verify php.tar.xz.asc php.tar.xz`,
        `gpgconf --kill all`,
        `rm -rf "$GNUPGHOME"`,
        base.pkg === 'apk' ? `apk del --no-network .fetch-deps` : `apt-mark auto '.*' > /dev/null`,
        base.pkg === 'apk' ? null : `apt-mark manual $savedAptMark > /dev/null`,
        base.pkg === 'apk' ? null : `apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportance=false`,
      ]),
    );
    const exts = r.some(['--with-curl', '--with-libedit', '--with-openssl', '--with-zlib', '--with-pear', '--enable-mbstring', '--enable-mysqlnd', '--with-password-argon2', '--with-sodium=shared', '--with-pdo-sqlite=/usr', '--with-sqlite3=/usr', '--enable-ftp', '--with-readline'], 7, 13);
    parts.push(
      run(r, [
        ...buildDepsInstall(base, ['$PHPIZE_DEPS', 'libargon2-dev', 'libcurl4-openssl-dev', 'libonig-dev', 'libreadline-dev', 'libsodium-dev', 'libsqlite3-dev', 'libssl-dev', 'libxml2-dev', 'zlib1g-dev'], ['$PHPIZE_DEPS', 'argon2-dev', 'coreutils', 'curl-dev', 'gnu-libiconv-dev', 'libsodium-dev', 'libxml2-dev', 'linux-headers', 'oniguruma-dev', 'openssl-dev', 'readline-dev', 'sqlite-dev']),
        `export CFLAGS="$PHP_CFLAGS" CPPFLAGS="$PHP_CPPFLAGS" LDFLAGS="$PHP_LDFLAGS" PHP_BUILD_PROVIDER='drydock bench'`,
        `docker-php-source extract`,
        `cd /usr/src/php`,
        base.pkg === 'apk' ? `gnuArch="$(uname -m)-linux-musl"` : `gnuArch="$(dpkg-architecture --query DEB_BUILD_GNU_TYPE)"`,
        base.pkg === 'apk' ? null : `debMultiarch="$(dpkg-architecture --query DEB_BUILD_MULTIARCH)"`,
        base.pkg === 'apk' ? null : `if [ ! -d /usr/include/curl ]; then \\`,
        base.pkg === 'apk' ? null : `\tln -sT "/usr/include/$debMultiarch/curl" /usr/local/include/curl; \\`,
        base.pkg === 'apk' ? null : `fi`,
        `./configure \\`,
        `\t\t--build="$gnuArch" \\`,
        `\t\t--with-config-file-path="$PHP_INI_DIR" \\`,
        `\t\t--with-config-file-scan-dir="$PHP_INI_DIR/conf.d" \\`,
        ...exts.map((e) => `\t\t${e} \\`),
        `\t\t--disable-cgi \\`,
        `\t\t--enable-fpm \\`,
        `\t\t--with-fpm-user=www-data \\`,
        `\t\t--with-fpm-group=www-data \\`,
        `\t`,
        `make -j "$(nproc)"`,
        `find -type f -name '*.a' -delete`,
        `make install`,
        `find /usr/local -type f -perm '/0111' -exec sh -euxc ' \\`,
        `\t\tstrip --strip-all "$@" || : \\`,
        `\t' -- '{}' +`,
        `make clean`,
        `cp -v php.ini-* "$PHP_INI_DIR/"`,
        `cd /`,
        `docker-php-source delete`,
        ...keepRuntimeDeps(base),
        `pecl update-channels`,
        `rm -rf /tmp/pear ~/.pearrc`,
        `php --version`,
      ]),
    );
    parts.push(
      `WORKDIR /var/www/html`,
      run(r, [
        `cd /usr/local/etc`,
        `if [ -d php-fpm.d ]; then \\`,
        `\tsed 's!=NONE/!=!g' php-fpm.conf.default | tee php-fpm.conf > /dev/null; \\`,
        `\tcp php-fpm.d/www.conf.default php-fpm.d/www.conf; \\`,
        `else \\`,
        `\tmkdir php-fpm.d; \\`,
        `\tcp php-fpm.conf.default php-fpm.d/www.conf; \\`,
        `\t{ \\`,
        `\t\techo '[global]'; \\`,
        `\t\techo 'include=etc/php-fpm.d/*.conf'; \\`,
        `\t} | tee php-fpm.conf; \\`,
        `fi`,
        `{ \\`,
        `\techo '[global]'; \\`,
        `\techo 'error_log = /proc/self/fd/2'; \\`,
        `\techo 'log_limit = 8192'; \\`,
        `\techo; \\`,
        `\techo '[www]'; \\`,
        `\techo 'access.log = /proc/self/fd/2'; \\`,
        `\techo 'clear_env = no'; \\`,
        `\techo 'catch_workers_output = yes'; \\`,
        `\techo 'decorate_workers_output = no'; \\`,
        `} | tee php-fpm.d/docker.conf`,
        `{ \\`,
        `\techo '[global]'; \\`,
        `\techo 'daemonize = no'; \\`,
        `\techo; \\`,
        `\techo '[www]'; \\`,
        `\techo 'listen = 9000'; \\`,
        `} | tee php-fpm.d/zz-docker.conf`,
        `mkdir -p "$PHP_INI_DIR/conf.d"`,
        `{ \\`,
        `\techo '; https://github.com/docker-library/php/issues/878#issuecomment-938595965'; \\`,
        `\techo 'fastcgi.logging = Off'; \\`,
        `} > "$PHP_INI_DIR/conf.d/docker-fpm.ini"`,
      ]),
    );
    if (r.chance(0.6)) parts.push(...phpApp(r));
    parts.push(`STOPSIGNAL SIGQUIT`, `EXPOSE 9000`, `CMD ["php-fpm"]`);
    return parts;
  },
  mysql(r, base) {
    const ver = `8.${r.pick(['0', '4'])}.${r.int(30, 40)}`;
    const parts = [header(r, 'mysql', { ...base, from: base.pkg === 'apk' ? 'oraclelinux:9-slim' : base.from })];
    const rhel = base.pkg === 'apk';
    parts.push(
      rhel
        ? `RUN set -eux; \\\n\tgroupadd --system --gid 999 mysql; \\\n\tuseradd --system --uid 999 --gid 999 --home-dir /var/lib/mysql --no-create-home mysql`
        : userBlock(r, base, 'mysql', 999),
      rhel ? `ENV GOSU_VERSION 1.17` : gosuBlock(r, base),
    );
    if (rhel) {
      parts.push(
        run(r, [
          `arch="$(uname -m)"`,
          `case "$arch" in \\`,
          `\taarch64) gosuArch='arm64' ;; \\`,
          `\tx86_64) gosuArch='amd64' ;; \\`,
          `\t*) echo >&2 "error: unsupported architecture: '$arch'"; exit 1 ;; \\`,
          `esac`,
          `curl -fL -o /usr/local/bin/gosu.asc "https://github.com/tianon/gosu/releases/download/$GOSU_VERSION/gosu-$gosuArch.asc"`,
          `curl -fL -o /usr/local/bin/gosu "https://github.com/tianon/gosu/releases/download/$GOSU_VERSION/gosu-$gosuArch"`,
          `export GNUPGHOME="$(mktemp -d)"`,
          `gpg --batch --keyserver hkps://keys.openpgp.org --recv-keys ${fingerprint(r)}`,
          `gpg --batch --verify /usr/local/bin/gosu.asc /usr/local/bin/gosu`,
          `rm -rf "$GNUPGHOME" /usr/local/bin/gosu.asc`,
          `chmod +x /usr/local/bin/gosu`,
          `gosu --version`,
          `gosu nobody true`,
        ]),
        run(r, [`microdnf install -y \\`, `\t\tbzip2 \\`, `\t\tgzip \\`, `\t\topenssl \\`, `\t\txz \\`, `\t\tzstd \\`, `\t\tfindutils \\`, `\t`, `microdnf clean all`]),
      );
    }
    const key = fingerprint(r);
    parts.push(
      rhel
        ? run(r, [
            `key='${key}'`,
            `export GNUPGHOME="$(mktemp -d)"`,
            `gpg --batch --keyserver keyserver.ubuntu.com --recv-keys "$key"`,
            `gpg --batch --export --armor "$key" > /etc/pki/rpm-gpg/RPM-GPG-KEY-mysql`,
            `rm -rf "$GNUPGHOME"`,
          ])
        : run(r, [
            `key='${key}'`,
            `export GNUPGHOME="$(mktemp -d)"`,
            `gpg --batch --keyserver keyserver.ubuntu.com --recv-keys "$key"`,
            `mkdir -p /etc/apt/keyrings`,
            `gpg --batch --export "$key" > /etc/apt/keyrings/mysql.gpg`,
            `gpgconf --kill all`,
            `rm -rf "$GNUPGHOME"`,
          ]),
      `ENV MYSQL_MAJOR ${ver.split('.').slice(0, 2).join('.')}`,
      `ENV MYSQL_VERSION ${ver}-1.el9`,
      rhel
        ? run(r, [
            `{ \\`,
            `\techo '[mysql${ver.replace(/\./g, '').slice(0, 2)}-server-minimal]'; \\`,
            `\techo 'name=MySQL Server Minimal'; \\`,
            `\techo 'enabled=1'; \\`,
            `\techo 'baseurl=https://repo.mysql.com/yum/mysql-${ver.split('.').slice(0, 2).join('.')}-community/docker/el/9/$basearch/'; \\`,
            `\techo 'gpgcheck=1'; \\`,
            `\techo 'gpgkey=file:///etc/pki/rpm-gpg/RPM-GPG-KEY-mysql'; \\`,
            `\techo 'module_hotfixes=true'; \\`,
            `} | tee /etc/yum.repos.d/mysql-community-minimal.repo`,
          ])
        : `RUN echo 'deb [ signed-by=/etc/apt/keyrings/mysql.gpg ] http://repo.mysql.com/apt/debian/ ${base.dist} mysql-8.0' > /etc/apt/sources.list.d/mysql.list`,
      rhel
        ? run(r, [
            `microdnf install -y "mysql-community-server-minimal-$MYSQL_VERSION"`,
            `microdnf clean all`,
            `grep -F 'socket=/var/lib/mysql/mysql.sock' /etc/my.cnf`,
            `sed -i 's!^socket=.*!socket=/var/run/mysqld/mysqld.sock!' /etc/my.cnf`,
            `grep -F 'socket=/var/run/mysqld/mysqld.sock' /etc/my.cnf`,
            `{ echo '[client]'; echo 'socket=/var/run/mysqld/mysqld.sock'; } >> /etc/my.cnf`,
            `! grep -F '!includedir' /etc/my.cnf`,
            `{ echo; echo '!includedir /etc/mysql/conf.d/'; } >> /etc/my.cnf`,
            `mkdir -p /etc/mysql/conf.d`,
            `mkdir -p /var/lib/mysql /var/run/mysqld`,
            `chown mysql:mysql /var/lib/mysql /var/run/mysqld`,
            `chmod 1777 /var/lib/mysql /var/run/mysqld`,
            `mkdir /docker-entrypoint-initdb.d`,
            `mysqld --version`,
            `mysql --version`,
          ])
        : run(r, [
            `{ \\`,
            `\techo mysql-community-server mysql-community-server/data-dir select ''; \\`,
            `\techo mysql-community-server mysql-community-server/root-pass password ''; \\`,
            `\techo mysql-community-server mysql-community-server/re-root-pass password ''; \\`,
            `\techo mysql-community-server mysql-community-server/remove-test-db select false; \\`,
            `} | debconf-set-selections`,
            `apt-get update`,
            `apt-get install -y mysql-community-client="\${MYSQL_VERSION}" mysql-community-server-core="\${MYSQL_VERSION}"`,
            `rm -rf /var/lib/apt/lists/*`,
            `rm -rf /var/lib/mysql && mkdir -p /var/lib/mysql /var/run/mysqld`,
            `chown -R mysql:mysql /var/lib/mysql /var/run/mysqld`,
            `chmod 1777 /var/run/mysqld /var/lib/mysql`,
          ]),
      toolFetch(r, rhel ? BASES.bookworm : base, TOOLS[2]),
      `COPY <<'EOF' /etc/mysql/conf.d/docker.cnf`,
      `[mysqld]`,
      `skip-host-cache`,
      `skip-name-resolve`,
      `innodb_buffer_pool_size = 256M`,
      `max_connections = 200`,
      `EOF`,
      `VOLUME /var/lib/mysql`,
      entrypointHeredoc(r, 'mysql', 'mysql', 'mysqld'),
      `ENTRYPOINT ["docker-entrypoint.sh"]`,
      `EXPOSE 3306 33060`,
      `CMD ["mysqld"]`,
    );
    return parts;
  },
  golang(r, base) {
    const ver = `1.${r.int(21, 24)}.${r.int(0, 9)}`;
    const parts = [header(r, 'golang', base)];
    parts[0] = parts[0].replace(/FROM (\S+)/, 'FROM $1 AS build');
    if (base.pkg === 'apk') parts.push(`RUN apk add --no-cache ca-certificates`);
    else parts.push(run(r, [`apt-get update`, `apt-get install -y --no-install-recommends g++ gcc libc6-dev make pkg-config ca-certificates gnupg wget`, `rm -rf /var/lib/apt/lists/*`]));
    parts.push(`ENV PATH /usr/local/go/bin:$PATH`, `ENV GOLANG_VERSION ${ver}`);
    const arches = base.pkg === 'apk' ? APK_ARCHES : DEB_ARCHES;
    const goArch = { x86_64: 'amd64', aarch64: 'arm64', armv7l: 'armv6l', i686: '386', ppc64le: 'ppc64le', s390x: 's390x' };
    parts.push(
      run(r, [
        base.pkg === 'apk' ? `apk add --no-cache --virtual .fetch-deps gnupg` : null,
        ...archCase(
          r,
          base,
          arches.map(([a, b]) => [a, `https://dl.google.com/go/go${ver}.linux-${goArch[b]}.tar.gz`, r.hex(64)]),
          'url',
        ),
        `wget -O go.tgz.asc "$url.asc"`,
        `wget -O go.tgz "$url" --progress=dot:giga`,
        `echo "$SHA256 *go.tgz" | sha256sum -c -`,
        `GNUPGHOME="$(mktemp -d)"; export GNUPGHOME`,
        `gpg --batch --keyserver keyserver.ubuntu.com --recv-keys '${fingerprint(r)}'`,
        `gpg --batch --keyserver keyserver.ubuntu.com --recv-keys '${fingerprint(r)}'`,
        `gpg --batch --verify go.tgz.asc go.tgz`,
        `gpgconf --kill all`,
        `rm -rf "$GNUPGHOME" go.tgz.asc`,
        `tar -C /usr/local -xzf go.tgz`,
        `rm go.tgz`,
        `SOURCE_DATE_EPOCH="$(stat -c '%Y' /usr/local/go)"`,
        `export SOURCE_DATE_EPOCH`,
        `touchy="$(date -d "@$SOURCE_DATE_EPOCH" '+%Y%m%d%H%M.%S')"`,
        `date --date "@$SOURCE_DATE_EPOCH" --rfc-2822`,
        base.pkg === 'apk' ? `apk del --no-network .fetch-deps` : null,
        `go version`,
        `epoch="$(stat -c '%Y' /usr/local/go)"`,
        `[ "$SOURCE_DATE_EPOCH" = "$epoch" ]`,
        `find /usr/local/go -newermt "@$SOURCE_DATE_EPOCH" -exec sh -c ' \\`,
        `\tls -ld "$@"; \\`,
        `\ttouch -h -d "@$SOURCE_DATE_EPOCH" "$@"; \\`,
        `' -- '{}' +`,
      ]),
      `ENV GOTOOLCHAIN=local`,
      `ENV GOPATH /go`,
      `ENV PATH $GOPATH/bin:$PATH`,
      `RUN mkdir -p "$GOPATH/src" "$GOPATH/bin" && chmod -R 1777 "$GOPATH"`,
      toolFetch(r, base, TOOLS[3]),
      toolFetch(r, base, TOOLS[0]),
      `WORKDIR /src`,
      `COPY go.mod go.sum ./`,
      `RUN --mount=type=cache,target=/go/pkg/mod go mod download && go mod verify`,
      `COPY . .`,
      `ARG TARGETOS TARGETARCH`,
      run(
        r,
        [
          `CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -trimpath -ldflags="-s -w -X main.version=${ver}" -o /out/server ./cmd/server`,
          `CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -trimpath -ldflags="-s -w" -o /out/migrate ./cmd/migrate`,
          `go test ./... -run 'Test(Unit|Config)' -count=1`,
        ],
        { style: 'and' },
      ),
      '',
      `FROM gcr.io/distroless/static-debian12:nonroot`,
      `COPY --from=build /out/server /usr/local/bin/server`,
      `COPY --from=build /out/migrate /usr/local/bin/migrate`,
      `COPY --from=build /usr/local/bin/grpc_health_probe /usr/local/bin/grpc_health_probe`,
      `HEALTHCHECK --interval=15s --timeout=3s CMD ["/usr/local/bin/grpc_health_probe", "-addr=:8080"]`,
      `USER nonroot:nonroot`,
      `EXPOSE 8080`,
      `ENTRYPOINT ["/usr/local/bin/server"]`,
    );
    return parts;
  },
  openjdk(r, base) {
    const major = r.pick(['17', '21', '23']);
    const ver = `${major}.0.${r.int(1, 9)}+${r.int(5, 13)}`;
    const parts = [header(r, 'eclipse-temurin', base)];
    parts.push(
      `ENV JAVA_HOME /opt/java/openjdk`,
      `ENV PATH $JAVA_HOME/bin:$PATH`,
      `# Default to UTF-8 file.encoding`,
      `ENV LANG='en_US.UTF-8' LANGUAGE='en_US:en' LC_ALL='en_US.UTF-8'`,
      base.pkg === 'apk'
        ? run(r, [`apk add --no-cache fontconfig java-cacerts bash libretls musl-locales musl-locales-lang ttf-dejavu tzdata zlib`, `rm -rf /var/cache/apk/*`])
        : run(r, [
            `apt-get update`,
            `DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \\`,
            `\t\ttzdata \\`,
            `\t\tcurl \\`,
            `\t\twget \\`,
            `\t\tfontconfig \\`,
            `\t\tca-certificates p11-kit \\`,
            `\t\tbinutils \\`,
            `\t\tlocales \\`,
            `\t`,
            `echo "en_US.UTF-8 UTF-8" >> /etc/locale.gen`,
            `locale-gen en_US.UTF-8`,
            `rm -rf /var/lib/apt/lists/*`,
          ]),
      `ENV JAVA_VERSION jdk-${ver}`,
    );
    const arches = base.pkg === 'apk' ? APK_ARCHES.slice(0, 2) : DEB_ARCHES.filter(([a]) => a !== 'i386');
    const jArch = { x86_64: 'x64', aarch64: 'aarch64', armv7l: 'arm', ppc64le: 'ppc64le', s390x: 's390x', i686: 'x86' };
    parts.push(
      run(r, [
        ...archCase(
          r,
          base,
          arches.map(([a, b]) => [a, `https://github.com/adoptium/temurin${major}-binaries/releases/download/jdk-${ver}/OpenJDK${major}U-jdk_${jArch[b]}_linux_hotspot_${ver.replace('+', '_')}.tar.gz`, r.hex(64)]),
          'BINARY_URL',
        ),
        `wget --progress=dot:giga -O /tmp/openjdk.tar.gz \${BINARY_URL}`,
        `wget --progress=dot:giga -O /tmp/openjdk.tar.gz.sig \${BINARY_URL}.sig`,
        `export GNUPGHOME="$(mktemp -d)"`,
        `gpg --batch --keyserver keyserver.ubuntu.com --recv-keys ${fingerprint(r)}`,
        `gpg --batch --verify /tmp/openjdk.tar.gz.sig /tmp/openjdk.tar.gz`,
        `rm -rf "\${GNUPGHOME}" /tmp/openjdk.tar.gz.sig`,
        `echo "\${SHA256} */tmp/openjdk.tar.gz" | sha256sum -c -`,
        `mkdir -p "$JAVA_HOME"`,
        `tar --extract \\`,
        `\t--file /tmp/openjdk.tar.gz \\`,
        `\t--directory "$JAVA_HOME" \\`,
        `\t--strip-components 1 \\`,
        `\t--no-same-owner \\`,
        `\t`,
        `rm -f /tmp/openjdk.tar.gz \${JAVA_HOME}/lib/src.zip`,
        `find "$JAVA_HOME/lib" -name '*.so' -exec dirname '{}' ';' | sort -u > /etc/ld.so.conf.d/docker-openjdk.conf`,
        `ldconfig`,
        `java -Xshare:dump`,
      ]),
      run(r, [`echo Verifying install ...`, `fileEncoding="$(echo 'System.out.println(System.getProperty("file.encoding"))' | jshell -s -)"; [ "$fileEncoding" = 'UTF-8' ]; rm -rf ~/.java`, `echo javac --version && javac --version`, `echo java --version && java --version`, `echo Complete.`]),
      `COPY --chmod=755 <<'EOF' /__cacert_entrypoint.sh`,
      `#!/usr/bin/env bash`,
      `set -e`,
      `# Opt-in is only activated if the environment variable is set`,
      `if [ -n "$USE_SYSTEM_CA_CERTS" ]; then`,
      `    if [ ! -w /tmp ]; then`,
      `        echo "Using additional CA certificates requires write permissions to /tmp. Cannot create truststore."`,
      `        exit 1`,
      `    fi`,
      `    tmp_store=$(mktemp)`,
      `    for cert in /certificates/*.crt; do`,
      `        [ -e "$cert" ] || continue`,
      `        keytool -importcert -noprompt -keystore "$tmp_store" -storepass changeit -file "$cert" -alias "$(basename "$cert")"`,
      `    done`,
      `    export JAVA_TOOL_OPTIONS="\${JAVA_TOOL_OPTIONS} -Djavax.net.ssl.trustStore=\${tmp_store}"`,
      `fi`,
      `exec "$@"`,
      `EOF`,
      `ENTRYPOINT ["/__cacert_entrypoint.sh"]`,
    );
    if (r.chance(0.7)) parts.push(...javaApp(r, major));
    else parts.push(`CMD ["jshell"]`);
    return parts;
  },
  ruby(r, base) {
    const ver = `3.${r.int(1, 4)}.${r.int(0, 6)}`;
    const parts = fromSource(r, {
      name: 'ruby',
      base,
      user: null,
      vEnv: 'RUBY_VERSION',
      ver,
      url: 'https://cache.ruby-lang.org/pub/ruby/${RUBY_VERSION%.*}/ruby-$RUBY_VERSION.tar.xz',
      deb: ['bison', 'dpkg-dev', 'libgdbm-dev', 'ruby', 'autoconf', 'g++', 'gcc', 'libbz2-dev', 'libgdbm-compat-dev', 'libglib2.0-dev', 'libgmp-dev', 'libncurses-dev', 'libssl-dev', 'libxml2-dev', 'libxslt-dev', 'libyaml-dev', 'make', 'wget', 'xz-utils', 'zlib1g-dev', 'rustc'],
      apk: ['autoconf', 'bison', 'bzip2', 'bzip2-dev', 'ca-certificates', 'coreutils', 'dpkg-dev', 'dpkg', 'g++', 'gcc', 'gdbm-dev', 'glib-dev', 'libc-dev', 'libffi-dev', 'libxml2-dev', 'libxslt-dev', 'linux-headers', 'make', 'ncurses-dev', 'openssl', 'openssl-dev', 'patch', 'procps', 'readline-dev', 'ruby', 'tar', 'xz', 'yaml-dev', 'zlib-dev', 'rust'],
      configure: ['--disable-install-doc', '--enable-shared', '--enable-yjit'],
      post: [
        `# https://github.com/docker-library/ruby/issues/196`,
        `{ \\`,
        `\techo '#define ENABLE_PATH_CHECK 0'; \\`,
        `\techo; \\`,
        `\tcat file.c; \\`,
        `} > file.c.new`,
        `mv file.c.new file.c`,
        `autoconf`,
        `gem update --system`,
        `ruby --version`,
        `gem --version`,
        `bundle --version`,
      ],
      sub: 'ruby',
    });
    parts.splice(
      1,
      0,
      run(r, [`mkdir -p /usr/local/etc`, `{ \\`, `\techo 'install: --no-document'; \\`, `\techo 'update: --no-document'; \\`, `} >> /usr/local/etc/gemrc`]),
      `ENV LANG C.UTF-8`,
    );
    parts.push(
      `# don't create ".bundle" in all our apps`,
      `ENV GEM_HOME /usr/local/bundle`,
      `ENV BUNDLE_SILENCE_ROOT_WARNING=1 \\\n\tBUNDLE_APP_CONFIG="$GEM_HOME"`,
      `ENV PATH $GEM_HOME/bin:$PATH`,
      `RUN mkdir -p "$GEM_HOME" && chmod 1777 "$GEM_HOME"`,
    );
    if (r.chance(0.6)) parts.push(...rubyApp(r));
    else parts.push(`CMD [ "irb" ]`);
    return parts;
  },
  rust(r, base) {
    const ver = `1.${r.int(70, 84)}.${r.int(0, 2)}`;
    const parts = [header(r, 'rust', base)];
    parts[0] = parts[0].replace(/FROM (\S+)/, 'FROM $1 AS toolchain');
    parts.push(
      `ENV RUSTUP_HOME=/usr/local/rustup \\\n    CARGO_HOME=/usr/local/cargo \\\n    PATH=/usr/local/cargo/bin:$PATH \\\n    RUST_VERSION=${ver}`,
      base.pkg === 'apk' ? `RUN apk add --no-cache ca-certificates gcc musl-dev` : run(r, [`apt-get update`, `apt-get install -y --no-install-recommends ca-certificates gcc libc6-dev wget`, `rm -rf /var/lib/apt/lists/*`]),
    );
    const arms = (base.pkg === 'apk' ? APK_ARCHES.slice(0, 2) : DEB_ARCHES.slice(0, r.int(3, 6))).map(([a, b]) => [
      a,
      `${b === 'armv7l' ? 'armv7' : b === 'ppc64le' ? 'powerpc64le' : b}-unknown-linux-${base.pkg === 'apk' ? 'musl' : b === 'armv7l' ? 'gnueabihf' : 'gnu'}`,
      r.hex(64),
    ]);
    parts.push(
      run(r, [
        ...archCase(r, base, arms, 'rustArch').map((l) => l.replace(/SHA256=/, 'rustupSha256=')),
        `url="https://static.rust-lang.org/rustup/archive/1.27.1/\${rustArch}/rustup-init"`,
        `wget "$url"`,
        `echo "\${rustupSha256} *rustup-init" | sha256sum -c -`,
        `chmod +x rustup-init`,
        `./rustup-init -y --no-modify-path --profile minimal --default-toolchain $RUST_VERSION --default-host \${rustArch}`,
        `rm rustup-init`,
        `chmod -R a+w $RUSTUP_HOME $CARGO_HOME`,
        `rustup --version`,
        `cargo --version`,
        `rustc --version`,
      ]),
      toolFetch(r, base, TOOLS[1]),
      `ENV RUSTC_WRAPPER=/usr/local/bin/sccache SCCACHE_DIR=/var/cache/sccache`,
      toolFetch(r, base, TOOLS[5]),
      '',
      `FROM toolchain AS planner`,
      `WORKDIR /app`,
      `RUN cargo install cargo-chef --locked --version 0.1.${r.int(60, 70)}`,
      `COPY . .`,
      `RUN cargo chef prepare --recipe-path recipe.json`,
      '',
      `FROM toolchain AS builder`,
      `WORKDIR /app`,
      `COPY --from=planner /usr/local/cargo/bin/cargo-chef /usr/local/cargo/bin/cargo-chef`,
      `COPY --from=planner /app/recipe.json recipe.json`,
      `RUN --mount=type=cache,target=/usr/local/cargo/registry \\\n    cargo chef cook --release --recipe-path recipe.json`,
      `COPY . .`,
      run(r, [`cargo build --release --locked --bin app`, `strip target/release/app`, `cp target/release/app /usr/local/bin/app`, `/usr/local/bin/app --version`], { style: 'and' }),
      '',
      `FROM ${base.pkg === 'apk' ? 'alpine:3.20' : 'debian:bookworm-slim'} AS runtime`,
      base.pkg === 'apk'
        ? `RUN apk add --no-cache ca-certificates tini && addgroup -S app && adduser -S -G app app`
        : run(r, [`apt-get update`, `apt-get install -y --no-install-recommends ca-certificates tini`, `rm -rf /var/lib/apt/lists/*`, `groupadd --system app`, `useradd --system --gid app --home-dir /nonexistent --shell /usr/sbin/nologin app`]),
      `COPY --from=builder /usr/local/bin/app /usr/local/bin/app`,
      `USER app`,
      `EXPOSE 3000`,
      `ENTRYPOINT ["tini", "--"]`,
      `CMD ["app"]`,
    );
    return parts;
  },
  mongo(r, base) {
    const major = r.pick(['6.0', '7.0', '8.0']);
    const parts = [header(r, 'mongo', { ...base, from: base.pkg === 'apk' ? 'ubuntu:jammy' : base.from })];
    const b = base.pkg === 'apk' ? BASES.jammy : base;
    parts.push(
      run(r, [`groupadd --gid 999 --system mongodb`, `useradd --uid 999 --system --gid mongodb --home-dir /data/db mongodb`, `mkdir -p /data/db /data/configdb`, `chown -R mongodb:mongodb /data/db /data/configdb`]),
      run(r, [`apt-get update`, `apt-get install -y --no-install-recommends ca-certificates jq numactl procps`, `rm -rf /var/lib/apt/lists/*`]),
      `ENV GOSU_VERSION 1.17\nENV JSYAML_VERSION 3.13.1\nENV JSYAML_CHECKSUM ${r.hex(64)}`,
      run(r, [
        `savedAptMark="$(apt-mark showmanual)"`,
        `apt-get update`,
        `apt-get install -y --no-install-recommends gnupg wget`,
        `rm -rf /var/lib/apt/lists/*`,
        `dpkgArch="$(dpkg --print-architecture | awk -F- '{ print $NF }')"`,
        `wget -O /usr/local/bin/gosu "https://github.com/tianon/gosu/releases/download/$GOSU_VERSION/gosu-$dpkgArch"`,
        `wget -O /usr/local/bin/gosu.asc "https://github.com/tianon/gosu/releases/download/$GOSU_VERSION/gosu-$dpkgArch.asc"`,
        `export GNUPGHOME="$(mktemp -d)"`,
        `gpg --batch --keyserver hkps://keys.openpgp.org --recv-keys ${fingerprint(r)}`,
        `gpg --batch --verify /usr/local/bin/gosu.asc /usr/local/bin/gosu`,
        `mkdir -p /opt/js-yaml/`,
        `wget -O /opt/js-yaml/js-yaml.tgz https://registry.npmjs.org/js-yaml/-/js-yaml-$JSYAML_VERSION.tgz`,
        `echo "$JSYAML_CHECKSUM */opt/js-yaml/js-yaml.tgz" | sha256sum -c -`,
        `tar -xz --strip-components=1 -f /opt/js-yaml/js-yaml.tgz -C /opt/js-yaml package/dist/js-yaml.js package/package.json`,
        `rm /opt/js-yaml/js-yaml.tgz`,
        `ln -s /opt/js-yaml/dist/js-yaml.js /js-yaml.js`,
        `gpgconf --kill all`,
        `rm -rf "$GNUPGHOME" /usr/local/bin/gosu.asc`,
        `apt-mark auto '.*' > /dev/null`,
        `apt-mark manual $savedAptMark > /dev/null`,
        `apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportance=false`,
        `chmod +x /usr/local/bin/gosu`,
        `gosu --version`,
        `gosu nobody true`,
      ]),
      `RUN mkdir /docker-entrypoint-initdb.d`,
      run(r, [
        `export GNUPGHOME="$(mktemp -d)"`,
        `set -- '${fingerprint(r)}'`,
        `for key; do \\`,
        `\tgpg --batch --keyserver keyserver.ubuntu.com --recv-keys "$key"; \\`,
        `done`,
        `mkdir -p /etc/apt/keyrings`,
        `gpg --batch --export "$@" > /etc/apt/keyrings/mongodb.gpg`,
        `gpgconf --kill all`,
        `rm -rf "$GNUPGHOME"`,
      ]),
      `ARG MONGO_PACKAGE=mongodb-org\nARG MONGO_REPO=repo.mongodb.org\nENV MONGO_PACKAGE=\${MONGO_PACKAGE} MONGO_REPO=\${MONGO_REPO}`,
      `ENV MONGO_MAJOR ${major}`,
      `RUN echo "deb [ signed-by=/etc/apt/keyrings/mongodb.gpg ] http://$MONGO_REPO/apt/ubuntu ${b.dist}/\${MONGO_PACKAGE%-unstable}/$MONGO_MAJOR multiverse" | tee "/etc/apt/sources.list.d/\${MONGO_PACKAGE%-unstable}.list"`,
      `ENV MONGO_VERSION ${major}.${r.int(1, 19)}`,
      run(r, [
        `export DEBIAN_FRONTEND=noninteractive`,
        `apt-get update`,
        `ln -s /bin/true /usr/local/bin/systemctl`,
        `apt-get install -y \\`,
        `\t\${MONGO_PACKAGE}=$MONGO_VERSION \\`,
        `\t\${MONGO_PACKAGE}-server=$MONGO_VERSION \\`,
        `\t\${MONGO_PACKAGE}-shell=$MONGO_VERSION \\`,
        `\t\${MONGO_PACKAGE}-mongos=$MONGO_VERSION \\`,
        `\t\${MONGO_PACKAGE}-tools=$MONGO_VERSION \\`,
        `\t`,
        `rm -f /usr/local/bin/systemctl`,
        `rm -rf /var/lib/apt/lists/*`,
        `rm -rf /var/lib/mongodb`,
        `mv /etc/mongod.conf /etc/mongod.conf.orig`,
      ]),
      `VOLUME /data/db /data/configdb`,
      `ENV HOME /data/db`,
      entrypointHeredoc(r, 'mongo', 'mongodb', 'mongod'),
      `ENTRYPOINT ["docker-entrypoint.sh"]`,
      `EXPOSE 27017`,
      `CMD ["mongod"]`,
    );
    return parts;
  },
  elasticsearch(r, base) {
    const ver = `8.${r.int(10, 17)}.${r.int(0, 4)}`;
    const parts = [];
    parts.push(
      `FROM ${base.pkg === 'apk' ? 'ubuntu:22.04' : base.from} AS builder`,
      run(r, [
        `for iter in 1 2 3 4 5 6 7 8 9 10; do \\`,
        `\tapt-get update && \\`,
        `\tapt-get install -y --no-install-recommends curl ca-certificates && \\`,
        `\texit_code=0 && break || \\`,
        `\texit_code=$? && echo "apt-get error: retry $iter in 10s" && sleep 10; \\`,
        `done`,
        `exit $exit_code`,
      ]),
      `ENV TINI_VERSION v0.19.0`,
      run(r, [
        `case "$(arch)" in \\`,
        `\taarch64) tini_bin='tini-arm64'; tini_sum='${r.hex(64)}' ;; \\`,
        `\tx86_64) tini_bin='tini-amd64'; tini_sum='${r.hex(64)}' ;; \\`,
        `\t*) echo >&2 "Unsupported architecture $(arch)"; exit 1 ;; \\`,
        `esac`,
        `curl --retry 10 -S -L -O "https://github.com/krallin/tini/releases/download/$TINI_VERSION/\${tini_bin}"`,
        `echo "\${tini_sum}  \${tini_bin}" | sha256sum -c -`,
        `mv \${tini_bin} /bin/tini`,
        `chmod 0555 /bin/tini`,
      ]),
      `RUN mkdir /usr/share/elasticsearch`,
      `WORKDIR /usr/share/elasticsearch`,
      `ENV ES_VERSION ${ver}`,
      run(r, [
        `case "$(arch)" in aarch64) esArch='aarch64' ;; x86_64) esArch='x86_64' ;; *) exit 1 ;; esac`,
        `curl --retry 10 -S -L --output /tmp/elasticsearch.tar.gz "https://artifacts.elastic.co/downloads/elasticsearch/elasticsearch-$ES_VERSION-linux-$esArch.tar.gz"`,
        `curl --retry 10 -S -L --output /tmp/elasticsearch.tar.gz.sha512 "https://artifacts.elastic.co/downloads/elasticsearch/elasticsearch-$ES_VERSION-linux-$esArch.tar.gz.sha512"`,
        `cd /tmp && echo "$(cut -d' ' -f1 elasticsearch.tar.gz.sha512)  elasticsearch.tar.gz" | sha512sum -c - && cd -`,
        `tar -zxf /tmp/elasticsearch.tar.gz --strip-components=1`,
        `rm /tmp/elasticsearch.tar.gz /tmp/elasticsearch.tar.gz.sha512`,
      ]),
      run(r, [
        `sed -i -e 's/ES_DISTRIBUTION_TYPE=tar/ES_DISTRIBUTION_TYPE=docker/' bin/elasticsearch-env`,
        `mkdir data`,
        `mv config/jvm.options config/jvm.options.orig`,
        `find . -type f -name '*.options' -exec sed -i -e 's/^-XX:+HeapDumpOnOutOfMemoryError$/# &/' {} +`,
        `find . -type d -exec chmod 0555 {} +`,
        `find . -type f -exec chmod 0444 {} +`,
        `chmod 0555 bin/* jdk/bin/* jdk/lib/jspawnhelper modules/x-pack-ml/platform/linux-*/bin/*`,
        `chmod 0775 bin config config/jvm.options.d data logs plugins`,
        `find config -type f -exec chmod 0664 {} +`,
      ]),
      `COPY --chmod=664 <<'EOF' config/elasticsearch.yml`,
      `cluster.name: "docker-cluster"`,
      `network.host: 0.0.0.0`,
      `EOF`,
      `COPY --chmod=664 <<'EOF' config/log4j2.properties`,
      `status = error`,
      `appender.rolling.type = Console`,
      `appender.rolling.name = rolling`,
      `appender.rolling.layout.type = ECSJsonLayout`,
      `appender.rolling.layout.dataset = elasticsearch.server`,
      `rootLogger.level = info`,
      `rootLogger.appenderRef.rolling.ref = rolling`,
      `EOF`,
      '',
      `FROM ${base.pkg === 'apk' ? 'ubuntu:22.04' : base.from}`,
      `ENV ELASTIC_CONTAINER true`,
      run(r, [
        `for iter in 1 2 3 4 5 6 7 8 9 10; do \\`,
        `\texport DEBIAN_FRONTEND=noninteractive && \\`,
        `\tapt-get update && \\`,
        `\tapt-get upgrade -y && \\`,
        `\tapt-get install -y --no-install-recommends \\`,
        `\t\tca-certificates curl netcat-openbsd p11-kit unzip zip && \\`,
        `\tapt-get clean && \\`,
        `\trm -rf /var/lib/apt/lists/* && \\`,
        `\texit_code=0 && break || \\`,
        `\texit_code=$? && echo "apt-get error: retry $iter in 10s" && sleep 10; \\`,
        `done`,
        `exit $exit_code`,
      ]),
      run(r, [`groupadd -g 1000 elasticsearch`, `adduser --uid 1000 --gid 1000 --home /usr/share/elasticsearch elasticsearch`, `adduser elasticsearch root`, `chown -R 0:0 /usr/share/elasticsearch`]),
      `ENV ELASTIC_CONTAINER true`,
      `WORKDIR /usr/share/elasticsearch`,
      `COPY --from=builder --chown=0:0 /usr/share/elasticsearch /usr/share/elasticsearch`,
      `COPY --from=builder --chown=0:0 /bin/tini /bin/tini`,
      `ENV PATH /usr/share/elasticsearch/bin:$PATH`,
      `ENV SHELL /bin/bash`,
      run(r, [
        `chmod g=u /etc/passwd`,
        `find / -xdev -perm -4000 -exec chmod ug-s {} +`,
        `chmod 0775 /usr/share/elasticsearch`,
        `chown elasticsearch bin config config/jvm.options.d data logs plugins`,
      ]),
      `RUN find /usr/share/elasticsearch/jdk -type d -exec chmod 0755 {} + && \\\n    /usr/share/elasticsearch/bin/elasticsearch-keystore create`,
      `EXPOSE 9200 9300`,
      `LABEL org.label-schema.name="Elasticsearch" \\\n  org.label-schema.version="${ver}" \\\n  org.opencontainers.image.title="Elasticsearch" \\\n  org.opencontainers.image.version="${ver}"`,
      `ENTRYPOINT ["/bin/tini", "--", "/usr/local/bin/docker-entrypoint.sh"]`,
      `CMD ["eswrapper"]`,
      `USER 1000:0`,
      `HEALTHCHECK --interval=10s --start-period=2m --retries=5 CMD curl -fsS http://localhost:9200/_cluster/health || exit 1`,
    );
    return parts;
  },
  haproxy(r, base) {
    const parts = fromSource(r, {
      name: 'haproxy',
      base,
      user: 'haproxy',
      uid: 99,
      vEnv: 'HAPROXY_VERSION',
      ver: `2.${r.int(6, 9)}.${r.int(1, 15)}`,
      url: 'https://www.haproxy.org/download/2.9/src/haproxy-$HAPROXY_VERSION.tar.gz',
      deb: ['gcc', 'libc6-dev', 'liblua5.4-dev', 'libpcre2-dev', 'libssl-dev', 'make', 'wget'],
      apk: ['gcc', 'libc-dev', 'linux-headers', 'lua5.4-dev', 'make', 'openssl', 'openssl-dev', 'pcre2-dev', 'readline-dev', 'tar'],
      configure: ['--prefix=/usr/local'],
      post: [
        `makeOpts=' \\`,
        `\tTARGET=linux-glibc \\`,
        `\tUSE_GETADDRINFO=1 \\`,
        `\tUSE_LUA=1 LUA_INC=/usr/include/lua5.4 \\`,
        `\tUSE_OPENSSL=1 \\`,
        `\tUSE_PCRE2=1 USE_PCRE2_JIT=1 \\`,
        `\tUSE_PROMEX=1 \\`,
        `\tEXTRA_OBJS=" \\`,
        `\t" \\`,
        `'`,
        `dpkgArch="$(dpkg --print-architecture)"`,
        `case "$dpkgArch" in \\`,
        `\tarmel) makeOpts="$makeOpts ADDLIB=-latomic" ;; \\`,
        `esac`,
        `nproc="$(nproc)"`,
        `eval "make -C /usr/src/haproxy -j '$nproc' all $makeOpts"`,
        `eval "make -C /usr/src/haproxy install-bin $makeOpts"`,
        `mkdir -p /usr/local/etc/haproxy`,
        `cp -R /usr/src/haproxy/examples/errorfiles /usr/local/etc/haproxy/errors`,
      ],
      keys: 0,
      sub: 'haproxy',
    });
    parts.push(`STOPSIGNAL SIGUSR1`, entrypointHeredoc(r, 'haproxy', 'haproxy', 'haproxy'), `USER haproxy`, `WORKDIR /var/lib/haproxy`, `ENTRYPOINT ["docker-entrypoint.sh"]`, `CMD ["haproxy", "-f", "/usr/local/etc/haproxy/haproxy.cfg"]`);
    return parts;
  },
  memcached(r, base) {
    const parts = fromSource(r, {
      name: 'memcached',
      base,
      user: 'memcache',
      uid: 11211,
      vEnv: 'MEMCACHED_VERSION',
      ver: `1.6.${r.int(20, 32)}`,
      url: 'https://memcached.org/files/memcached-$MEMCACHED_VERSION.tar.gz',
      deb: ['ca-certificates', 'dpkg-dev', 'gcc', 'libc6-dev', 'libevent-dev', 'libio-socket-ssl-perl', 'libsasl2-dev', 'libssl-dev', 'make', 'perl', 'wget'],
      apk: ['ca-certificates', 'coreutils', 'cyrus-sasl-dev', 'gcc', 'libc-dev', 'libevent-dev', 'linux-headers', 'make', 'openssl', 'openssl-dev', 'perl', 'perl-io-socket-ssl', 'perl-utils'],
      configure: ['--enable-extstore', '--enable-proxy', '--enable-sasl', '--enable-sasl-pwdb', '--enable-tls'],
      post: [`memcached -V`],
      sub: 'memcached',
    });
    parts.push(entrypointHeredoc(r, 'memcached', 'memcache', 'memcached'), `USER memcache`, `EXPOSE 11211`, `ENTRYPOINT ["docker-entrypoint.sh"]`, `CMD ["memcached"]`);
    return parts;
  },
};

// Application stages appended to runtime images, as teams build on top of them.
function pythonApp(r) {
  return [
    `ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1`,
    `WORKDIR /app`,
    `RUN groupadd --system --gid 10001 app && useradd --system --uid 10001 --gid app --home-dir /app --shell /usr/sbin/nologin app`,
    `COPY requirements.txt requirements-lock.txt ./`,
    run(r, [
      `python -m venv /opt/venv`,
      `/opt/venv/bin/pip install --no-cache-dir --require-hashes -r requirements-lock.txt`,
      `/opt/venv/bin/pip check`,
      `find /opt/venv -name '__pycache__' -type d -prune -exec rm -rf '{}' +`,
    ]),
    `ENV PATH=/opt/venv/bin:$PATH`,
    `COPY --chown=app:app . .`,
    `RUN python -m compileall -q /app && python -c 'import app; print(app.__version__)'`,
    `USER app`,
    `EXPOSE 8000`,
    `HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:8000/healthz'); sys.exit(0)"`,
    `CMD ["gunicorn", "--bind", "0.0.0.0:8000", "--workers", "4", "app.wsgi:application"]`,
  ];
}
function nodeApp(r, major) {
  return [
    '',
    `FROM node:${major}-bookworm-slim AS deps`,
    `WORKDIR /app`,
    `COPY package.json package-lock.json ./`,
    `RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --ignore-scripts`,
    '',
    `FROM node:${major}-bookworm-slim AS build`,
    `WORKDIR /app`,
    `COPY package.json package-lock.json ./`,
    `RUN --mount=type=cache,target=/root/.npm npm ci`,
    `COPY . .`,
    `RUN npm run build && npm test -- --ci`,
    '',
    `FROM node:${major}-bookworm-slim`,
    `ENV NODE_ENV=production`,
    `WORKDIR /app`,
    `COPY --from=deps --chown=node:node /app/node_modules ./node_modules`,
    `COPY --from=build --chown=node:node /app/dist ./dist`,
    `COPY --chown=node:node package.json ./`,
    `USER node`,
    `EXPOSE 3000`,
    `CMD ["node", "dist/server.js"]`,
  ];
}
function phpApp(r) {
  return [
    `RUN docker-php-ext-install -j"$(nproc)" opcache pdo_mysql bcmath`,
    `COPY --from=composer:2 /usr/bin/composer /usr/local/bin/composer`,
    `COPY composer.json composer.lock ./`,
    `RUN composer install --no-dev --no-scripts --no-autoloader --prefer-dist --no-interaction`,
    `COPY --chown=www-data:www-data . .`,
    `RUN composer dump-autoload --optimize --classmap-authoritative && php artisan config:cache`,
    `USER www-data`,
  ];
}
function rubyApp(r) {
  return [
    `WORKDIR /app`,
    `COPY Gemfile Gemfile.lock ./`,
    run(r, [`bundle config set --local deployment 'true'`, `bundle config set --local without 'development test'`, `bundle install --jobs "$(nproc)"`, `rm -rf "$GEM_HOME/cache"`]),
    `COPY . .`,
    `RUN useradd --system --create-home --uid 1001 rails && chown -R rails:rails /app/tmp /app/log`,
    `USER rails`,
    `EXPOSE 3000`,
    `CMD ["bundle", "exec", "puma", "-C", "config/puma.rb"]`,
  ];
}
function javaApp(r, major) {
  return [
    '',
    `FROM eclipse-temurin:${major}-jdk AS build`,
    `WORKDIR /workspace`,
    `COPY gradlew settings.gradle.kts build.gradle.kts ./`,
    `COPY gradle gradle`,
    `RUN --mount=type=cache,target=/root/.gradle ./gradlew --no-daemon dependencies`,
    `COPY src src`,
    `RUN --mount=type=cache,target=/root/.gradle ./gradlew --no-daemon bootJar -x test && \\\n    java -Djarmode=layertools -jar build/libs/app.jar extract --destination /extracted`,
    '',
    `FROM eclipse-temurin:${major}-jre`,
    `RUN useradd --system --uid 10001 --user-group spring`,
    `WORKDIR /app`,
    `COPY --from=build /extracted/dependencies/ ./`,
    `COPY --from=build /extracted/spring-boot-loader/ ./`,
    `COPY --from=build /extracted/snapshot-dependencies/ ./`,
    `COPY --from=build /extracted/application/ ./`,
    `USER spring`,
    `EXPOSE 8080`,
    `ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "org.springframework.boot.loader.launch.JarLauncher"]`,
  ];
}

// ---------------------------------------------------------------------------------------------

const PLAN = [
  ['postgres', ['bookworm', 'alpine320', 'bullseye', 'alpine319', 'bookworm']],
  ['python', ['bookworm', 'alpine320', 'bullseye', 'jammy', 'bookworm']],
  ['node', ['bookworm', 'alpine320', 'bullseye', 'alpine319', 'bookworm']],
  ['php', ['bookworm', 'alpine320', 'bullseye', 'alpine319', 'bookworm']],
  ['nginx', ['bookworm', 'alpine320', 'alpine319', 'bookworm']],
  ['redis', ['bookworm', 'alpine320', 'bullseye', 'alpine319']],
  ['mysql', ['bookworm', 'alpine320', 'bookworm']],
  ['golang', ['bookworm', 'alpine320', 'bullseye', 'alpine319']],
  ['openjdk', ['jammy', 'noble', 'alpine320', 'jammy']],
  ['ruby', ['bookworm', 'alpine320', 'bullseye', 'alpine319']],
  ['rust', ['bookworm', 'alpine320', 'bullseye', 'bookworm']],
  ['httpd', ['bookworm', 'alpine320', 'bullseye', 'alpine319']],
  ['mongo', ['jammy', 'noble', 'jammy']],
  ['elasticsearch', ['jammy', 'noble', 'jammy']],
  ['haproxy', ['bookworm', 'alpine320', 'bullseye']],
  ['memcached', ['bookworm', 'alpine320', 'bullseye']],
];

// Joins the parts with a blank line between instructions, but not inside a heredoc's body.
function assemble(parts) {
  let out = '';
  let inHeredoc = false;
  for (const p of parts) {
    if (p === null || p === undefined) continue;
    if (out) out += inHeredoc ? '\n' : '\n\n';
    out += p;
    for (const line of p.split('\n')) {
      if (!inHeredoc && /<<-?'?EOF'?/.test(line)) inHeredoc = true;
      else if (inHeredoc && line.trim() === 'EOF') inHeredoc = false;
    }
  }
  return out;
}

function generate() {
  const files = new Map();
  let n = 0;
  for (const [image, variants] of PLAN) {
    variants.forEach((variant, i) => {
      n++;
      const r = rng(`${SEED}/${image}/${variant}/${i}`);
      const text = `${assemble(IMAGES[image](r, BASES[variant])).replace(/\n{3,}/g, '\n\n')}\n`;
      files.set(`${String(n).padStart(2, '0')}-${image}-${variant}${i > 0 && variants.indexOf(variant) !== i ? `-${i}` : ''}.Dockerfile`, text);
    });
  }
  return files;
}

const files = generate();
if (process.argv.includes('--check')) {
  let bad = 0;
  for (const [name, text] of files) {
    let have = '';
    try {
      have = readFileSync(join(OUT, name), 'utf8');
    } catch {}
    if (have !== text) {
      console.error(`${name}: differs from the generator's output`);
      bad++;
    }
  }
  process.exit(bad ? 1 : 0);
}
for (const f of readdirSync(OUT)) if (f.endsWith('.Dockerfile') && !files.has(f)) unlinkSync(join(OUT, f));
for (const [name, text] of files) writeFileSync(join(OUT, name), text);
const sizes = [...files.values()].map((t) => t.split('\n').length - 1).sort((a, b) => a - b);
console.log(`${files.size} files, ${sizes[0]}–${sizes.at(-1)} lines (median ${sizes[Math.floor(sizes.length / 2)]})`);
