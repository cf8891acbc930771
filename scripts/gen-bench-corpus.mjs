#!/usr/bin/env node
// Generates the linter benchmark corpus: bench/corpus/NNN-<topic>.Dockerfile.
//
// Deterministic: the same SEED always yields byte-identical files, so the committed corpus can be
// regenerated and checked (`--check`). Every file draws its own random stream from SEED and its
// number, picks an archetype (an ecosystem and a style), and composes it from realistic fragments.
// Numbers below FIRST are reserved for the hand-written files, which this script never touches.
//
// Usage: node scripts/gen-bench-corpus.mjs [--check] [--out <dir>]
import { existsSync, mkdirSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hashString, mulberry32 } from './seeded-random.mjs';

const SEED = 'drydock-bench-corpus/v1';
const FIRST = 41;

// How many files of each archetype; the schedule is shuffled so that archetypes interleave.
const QUOTAS = {
  node: 28,
  python: 28,
  go: 18,
  java: 14,
  ruby: 10,
  php: 12,
  rust: 9,
  dotnet: 9,
  nginx: 10,
  debianService: 16,
  alpineService: 12,
  infra: 14,
  heredoc: 12,
  onbuild: 6,
  tools: 14,
  rhel: 10,
  windows: 4,
  legacy: 12,
  tiny: 8,
  misc: 6,
};

// ---------------------------------------------------------------------------------------------
// Randomness

const makeRng = (seed) => {
  const next = mulberry32(hashString(seed));
  const int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));
  const shuffle = (arr) => {
    const a = [...arr];
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [a[i], a[j]] = [a[j], a[i]];
    }
    return a;
  };
  return {
    next,
    int,
    shuffle,
    chance: (p) => next() < p,
    pick: (arr) => arr[Math.floor(next() * arr.length)],
    some: (arr, lo, hi) => shuffle(arr).slice(0, int(lo, Math.min(hi, arr.length))),
    weighted: (entries) => {
      const total = entries.reduce((n, [, w]) => n + w, 0);
      let x = next() * total;
      for (const [value, w] of entries) {
        x -= w;
        if (x < 0) return value;
      }
      return entries[entries.length - 1][0];
    },
  };
};

// ---------------------------------------------------------------------------------------------
// Document builder and RUN renderer

const isComment = (c) => typeof c === 'object' && c !== null && !Array.isArray(c) && 'comment' in c;
const note = (comment) => ({ comment });
// A bare continuation line (`\t\`), which the official images use as a visual break.
const BREAK = Object.freeze({ brk: true });
const isBreak = (c) => c === BREAK;

class Doc {
  constructor(r) {
    this.r = r;
    this.lines = [];
    this.upper = r.chance(0.95);
    this.ind = r.weighted([
      ['    ', 8],
      ['  ', 3],
      ['\t', 3],
      ['        ', 1],
      [' ', 1],
    ]);
    this.ind2 = this.ind === '\t' ? '\t\t' : this.ind === ' ' ? '   ' : `${this.ind}    `;
    this.mode = r.weighted([
      ['leading', 5],
      ['trailing', 5],
    ]);
    // 0: careful authors, 1: typical, 2: careless or old. Scales every bad-practice probability.
    this.sloppy = r.weighted([
      [0, 40],
      [1, 40],
      [2, 20],
    ]);
    this.pinPkgs = r.chance([0.3, 0.12, 0.03][this.sloppy]);
  }

  kw(word) {
    return this.upper ? word : word.toLowerCase();
  }

  /** Returns true with probability p for a typical file, less for careful ones, more for careless. */
  bad(p) {
    return this.r.chance(Math.min(1, p * [0.3, 1, 2.2][this.sloppy]));
  }

  line(...ls) {
    this.lines.push(...ls);
    return this;
  }

  blank() {
    if (this.lines.length > 0 && this.lines[this.lines.length - 1] !== '') this.lines.push('');
    return this;
  }

  comment(text) {
    this.lines.push(`# ${text}`);
    return this;
  }

  ins(word, rest) {
    this.lines.push(`${this.kw(word)} ${rest}`);
    return this;
  }

  from(image, alias) {
    const as = alias ? ` ${this.upper && this.r.chance(0.92) ? 'AS' : 'as'} ${alias}` : '';
    return this.ins('FROM', `${image}${as}`);
  }

  run(cmds, opts = {}) {
    this.lines.push(...renderRun(this, cmds, opts));
    return this;
  }

  /** ENV in the modern form, or (rarely, and in old-style files) the legacy space-separated form. */
  env(pairs, legacy = false) {
    const entries = Object.entries(pairs);
    if (legacy) {
      for (const [k, v] of entries) this.ins('ENV', `${k} ${v}`);
    } else if (entries.length > 2 && this.r.chance(0.6)) {
      this.lines.push(
        ...entries.map(([k, v], i) => {
          const head = i === 0 ? `${this.kw('ENV')} ` : this.ind;
          return `${head}${k}=${quoteIfNeeded(v)}${i < entries.length - 1 ? ' \\' : ''}`;
        }),
      );
    } else if (entries.length > 1 && this.r.chance(0.4)) {
      this.ins('ENV', entries.map(([k, v]) => `${k}=${quoteIfNeeded(v)}`).join(' '));
    } else {
      for (const [k, v] of entries) this.ins('ENV', `${k}=${quoteIfNeeded(v)}`);
    }
    return this;
  }

  labels(pairs) {
    const entries = Object.entries(pairs);
    if (entries.length === 0) return this;
    if (entries.length === 1 || this.r.chance(0.3)) {
      for (const [k, v] of entries) this.ins('LABEL', `${k}="${v}"`);
    } else {
      this.lines.push(
        ...entries.map(([k, v], i) => {
          const head = i === 0 ? `${this.kw('LABEL')} ` : this.ind;
          return `${head}${k}="${v}"${i < entries.length - 1 ? ' \\' : ''}`;
        }),
      );
    }
    return this;
  }

  healthcheck(cmd, opts = {}) {
    const interval = opts.interval ?? this.r.pick(['30s', '30s', '15s', '10s', '1m']);
    const flags = [`--interval=${interval}`, `--timeout=${opts.timeout ?? this.r.pick(['3s', '5s', '10s'])}`];
    if (this.r.chance(0.6)) flags.push(`--start-period=${this.r.pick(['5s', '10s', '20s', '30s', '60s'])}`);
    if (this.r.chance(0.7)) flags.push(`--retries=${this.r.pick([3, 3, 5])}`);
    if (this.r.chance(0.5)) {
      this.ins('HEALTHCHECK', `${flags.join(' ')} \\`);
      this.lines.push(`${this.ind}${this.kw('CMD')} ${cmd}`);
    } else {
      this.ins('HEALTHCHECK', `${flags.join(' ')} ${this.kw('CMD')} ${cmd}`);
    }
    return this;
  }

  text() {
    while (this.lines.length > 0 && this.lines[this.lines.length - 1] === '') this.lines.pop();
    return `${this.lines.join('\n')}\n`;
  }
}

const quoteIfNeeded = (v) => (/[\s"]/.test(String(v)) && !/^".*"$/.test(String(v)) ? `"${v}"` : String(v));

/** Exec-form JSON array. */
const exec = (...args) => `[${args.map((a) => `"${a}"`).join(', ')}]`;

/**
 * Renders a RUN instruction. A command is a string, an array (first element the command, the
 * rest continuation arguments such as package names), or note('text') for a comment line inside
 * the continuation.
 */
function renderRun(d, cmds, opts = {}) {
  const items = cmds.filter(Boolean);
  while (items.length > 0 && (isComment(items[items.length - 1]) || isBreak(items[items.length - 1])))
    items.pop();
  const mode = opts.mode ?? d.mode;
  const { ind, ind2 } = d;
  const head = `${opts.prefix ?? ''}${d.kw('RUN')}`;
  const mounts = (opts.mounts ?? []).map(
    (m) => `--${m.startsWith('network') || m.startsWith('security') ? '' : 'mount='}${m}`,
  );
  const pre = [];
  while (items.length > 0 && isComment(items[0])) pre.push(`# ${items.shift().comment}`);

  if (mode === 'inline') {
    const body = items
      .filter((c) => !isComment(c) && !isBreak(c))
      .map((c) => (Array.isArray(c) ? c.join(' ') : c))
      .join(opts.joiner ?? ' && ');
    return [...pre, [head, ...mounts, body].join(' ')];
  }

  const lines = [...pre];
  let lead = head;
  if (mounts.length > 1 || (mounts.length === 1 && mounts[0].length > 48)) {
    lines.push(`${head} ${mounts[0]} \\`);
    for (const m of mounts.slice(1)) lines.push(`${ind}${m} \\`);
    lead = null;
  } else if (mounts.length === 1) {
    lead = `${head} ${mounts[0]}`;
  }

  let started = false;
  items.forEach((c, i) => {
    if (isBreak(c)) {
      if (started) lines.push(`${ind}\\`);
      return;
    }
    if (isComment(c)) {
      lines.push(`${ind}# ${c.comment}`);
      return;
    }
    const parts = Array.isArray(c) ? c : [c];
    const last = i === items.length - 1;
    let text = parts[0];
    if (!started) text = lead ? `${lead} ${text}` : `${ind}${text}`;
    else text = mode === 'leading' ? `${ind}&& ${text}` : `${ind}${text}`;
    started = true;
    const all = [text, ...parts.slice(1).map((a) => `${ind2}${a}`)];
    const sep = last ? '' : mode === 'leading' ? ' \\' : mode === 'trailing' ? ' && \\' : '; \\';
    if (mode === 'semi' && all.length > 1 && !last) {
      for (const l of all) lines.push(`${l} \\`);
      lines.push(`${ind}; \\`);
    } else {
      all.forEach((l, j) => {
        // A comment line inside a continuation takes no backslash: the builder drops it.
        if (l.trimStart().startsWith('#')) lines.push(l);
        else lines.push(j === all.length - 1 ? l + sep : `${l} \\`);
      });
    }
  });
  return lines;
}

// ---------------------------------------------------------------------------------------------
// Package managers

const PINS = {
  debian: {
    'ca-certificates': '20230311',
    curl: '7.88.1-10+deb12u5',
    wget: '1.21.3-1+b2',
    git: '1:2.39.2-1.1',
    gnupg: '2.2.40-1.1',
    dirmngr: '2.2.40-1.1',
    tzdata: '2024a-0+deb12u1',
    procps: '2:4.0.2-3',
    tini: '0.19.0-1',
    'dumb-init': '1.2.5-2',
    libpq5: '15.6-0+deb12u1',
    'libpq-dev': '15.6-0+deb12u1',
    'build-essential': '12.9',
    gcc: '4:12.2.0-3',
    make: '4.3-4.1',
    jq: '1.6-2.1',
    unzip: '6.0-28',
    'xz-utils': '5.4.1-0.2',
    openssl: '3.0.11-1~deb12u2',
    'netcat-openbsd': '1.219-1',
    locales: '2.36-9+deb12u4',
    'postgresql-client': '15+248',
    'pkg-config': '1.8.1-1',
    'libssl-dev': '3.0.11-1~deb12u2',
    'libffi-dev': '3.4.4-1',
    'openssh-client': '1:9.2p1-2+deb12u2',
    rsync: '3.2.7-1',
    bzip2: '1.0.8-5+b1',
    'zlib1g-dev': '1:1.2.13.dfsg-1',
    libvips42: '8.14.1-3+deb12u1',
    'default-mysql-client': '1.1.0',
  },
  ubuntu: {
    curl: '7.81.0-1ubuntu1.16',
    'ca-certificates': '20230311ubuntu0.22.04.1',
    git: '1:2.34.1-1ubuntu1.10',
    wget: '1.21.2-2ubuntu1',
    gnupg: '2.2.27-3ubuntu2.1',
    tzdata: '2024a-0ubuntu0.22.04',
    python3: '3.10.6-1~22.04',
    'python3-pip': '22.0.2+dfsg-1ubuntu0.4',
    'openssh-server': '1:8.9p1-3ubuntu0.6',
    unzip: '6.0-26ubuntu3.2',
    jq: '1.6-2.1ubuntu3',
    'software-properties-common': '0.99.22.9',
    'build-essential': '12.9ubuntu3',
    sudo: '1.9.9-1ubuntu2.4',
  },
  alpine: {
    curl: '8.5.0-r0',
    'ca-certificates': '20240226-r0',
    bash: '5.2.21-r0',
    git: '2.43.0-r0',
    tzdata: '2024a-r0',
    tini: '0.19.0-r2',
    'su-exec': '0.2-r3',
    openssl: '3.1.4-r5',
    jq: '1.7.1-r0',
    'libc6-compat': '1.2.4_git20230717-r4',
    'postgresql16-client': '16.2-r0',
    make: '4.4.1-r2',
    gcc: '13.2.1_git20231014-r0',
    'musl-dev': '1.2.4_git20230717-r4',
    'libffi-dev': '3.4.4-r3',
    shadow: '4.14.2-r0',
    'dumb-init': '1.2.5-r3',
    nginx: '1.24.0-r15',
    'openssh-client-default': '9.6_p1-r0',
    'build-base': '0.5-r3',
  },
};

const pinned = (d, family, pkgs) =>
  pkgs.map((p) => (d.pinPkgs && PINS[family]?.[p] ? `${p}=${PINS[family][p]}` : p));

const maybeSort = (d, pkgs) => (d.r.chance(0.6) ? [...pkgs].sort() : pkgs);

const APT_NOTES = [
  'keep this list sorted',
  'runtime libraries only; build tools live in the builder stage',
  'TODO: pin versions',
  'tzdata and ca-certificates are needed at runtime',
];
const PKG_NOTES = [
  'used by the healthcheck',
  'native extension build deps',
  'TODO: remove after the migration',
  'debugging tools, see the runbook',
  'required by the entrypoint script',
];

/** Commands for an apt-get install, with the usual sins available. */
function apt(d, pkgs, o = {}) {
  const family = o.family ?? 'debian';
  const list = pinned(d, family, maybeSort(d, pkgs));
  const tool = !o.strict && d.bad(0.06) ? 'apt' : 'apt-get';
  const flags = [];
  if (o.strict || !d.bad(0.05)) flags.push('-y');
  if (o.noRec ?? (o.strict || !d.bad(0.35))) flags.push('--no-install-recommends');
  if (d.r.chance(0.15)) flags.reverse();
  const q = d.r.chance(0.15) ? ' -qq' : '';
  const install = `${tool}${q} install ${flags.join(' ')}`.replace(/\s+$/, '');
  const cmds = [];
  if (o.update !== false) cmds.push(`${tool} update${q}`);
  if (o.upgrade || (!o.strict && d.bad(0.06))) cmds.push(`${tool} upgrade -y`);
  if (o.comment || d.r.chance(0.06)) cmds.push(note(o.comment ?? d.r.pick(APT_NOTES)));
  if (list.length > 3 && (o.onePerLine ?? d.r.chance(0.7))) {
    const args = [...list];
    if (d.r.chance(0.15)) {
      const at = d.r.int(0, args.length - 1);
      args.splice(at, 0, `# ${d.r.pick(PKG_NOTES)}`);
    }
    cmds.push([install, ...args]);
  } else cmds.push(`${install} ${list.join(' ')}`);
  if (o.extra) cmds.push(...o.extra);
  if (o.clean ?? (o.strict || !d.bad(0.2))) {
    cmds.push(
      d.r.weighted([
        ['rm -rf /var/lib/apt/lists/*', 8],
        ['apt-get clean && rm -rf /var/lib/apt/lists/*', 2],
        ['rm -rf /var/lib/apt/lists/* /tmp/* /var/tmp/*', 1],
      ]),
    );
  }
  return cmds;
}

function apk(d, pkgs, o = {}) {
  const list = pinned(d, 'alpine', maybeSort(d, pkgs));
  const virtual = o.virtual ? ` --virtual ${o.virtual}` : '';
  const cmds = [];
  const noCache = o.strict || !d.bad(0.2);
  if (!noCache) cmds.push('apk update');
  if (!o.strict && d.bad(0.05)) cmds.push('apk upgrade');
  const head = `apk add${noCache ? ' --no-cache' : ''}${virtual}`;
  cmds.push(
    list.length > 4 && (o.onePerLine ?? d.r.chance(0.6)) ? [head, ...list] : `${head} ${list.join(' ')}`,
  );
  if (!noCache && d.r.chance(0.5)) cmds.push('rm -rf /var/cache/apk/*');
  return cmds;
}

function yum(d, pkgs, o = {}) {
  const tool = o.tool ?? 'yum';
  const list = maybeSort(d, pkgs);
  const y = o.strict || !d.bad(0.08) ? ' -y' : '';
  const extraFlags =
    tool === 'microdnf'
      ? d.r.chance(0.5)
        ? ' --nodocs --setopt=install_weak_deps=0'
        : ''
      : d.r.chance(0.35)
        ? ' --setopt=tsflags=nodocs'
        : '';
  const install = `${tool} install${y}${extraFlags}`;
  const cmds = [];
  if (!o.strict && d.bad(0.1)) cmds.push(`${tool} -y update`);
  cmds.push(list.length > 3 && d.r.chance(0.6) ? [install, ...list] : `${install} ${list.join(' ')}`);
  if (o.clean ?? (o.strict || !d.bad(0.3))) {
    cmds.push(
      tool === 'yum' && d.r.chance(0.5) ? 'yum clean all && rm -rf /var/cache/yum' : `${tool} clean all`,
    );
  }
  return cmds;
}

const pipInstall = (d, args, o = {}) => {
  const noCache = o.noCache ?? !d.bad(0.35);
  const pip = o.pip ?? d.r.pick(['pip', 'pip', 'pip3', 'python -m pip']);
  return `${pip} install${noCache ? ' --no-cache-dir' : ''} ${args}`;
};

// ---------------------------------------------------------------------------------------------
// Images

const img = (d, name, tags, o = {}) => {
  if (d.bad(o.latest ?? 0.08)) return d.r.chance(0.5) ? `${name}:latest` : name;
  return `${name}:${d.r.pick(tags)}`;
};

const TAGS = {
  node: [
    '20-alpine',
    '20-alpine3.19',
    '20-bookworm-slim',
    '20.11.1-alpine3.19',
    '20.12.2-bookworm-slim',
    '20-slim',
    '20',
    '22-alpine',
    '22-bookworm-slim',
    '18-alpine',
    '18-bullseye-slim',
    'lts-alpine',
  ],
  python: [
    '3.12-slim',
    '3.12-slim-bookworm',
    '3.12.2-slim-bookworm',
    '3.11-slim',
    '3.11-slim-bookworm',
    '3.11',
    '3.10-slim-bullseye',
    '3.12-alpine3.19',
    '3.11-alpine',
    '3.9-slim',
  ],
  golang: [
    '1.22',
    '1.22-alpine',
    '1.22.1-alpine3.19',
    '1.22-bookworm',
    '1.21-alpine',
    '1.21.8-bookworm',
    '1.23-alpine',
  ],
  debian: [
    'bookworm-slim',
    'bookworm-slim',
    'bookworm',
    '12-slim',
    'bookworm-20240311-slim',
    'bullseye-slim',
    '12',
  ],
  ubuntu: ['22.04', 'jammy', '24.04', 'noble', '20.04', 'jammy-20240227', 'focal'],
  alpine: ['3.19', '3.19', '3.20', '3.18', '3.19.1', '3.20.0'],
};

const debianBase = (d) => img(d, 'debian', TAGS.debian);
const ubuntuBase = (d) => img(d, 'ubuntu', TAGS.ubuntu, { latest: 0.12 });
const alpineBase = (d) => img(d, 'alpine', TAGS.alpine);
const codename = (image) =>
  /bullseye/.test(image)
    ? 'bullseye'
    : /focal|20\.04/.test(image)
      ? 'focal'
      : /noble|24\.04/.test(image)
        ? 'noble'
        : /jammy|22\.04|ubuntu/.test(image)
          ? 'jammy'
          : 'bookworm';

/** ARG-parameterised FROM: returns the image reference to use, after emitting the ARG. */
const argVersion = (d, argName, value) => {
  d.ins('ARG', `${argName}=${value}`);
  return `\${${argName}}`;
};

// Frequently reused fragments.
const SHA = (r, n = 64) => Array.from({ length: n }, () => '0123456789abcdef'[r.int(0, 15)]).join('');
const GPG_KEYS = [
  'B42F6819007F00F88E364FD4036A9C25BF357DD4',
  '8C718D3B5072E1F5D8BE3E7B2E7D2AD5C3D5A6B4',
  'A9C9E7D4E1F8C7A4A8D9F2EE44E4B5D9B1C6E3A2',
  '5A5C0E1F2B4D6E8F9A1B2C3D4E5F60718293A4B5',
  'F8D2A46B1A4C5E3D2B7E9A0C1D3F5E7A9B2C4D6E',
];

const shellPipefail = (d) => {
  d.ins('SHELL', exec('/bin/bash', '-o', 'pipefail', '-c'));
};

const userDebian = (d, name, uid) =>
  d.r.weighted([
    [
      `groupadd --system --gid ${uid} ${name} && useradd --system --uid ${uid} --gid ${name} --no-create-home ${name}`,
      3,
    ],
    [`groupadd -r ${name} && useradd -r -g ${name} ${name}`, 2],
    [`useradd --create-home --uid ${uid} --shell /usr/sbin/nologin ${name}`, 2],
    [`adduser --disabled-password --gecos "" --uid ${uid} ${name}`, 2],
  ]);

const userAlpine = (d, name, uid) =>
  d.r.weighted([
    [`addgroup -S -g ${uid} ${name} && adduser -S -D -H -u ${uid} -G ${name} ${name}`, 3],
    [`addgroup -S ${name} && adduser -S ${name} -G ${name}`, 3],
    [`adduser -D -u ${uid} ${name}`, 1],
  ]);

const isAlpine = (image) => /alpine/.test(image);
const SECRET_ENVS = [
  ['DB_PASSWORD', 'changeme123'],
  ['POSTGRES_PASSWORD', 'postgres'],
  ['AWS_ACCESS_KEY_ID', 'AKIAIOSFODNN7EXAMPLE'],
  ['AWS_SECRET_ACCESS_KEY', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
  ['API_TOKEN', 'tok_live_4f9a2c81d7e64b0a'],
  ['SECRET_KEY', 'django-insecure-9x#k2!p@r7m$q1w&e5t'],
  ['JWT_SECRET', 'my-super-secret-jwt-key'],
  ['MYSQL_ROOT_PASSWORD', 'root'],
  ['GITHUB_TOKEN', 'ghp_16C7e42F292c6912E7710c838347Ae178B4a'],
  ['STRIPE_SECRET_KEY', 'sk_test_4eC39HqLyjWDarjtT1zdp7dc'],
];
const secretEnv = (d) => {
  const [k, v] = d.r.pick(SECRET_ENVS);
  if (d.r.chance(0.3)) d.ins('ARG', `${k}=${v}`);
  else d.env({ [k]: v });
};

const maybeMaintainer = (d) => {
  const who = d.r.pick([
    'Jane Doe <jane@example.com>',
    'ops@example.com',
    'Platform Team <platform@acme.io>',
    'dev@company.local',
    'Max Mustermann <max@example.org>',
  ]);
  if (d.bad(0.08)) d.ins('MAINTAINER', who);
  else if (d.r.chance(0.35)) {
    if (d.r.chance(0.5)) d.labels({ maintainer: who.replace(/.*<(.*)>/, '$1') });
    else
      d.labels({
        'org.opencontainers.image.source': `https://github.com/${d.r.pick(['acme', 'example', 'contoso', 'initech'])}/${d.r.pick(['api', 'platform', 'services', 'web', 'tools'])}`,
        'org.opencontainers.image.authors': who.replace(/.*<(.*)>/, '$1'),
        ...(d.r.chance(0.5) ? { 'org.opencontainers.image.licenses': d.r.pick(['MIT', 'Apache-2.0']) } : {}),
      });
  }
};

const hadolintPragma = (d, ids) => {
  if (d.r.chance(0.07)) d.comment(`hadolint ignore=${ids}`);
};

// ---------------------------------------------------------------------------------------------
// Archetypes. Each takes a Doc, writes into it, and returns the file's topic.

const syntaxLine = (d, p = 0.18) => {
  if (d.r.chance(p)) {
    d.line(`# syntax=docker/dockerfile:${d.r.pick(['1', '1', '1.7', '1.6', '1.4'])}`);
    return true;
  }
  return false;
};

function node(d) {
  const { r } = d;
  const fw = r.pick(['express', 'fastify', 'nest', 'next', 'vite', 'worker', 'koa', 'remix', 'express']);
  const pm = r.weighted([
    ['npm', 6],
    ['yarn', 3],
    ['pnpm', 2],
  ]);
  const buildkit = syntaxLine(d);
  let base;
  if (r.chance(0.3)) {
    const [v, ...rest] = r.pick(TAGS.node).split('-');
    base = `node:${argVersion(d, 'NODE_VERSION', v)}${rest.length ? `-${rest.join('-')}` : ''}`;
    d.blank();
  } else {
    base = img(d, 'node', TAGS.node);
  }
  const alpine = isAlpine(base);
  const port =
    fw === 'next' || fw === 'remix' ? 3000 : fw === 'vite' ? 80 : r.pick([3000, 3000, 8080, 4000, 5000]);
  const lock = { npm: 'package-lock.json', yarn: 'yarn.lock', pnpm: 'pnpm-lock.yaml' }[pm];
  const copyManifests = () =>
    d.ins(
      'COPY',
      pm === 'npm' && r.chance(0.6)
        ? 'package*.json ./'
        : `package.json ${lock} ${r.chance(0.3) ? '.npmrc ' : ''}./`,
    );
  const installAll = {
    npm: d.bad(0.25) ? 'npm install' : 'npm ci',
    yarn: d.bad(0.2) ? 'yarn install' : 'yarn install --frozen-lockfile',
    pnpm: 'pnpm install --frozen-lockfile',
  }[pm];
  const installProd = {
    npm: r.pick([
      'npm ci --omit=dev',
      'npm ci --only=production',
      'npm ci --omit=dev && npm cache clean --force',
    ]),
    yarn: r.pick([
      'yarn install --frozen-lockfile --production',
      'yarn install --production --frozen-lockfile && yarn cache clean',
    ]),
    pnpm: 'pnpm install --frozen-lockfile --prod',
  }[pm];
  const runBuild = { npm: 'npm run build', yarn: 'yarn build', pnpm: 'pnpm run build' }[pm];
  const pmSetup =
    pm === 'pnpm'
      ? r.pick([
          'corepack enable',
          'corepack enable && corepack prepare pnpm@8.15.4 --activate',
          'npm install -g pnpm@8',
        ])
      : pm === 'yarn' && r.chance(0.25)
        ? 'corepack enable'
        : null;
  const cacheMount = {
    npm: 'type=cache,target=/root/.npm',
    yarn: 'type=cache,target=/usr/local/share/.cache/yarn',
    pnpm: 'type=cache,id=pnpm,target=/pnpm/store',
  }[pm];
  const install = (cmd) => (buildkit ? d.run([cmd], { mounts: [cacheMount] }) : d.ins('RUN', cmd));
  const workdir = r.pick(['/app', '/app', '/usr/src/app', '/home/node/app', '/opt/app']);
  const entry =
    { nest: 'dist/main.js', next: 'server.js', remix: 'build/index.js' }[fw] ??
    r.pick(['dist/index.js', 'dist/server.js', 'server.js', 'index.js', 'src/index.js']);
  const cmd = () => {
    if (d.bad(0.12)) d.ins('CMD', r.pick(['npm start', `node ${entry}`, 'npm run start:prod']));
    else if (fw === 'worker' && r.chance(0.5)) d.ins('CMD', exec('node', entry, '--queue', 'default'));
    else
      d.ins(
        'CMD',
        r.chance(0.75)
          ? exec('node', entry)
          : exec(pm === 'npm' ? 'npm' : pm, r.pick(['start', 'run', 'start'])).replace(
              '"run"]',
              '"run", "start:prod"]',
            ),
      );
  };
  const health = () => {
    if (fw !== 'worker' && r.chance(0.35)) {
      d.healthcheck(
        alpine
          ? `wget -qO- http://127.0.0.1:${port}/${r.pick(['health', 'healthz', 'api/health'])} || exit 1`
          : r.chance(0.5)
            ? `curl -fsS http://localhost:${port}/healthz || exit 1`
            : `node -e "require('http').get('http://localhost:${port}/health', r => process.exit(r.statusCode === 200 ? 0 : 1)).on('error', () => process.exit(1))"`,
      );
    }
  };
  const sysDeps = () => {
    const wants = r.some(
      alpine
        ? ['tini', 'libc6-compat', 'python3', 'make', 'g++', 'git', 'curl', 'dumb-init']
        : ['tini', 'dumb-init', 'curl', 'ca-certificates', 'python3', 'build-essential', 'git'],
      0,
      3,
    );
    if (wants.length === 0) return false;
    hadolintPragma(d, alpine ? 'DL3018' : 'DL3008');
    d.run(alpine ? apk(d, wants) : apt(d, wants), {
      mode: wants.length < 3 && r.chance(0.6) ? 'inline' : d.mode,
    });
    return wants.includes('tini') || wants.includes('dumb-init')
      ? wants.includes('tini')
        ? 'tini'
        : 'dumb-init'
      : false;
  };

  if (fw === 'vite') {
    d.from(base, 'build');
    d.ins('WORKDIR', '/app');
    copyManifests();
    if (pmSetup) d.ins('RUN', pmSetup);
    install(installAll);
    d.ins('COPY', '. .');
    if (r.chance(0.4)) d.ins('ARG', `VITE_API_URL=${r.pick(['/api', 'https://api.example.com'])}`);
    d.ins('RUN', runBuild);
    d.blank();
    d.from(
      img(d, 'nginx', ['1.25-alpine', '1.25.4-alpine', 'stable-alpine', 'alpine', '1.26-alpine'], {
        latest: 0.1,
      }),
    );
    if (r.chance(0.7)) d.ins('COPY', 'nginx.conf /etc/nginx/conf.d/default.conf');
    d.ins('COPY', `--from=build /app/${r.pick(['dist', 'build'])} /usr/share/nginx/html`);
    d.ins('EXPOSE', '80');
    if (r.chance(0.6)) d.ins('CMD', exec('nginx', '-g', 'daemon off;'));
    return `node-vite-spa-${pm}`;
  }

  if (fw === 'next') {
    d.from(base, 'base');
    if (alpine && r.chance(0.7)) {
      d.comment(
        'Check https://github.com/nodejs/docker-node/tree/b4117f9333da4138b03a546ec926ef50a31506c3#nodealpine to understand why libc6-compat might be needed.',
      );
      d.run(apk(d, ['libc6-compat'], { strict: true }), { mode: 'inline' });
    }
    d.blank();
    d.from('base', 'deps');
    d.ins('WORKDIR', '/app');
    d.ins('COPY', `package.json ${lock}* ./`);
    if (pmSetup) d.ins('RUN', pmSetup);
    install(installAll);
    d.blank();
    d.from('base', 'builder');
    d.ins('WORKDIR', '/app');
    d.ins('COPY', '--from=deps /app/node_modules ./node_modules');
    d.ins('COPY', '. .');
    d.env({ NEXT_TELEMETRY_DISABLED: 1 });
    d.ins('RUN', runBuild);
    d.blank();
    d.from('base', 'runner');
    d.ins('WORKDIR', '/app');
    d.env({ NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: 1 });
    d.ins('RUN', 'addgroup --system --gid 1001 nodejs');
    d.ins('RUN', 'adduser --system --uid 1001 nextjs');
    d.ins('COPY', '--from=builder /app/public ./public');
    d.ins('COPY', '--from=builder --chown=nextjs:nodejs /app/.next/standalone ./');
    d.ins('COPY', '--from=builder --chown=nextjs:nodejs /app/.next/static ./.next/static');
    d.ins('USER', 'nextjs');
    d.ins('EXPOSE', '3000');
    d.env({ PORT: 3000, HOSTNAME: '"0.0.0.0"' });
    d.ins('CMD', exec('node', 'server.js'));
    return `node-next-standalone-${pm}`;
  }

  const multi = ['nest', 'remix'].includes(fw) ? r.chance(0.85) : r.chance(0.35);
  if (!multi) {
    d.from(base);
    maybeMaintainer(d);
    const init = r.chance(0.5) && sysDeps();
    d.ins('WORKDIR', workdir);
    if (r.chance(0.6)) d.env({ NODE_ENV: 'production' });
    if (d.bad(0.1)) secretEnv(d);
    if (d.bad(0.2)) {
      d.ins('COPY', '. .');
      if (d.bad(0.3)) d.ins('RUN', `cd ${workdir} && ${installAll}`);
      else install(installAll);
    } else {
      copyManifests();
      if (pmSetup) d.ins('RUN', pmSetup);
      install(r.chance(0.6) ? installProd : installAll);
      d.ins('COPY', r.chance(0.3) ? '--chown=node:node . .' : '. .');
    }
    if (d.bad(0.12))
      d.ins('RUN', r.pick(['npm install -g pm2', 'npm install -g nodemon', 'npm i -g typescript ts-node']));
    if (d.bad(0.06)) d.ins('RUN', `chmod -R 777 ${workdir}`);
    if (!d.bad(0.35)) d.ins('USER', 'node');
    if (fw !== 'worker') d.ins('EXPOSE', `${port}`);
    health();
    if (init)
      d.ins(
        'ENTRYPOINT',
        init === 'tini' ? exec(alpine ? '/sbin/tini' : '/usr/bin/tini', '--') : exec('dumb-init', '--'),
      );
    cmd();
    return `node-${fw}-${pm}`;
  }

  const depsStage = r.pick(['base', 'deps', 'dependencies']);
  const buildStage = r.pick(['build', 'builder']);
  d.from(base, depsStage);
  d.ins('WORKDIR', '/app');
  if (pmSetup) d.ins('RUN', pmSetup);
  copyManifests();
  install(installAll);
  d.blank();
  d.from(depsStage, buildStage);
  d.ins('COPY', '. .');
  if (r.chance(0.3)) d.ins('RUN', pm === 'npm' ? 'npm run lint && npm test' : `${pm} test`);
  d.ins('RUN', runBuild);
  if (r.chance(0.4))
    d.ins(
      'RUN',
      pm === 'npm'
        ? 'npm prune --omit=dev'
        : pm === 'yarn'
          ? 'yarn install --production --ignore-scripts --prefer-offline'
          : 'pnpm prune --prod',
    );
  d.blank();
  const runtimeBase = r.chance(0.2)
    ? r.pick([
        'gcr.io/distroless/nodejs20-debian12',
        'gcr.io/distroless/nodejs20-debian12:nonroot',
        'cgr.dev/chainguard/node:latest',
      ])
    : base;
  d.from(runtimeBase, r.chance(0.6) ? r.pick(['runtime', 'production', 'release', 'prod']) : undefined);
  const distroless = /distroless|chainguard/.test(runtimeBase);
  const init = !distroless && r.chance(0.3) && sysDeps();
  d.ins('WORKDIR', '/app');
  d.env({ NODE_ENV: 'production', ...(r.chance(0.3) ? { PORT: port } : {}) });
  const chown = distroless ? '' : r.chance(0.5) ? '--chown=node:node ' : '';
  d.ins('COPY', `${chown}--from=${buildStage} /app/node_modules ./node_modules`);
  d.ins(
    'COPY',
    `${chown}--from=${buildStage} /app/${fw === 'remix' ? 'build' : 'dist'} ./${fw === 'remix' ? 'build' : 'dist'}`,
  );
  d.ins('COPY', `${chown}--from=${buildStage} /app/package.json ./`);
  if (!distroless && !d.bad(0.25)) d.ins('USER', 'node');
  if (fw !== 'worker') d.ins('EXPOSE', `${port}`);
  if (!distroless) health();
  if (init)
    d.ins(
      'ENTRYPOINT',
      init === 'tini' ? exec(alpine ? '/sbin/tini' : '/usr/bin/tini', '--') : exec('dumb-init', '--'),
    );
  if (distroless) d.ins('CMD', exec(entry.replace(/^dist\//, 'dist/')));
  else cmd();
  return `node-${fw}-${pm}-multistage`;
}

function python(d) {
  const { r } = d;
  const fw = r.pick([
    'flask',
    'django',
    'fastapi',
    'celery',
    'streamlit',
    'datasci',
    'cli',
    'fastapi',
    'django',
  ]);
  const tool = r.weighted([
    ['pip', 8],
    ['poetry', 3],
    ['pipenv', 1],
    ['uv', 2],
  ]);
  const buildkit = syntaxLine(d, tool === 'uv' ? 0.6 : 0.15);
  let base;
  if (r.chance(0.25)) {
    const [v, ...rest] = r.pick(TAGS.python).split('-');
    base = `python:${argVersion(d, 'PYTHON_VERSION', v)}${rest.length ? `-${rest.join('-')}` : ''}`;
    d.blank();
  } else {
    base = img(d, 'python', TAGS.python);
  }
  const alpine = isAlpine(base);
  const port = { flask: 5000, django: 8000, fastapi: 8000, streamlit: 8501, datasci: 8888 }[fw] ?? 8000;
  const wd = r.pick(['/app', '/app', '/code', '/usr/src/app', '/srv/app']);
  const pyEnv = () => {
    const env = { PYTHONDONTWRITEBYTECODE: 1, PYTHONUNBUFFERED: 1 };
    if (r.chance(0.4)) env.PIP_NO_CACHE_DIR = 1;
    if (r.chance(0.4)) env.PIP_DISABLE_PIP_VERSION_CHECK = 1;
    if (tool === 'poetry' && r.chance(0.6))
      Object.assign(env, { POETRY_VERSION: '1.8.2', POETRY_VIRTUALENVS_CREATE: 'false' });
    if (r.chance(0.85)) d.env(env);
  };
  const sysPkgs = {
    django: ['libpq-dev', 'gcc'],
    flask: ['gcc'],
    fastapi: ['build-essential'],
    datasci: ['build-essential', 'gfortran', 'libopenblas-dev', 'git'],
    celery: ['libpq-dev', 'gcc'],
  }[fw] ?? ['curl'];
  const depsInstall = () => {
    if (tool === 'pip') {
      d.ins('COPY', r.chance(0.2) ? 'requirements.txt requirements-prod.txt ./' : 'requirements.txt .');
      const args = r.chance(0.2) ? '--require-hashes -r requirements.txt' : '-r requirements.txt';
      if (buildkit)
        d.run([pipInstall(d, args, { noCache: false })], { mounts: ['type=cache,target=/root/.cache/pip'] });
      else if (r.chance(0.35)) d.run([pipInstall(d, '--upgrade pip'), pipInstall(d, args)]);
      else d.ins('RUN', pipInstall(d, args));
    } else if (tool === 'poetry') {
      if (d.bad(0.3)) {
        d.run(['curl -sSL https://install.python-poetry.org | python3 -']);
        d.env({ PATH: '"/root/.local/bin:$PATH"' });
      } else {
        d.ins('RUN', pipInstall(d, `"poetry==${r.pick(['1.8.2', '1.7.1', '1.8.3'])}"`));
      }
      d.ins('COPY', 'pyproject.toml poetry.lock ./');
      d.run(
        r.chance(0.5)
          ? [
              'poetry config virtualenvs.create false',
              `poetry install --no-interaction --no-ansi ${r.pick(['--only main', '--no-dev', '--without dev'])} --no-root`,
            ]
          : [
              'poetry export -f requirements.txt --output requirements.txt --without-hashes',
              pipInstall(d, '-r requirements.txt'),
            ],
      );
    } else if (tool === 'pipenv') {
      d.ins('RUN', pipInstall(d, d.bad(0.5) ? 'pipenv' : 'pipenv==2023.12.1'));
      d.ins('COPY', 'Pipfile Pipfile.lock ./');
      d.ins('RUN', 'pipenv install --system --deploy --ignore-pipfile');
    } else {
      d.ins(
        'COPY',
        `--from=ghcr.io/astral-sh/uv:${r.pick(['0.4.9', '0.4.18', 'latest', '0.5.1'])} /uv /uvx /bin/`,
      );
      d.env({ UV_COMPILE_BYTECODE: 1, UV_LINK_MODE: 'copy' });
      d.run(['uv sync --frozen --no-install-project --no-dev'], {
        mounts: [
          'type=cache,target=/root/.cache/uv',
          'type=bind,source=uv.lock,target=uv.lock',
          'type=bind,source=pyproject.toml,target=pyproject.toml',
        ],
      });
    }
  };
  const cmd = () => {
    const bind = `0.0.0.0:${port}`;
    const c = {
      flask: r.chance(0.6)
        ? exec('gunicorn', '--bind', bind, '--workers', '4', 'app:app')
        : exec('flask', 'run', '--host=0.0.0.0'),
      django: exec(
        'gunicorn',
        `${r.pick(['config', 'mysite', 'core', 'project'])}.wsgi:application`,
        '--bind',
        bind,
        '--workers',
        '3',
      ),
      fastapi: r.chance(0.6)
        ? exec('uvicorn', 'app.main:app', '--host', '0.0.0.0', '--port', `${port}`)
        : exec('gunicorn', '-k', 'uvicorn.workers.UvicornWorker', '-b', bind, 'main:app'),
      celery: exec(
        'celery',
        '-A',
        r.pick(['tasks', 'worker', 'proj']),
        'worker',
        '--loglevel=INFO',
        '--concurrency=2',
      ),
      streamlit: exec('streamlit', 'run', 'app.py', '--server.port=8501', '--server.address=0.0.0.0'),
      datasci: exec('jupyter', 'lab', '--ip=0.0.0.0', '--no-browser', '--allow-root'),
      cli: null,
    }[fw];
    if (fw === 'cli') {
      d.ins('ENTRYPOINT', exec('python', '-m', r.pick(['etl', 'reporter', 'sync_job', 'app'])));
      if (r.chance(0.5)) d.ins('CMD', exec('--help'));
    } else if (d.bad(0.12)) {
      d.ins(
        'CMD',
        c
          .replace(/^\[|\]$/g, '')
          .replace(/"/g, '')
          .replace(/, /g, ' '),
      );
    } else d.ins('CMD', c);
  };

  const multi = r.chance(fw === 'cli' ? 0.2 : 0.35);
  if (!multi) {
    d.from(base);
    maybeMaintainer(d);
    pyEnv();
    if (d.bad(0.1)) secretEnv(d);
    if (fw !== 'cli' && r.chance(0.6)) {
      const pkgs = r.chance(0.5)
        ? sysPkgs
        : [...sysPkgs, ...r.some(['curl', 'netcat-openbsd', 'gettext', 'postgresql-client'], 1, 2)];
      if (alpine)
        d.run(
          apk(
            d,
            pkgs
              .map(
                (p) =>
                  ({
                    'libpq-dev': 'postgresql-dev',
                    'build-essential': 'build-base',
                    'netcat-openbsd': 'netcat-openbsd',
                    'libopenblas-dev': 'openblas-dev',
                    'postgresql-client': 'postgresql16-client',
                  })[p] ?? p,
              )
              .concat(['musl-dev']),
          ),
        );
      else {
        hadolintPragma(d, 'DL3008,DL3009');
        d.run(apt(d, pkgs));
      }
    }
    const addAll = d.bad(0.15);
    if (addAll) {
      d.ins('ADD', `. ${wd}`);
      d.ins('WORKDIR', wd);
      d.ins('RUN', pipInstall(d, '-r requirements.txt'));
    } else {
      d.ins('WORKDIR', wd);
      depsInstall();
      const dir = r.pick(['src', 'app']);
      d.ins('COPY', r.chance(0.7) ? '. .' : `${dir}/ ./${dir}/`);
    }
    if (fw === 'django' && r.chance(0.7)) d.ins('RUN', 'python manage.py collectstatic --noinput');
    if (!d.bad(0.4)) {
      d.run(
        [
          alpine ? userAlpine(d, 'app', 1000) : userDebian(d, 'app', r.pick([1000, 10001, 1001])),
          `chown -R app:app ${wd}`,
        ],
        { mode: r.chance(0.5) ? 'inline' : d.mode },
      );
      d.ins('USER', 'app');
    }
    if (fw !== 'cli' && fw !== 'celery') d.ins('EXPOSE', `${port}`);
    if (fw === 'fastapi' || fw === 'flask') {
      if (r.chance(0.3))
        d.healthcheck(
          `python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:${port}/health')" || exit 1`,
        );
    }
    cmd();
    return `python-${fw}-${addAll ? 'pip' : tool}`;
  }

  d.from(base, r.pick(['builder', 'build', 'deps']));
  const stage = d.lines[d.lines.length - 1].split(' ').pop();
  pyEnv();
  if (!alpine) d.run(apt(d, sysPkgs, { strict: r.chance(0.5) }));
  else d.run(apk(d, ['build-base', 'libffi-dev', 'postgresql-dev'].slice(0, r.int(1, 3))));
  d.ins('WORKDIR', wd);
  if (tool === 'uv') {
    depsInstall();
    d.ins('COPY', '. .');
    d.run(['uv sync --frozen --no-dev'], { mounts: ['type=cache,target=/root/.cache/uv'] });
  } else {
    d.ins('RUN', 'python -m venv /opt/venv');
    d.env({ PATH: '"/opt/venv/bin:$PATH"' });
    depsInstall();
  }
  d.blank();
  d.from(
    base.replace(/-bookworm$/, '-slim-bookworm').replace(/^(python:[^-]+)$/, '$1-slim'),
    r.chance(0.5) ? 'runtime' : undefined,
  );
  pyEnv();
  if (fw === 'django' || fw === 'celery') {
    d.run(alpine ? apk(d, ['libpq'], { strict: true }) : apt(d, ['libpq5'], { strict: true }), {
      mode: 'inline',
    });
  }
  d.run([alpine ? userAlpine(d, 'app', 1000) : userDebian(d, 'app', 1000)], { mode: 'inline' });
  if (tool === 'uv') {
    d.ins('COPY', `--from=${stage} --chown=app:app ${wd} ${wd}`);
    d.env({ PATH: `"${wd}/.venv/bin:$PATH"` });
  } else {
    d.ins('COPY', `--from=${stage} /opt/venv /opt/venv`);
    d.env({ PATH: '"/opt/venv/bin:$PATH"' });
  }
  d.ins('WORKDIR', wd);
  if (tool !== 'uv') d.ins('COPY', '--chown=app:app . .');
  d.ins('USER', 'app');
  if (fw !== 'cli' && fw !== 'celery') d.ins('EXPOSE', `${port}`);
  cmd();
  return `python-${fw}-${tool}-multistage`;
}

function go(d) {
  const { r } = d;
  const kind = r.pick(['api', 'worker', 'grpc', 'operator', 'exporter', 'cli', 'gateway', 'webhook']);
  const buildkit = syntaxLine(d, 0.3);
  const cross = r.chance(0.25);
  let builder;
  if (r.chance(0.3)) {
    const [v, ...rest] = r.pick(TAGS.golang).split('-');
    builder = `golang:${argVersion(d, 'GO_VERSION', v)}${rest.length ? `-${rest.join('-')}` : ''}`;
    d.blank();
  } else builder = img(d, 'golang', TAGS.golang);
  const alpine = isAlpine(builder);
  const bin = r.pick(['server', 'app', kind, `${kind}d`, 'manager', 'main']);
  const pkg = r.pick([`./cmd/${bin}`, '.', './cmd/server', `./cmd/${kind}`]);
  const port =
    { grpc: 9090, exporter: 9100, operator: 8081, webhook: 9443 }[kind] ?? r.pick([8080, 8080, 3000, 8000]);

  if (r.chance(0.15) || (d.sloppy === 2 && r.chance(0.4))) {
    // Single stage: the whole toolchain ships.
    d.from(builder);
    maybeMaintainer(d);
    d.ins('WORKDIR', r.pick(['/go/src/app', '/app', `/go/src/github.com/acme/${kind}`]));
    d.ins('COPY', '. .');
    if (r.chance(0.5)) d.ins('RUN', d.bad(0.5) ? 'go get -d -v ./...' : 'go mod download');
    d.ins(
      'RUN',
      r.pick([`go build -o /${bin} ${pkg}`, 'go install -v ./...', `CGO_ENABLED=0 go build -o ${bin} .`]),
    );
    if (kind !== 'cli') d.ins('EXPOSE', `${port}`);
    d.ins('CMD', r.chance(0.6) ? exec(`/${bin}`) : `./${bin}`);
    return `go-${kind}-single-stage`;
  }

  d.from(`${cross ? '--platform=$BUILDPLATFORM ' : ''}${builder}`, r.pick(['build', 'builder', 'build']));
  const stage = d.lines[d.lines.length - 1].split(' ').pop();
  if (r.chance(0.5))
    d.run(
      alpine
        ? apk(d, r.some(['git', 'ca-certificates', 'tzdata', 'make', 'gcc', 'musl-dev'], 1, 3))
        : apt(d, r.some(['git', 'ca-certificates', 'make', 'gcc', 'libc6-dev'], 1, 2)),
      { mode: r.chance(0.5) ? 'inline' : d.mode },
    );
  d.ins('WORKDIR', r.pick(['/src', '/src', '/workspace', '/app', '/build']));
  if (kind === 'operator') d.ins('COPY', 'go.mod go.mod').ins('COPY', 'go.sum go.sum');
  else d.ins('COPY', 'go.mod go.sum ./');
  const modMounts = ['type=cache,target=/go/pkg/mod'];
  if (buildkit) d.run(['go mod download'], { mounts: modMounts });
  else d.ins('RUN', r.chance(0.8) ? 'go mod download' : 'go mod download && go mod verify');
  if (kind === 'operator') {
    d.ins('COPY', 'cmd/main.go cmd/main.go');
    d.ins('COPY', 'api/ api/');
    d.ins('COPY', 'internal/ internal/');
  } else d.ins('COPY', '. .');
  if (r.chance(0.2)) d.ins('RUN', 'go vet ./... && go test ./...');
  if (cross) {
    if (r.chance(0.5)) d.ins('ARG', 'TARGETOS TARGETARCH');
    else d.ins('ARG', 'TARGETOS').ins('ARG', 'TARGETARCH');
  }
  const ld = r.pick([
    ' -ldflags="-s -w"',
    ' -ldflags="-s -w -X main.version=${VERSION}"',
    '',
    ' -trimpath -ldflags "-s -w"',
  ]);
  if (ld.includes('VERSION')) d.ins('ARG', `VERSION=${r.pick(['dev', '0.0.0', 'unknown'])}`);
  const env = `CGO_ENABLED=0${cross ? ' GOOS=${TARGETOS} GOARCH=${TARGETARCH}' : r.chance(0.5) ? ' GOOS=linux' : ''}`;
  const out = r.pick([`/out/${bin}`, `/bin/${bin}`, `/app/${bin}`, bin]);
  const buildCmd = `${env} go build${ld} -o ${out} ${pkg}`;
  if (buildkit) d.run([buildCmd], { mounts: [...modMounts, 'type=cache,target=/root/.cache/go-build'] });
  else d.ins('RUN', buildCmd);
  d.blank();
  const final = r.weighted([
    ['gcr.io/distroless/static-debian12:nonroot', 4],
    ['gcr.io/distroless/static-debian12', 2],
    ['gcr.io/distroless/base-debian12', 1],
    ['scratch', 3],
    [alpineBase(d), 3],
    ['debian:bookworm-slim', 1],
    ['cgr.dev/chainguard/static:latest', 1],
  ]);
  d.from(final);
  const src = out.startsWith('/') ? out : `${d.lines.find((l) => /^workdir/i.test(l)).split(' ')[1]}/${out}`;
  if (final === 'scratch') {
    d.ins('COPY', `--from=${stage} /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/`);
    if (r.chance(0.5)) d.ins('COPY', `--from=${stage} /usr/share/zoneinfo /usr/share/zoneinfo`);
    if (r.chance(0.4)) d.ins('COPY', `--from=${stage} /etc/passwd /etc/passwd`);
    d.ins('COPY', `--from=${stage} ${src} /${bin}`);
    if (!d.bad(0.3)) d.ins('USER', r.pick(['65534', '65532:65532', 'nobody']));
  } else if (/^alpine|^debian/.test(final)) {
    if (final.startsWith('alpine'))
      d.run(apk(d, r.some(['ca-certificates', 'tzdata', 'curl'], 1, 2)), { mode: 'inline' });
    else d.run(apt(d, ['ca-certificates'], { strict: true }));
    if (!d.bad(0.3)) {
      d.run([final.startsWith('alpine') ? userAlpine(d, 'app', 10001) : userDebian(d, 'app', 10001)], {
        mode: 'inline',
      });
      d.ins('COPY', `--from=${stage} ${src} /usr/local/bin/${bin}`);
      d.ins('USER', 'app');
    } else d.ins('COPY', `--from=${stage} ${src} /usr/local/bin/${bin}`);
  } else {
    if (r.chance(0.4)) d.ins('WORKDIR', '/');
    d.ins('COPY', `--from=${stage} ${src} /${bin}`);
    if (!final.includes('nonroot') && r.chance(0.6)) d.ins('USER', '65532:65532');
  }
  if (kind !== 'cli' && kind !== 'worker') d.ins('EXPOSE', `${port}`);
  const path = /^alpine|^debian/.test(final) ? `/usr/local/bin/${bin}` : `/${bin}`;
  d.ins('ENTRYPOINT', exec(path));
  if (r.chance(0.25))
    d.ins('CMD', exec(r.pick(['serve', '--config=/etc/app/config.yaml', `--port=${port}`])));
  return `go-${kind}-${final === 'scratch' ? 'scratch' : final.includes('distroless') ? 'distroless' : final.split(':')[0].split('/').pop()}`;
}

function java(d) {
  const { r } = d;
  const style = r.weighted([
    ['maven', 4],
    ['gradle', 3],
    ['spring-guide', 2],
    ['layered', 2],
    ['tomcat', 1],
    ['quarkus', 1],
  ]);
  const jdk = r.pick(['17', '21', '21', '17', '11']);
  const runtime = () =>
    d.bad(0.15)
      ? r.pick(['openjdk:8-jdk-alpine', 'openjdk:11-jre-slim', 'openjdk:latest', 'java:8'])
      : r.pick([
          `eclipse-temurin:${jdk}-jre`,
          `eclipse-temurin:${jdk}-jre-jammy`,
          `eclipse-temurin:${jdk}-jre-alpine`,
          `amazoncorretto:${jdk}`,
          `amazoncorretto:${jdk}-alpine`,
          `eclipse-temurin:${jdk}-jre-noble`,
        ]);
  const port = r.pick([8080, 8080, 8081, 9000]);
  if (style === 'spring-guide') {
    d.from(runtime());
    if (r.chance(0.6)) d.ins('VOLUME', '/tmp');
    d.ins('ARG', 'JAR_FILE=target/*.jar');
    d.ins(r.chance(0.7) ? 'COPY' : 'ADD', '${JAR_FILE} app.jar');
    if (r.chance(0.4)) d.ins('RUN', "sh -c 'touch /app.jar'");
    if (d.bad(0.2)) d.ins('ENTRYPOINT', 'java -jar /app.jar');
    else d.ins('ENTRYPOINT', exec('java', '-Djava.security.egd=file:/dev/./urandom', '-jar', '/app.jar'));
    return 'java-spring-boot-simple';
  }
  if (style === 'tomcat') {
    d.from(`tomcat:${r.pick(['10.1-jdk17-temurin', '9.0-jdk11', '10.1.19-jre21', '9-jre17'])}`);
    maybeMaintainer(d);
    d.ins('RUN', 'rm -rf /usr/local/tomcat/webapps/*');
    d.ins(r.chance(0.7) ? 'COPY' : 'ADD', 'target/*.war /usr/local/tomcat/webapps/ROOT.war');
    if (r.chance(0.5)) d.ins('COPY', 'conf/server.xml /usr/local/tomcat/conf/server.xml');
    if (d.bad(0.3)) d.ins('COPY', 'conf/tomcat-users.xml /usr/local/tomcat/conf/');
    d.env({ CATALINA_OPTS: '"-Xms512m -Xmx1024m"' });
    d.ins('EXPOSE', '8080');
    d.ins('CMD', exec('catalina.sh', 'run'));
    return 'java-tomcat-war';
  }
  if (style === 'quarkus') {
    d.from(
      `registry.access.redhat.com/ubi8/openjdk-${jdk === '11' ? '17' : jdk}:${r.pick(['1.18', '1.19', '1.20'])}`,
    );
    d.env({ LANGUAGE: "'en_US:en'" });
    d.ins('COPY', '--chown=185 target/quarkus-app/lib/ /deployments/lib/');
    d.ins('COPY', '--chown=185 target/quarkus-app/*.jar /deployments/');
    d.ins('COPY', '--chown=185 target/quarkus-app/app/ /deployments/app/');
    d.ins('COPY', '--chown=185 target/quarkus-app/quarkus/ /deployments/quarkus/');
    d.ins('EXPOSE', '8080');
    d.ins('USER', '185');
    d.env({
      JAVA_OPTS_APPEND:
        '"-Dquarkus.http.host=0.0.0.0 -Djava.util.logging.manager=org.jboss.logmanager.LogManager"',
      JAVA_APP_JAR: '"/deployments/quarkus-run.jar"',
    });
    d.ins('ENTRYPOINT', exec('/opt/jboss/container/java/run/run-java.sh'));
    return 'java-quarkus-jvm';
  }
  const buildkit = syntaxLine(d, 0.15);
  const gradle = style === 'gradle';
  const builderImg = gradle
    ? r.pick([
        `gradle:8.7-jdk${jdk}`,
        `gradle:8-jdk${jdk}-alpine`,
        `eclipse-temurin:${jdk}-jdk`,
        `gradle:8.6.0-jdk${jdk}`,
      ])
    : r.pick([
        `maven:3.9-eclipse-temurin-${jdk}`,
        `maven:3.9.6-eclipse-temurin-${jdk}`,
        `eclipse-temurin:${jdk}-jdk-jammy`,
        `maven:3-amazoncorretto-${jdk}`,
        `maven:3.8-openjdk-${jdk === '21' ? '17' : jdk}`,
      ]);
  d.from(builderImg, r.pick(['build', 'builder']));
  const stage = d.lines[d.lines.length - 1].split(' ').pop();
  const wd = r.pick(['/workspace/app', '/app', '/build', '/home/gradle/src', '/usr/src/app']);
  d.ins('WORKDIR', wd);
  const wrapper = builderImg.startsWith('eclipse-temurin') || r.chance(0.3);
  let jar;
  if (gradle) {
    if (wrapper) {
      d.ins('COPY', 'gradlew .');
      d.ins('COPY', 'gradle gradle');
    }
    const kts = r.chance(0.6);
    d.ins('COPY', kts ? 'build.gradle.kts settings.gradle.kts ./' : 'build.gradle settings.gradle ./');
    const g = wrapper ? './gradlew' : 'gradle';
    if (r.chance(0.6)) d.ins('RUN', `${g} dependencies --no-daemon${r.chance(0.5) ? ' -q' : ''}`);
    d.ins('COPY', 'src src');
    const task = `${g} ${r.pick(['bootJar', 'build -x test', 'clean build', 'installDist', 'shadowJar'])} --no-daemon`;
    if (buildkit) d.run([task], { mounts: ['type=cache,target=/root/.gradle'] });
    else d.ins('RUN', task);
    jar = `${wd}/build/libs/*.jar`;
  } else {
    const mvn = wrapper ? './mvnw' : 'mvn';
    if (wrapper) {
      d.ins('COPY', 'mvnw .');
      d.ins('COPY', '.mvn .mvn');
    }
    d.ins('COPY', 'pom.xml .');
    if (r.chance(0.7)) {
      if (buildkit) d.run([`${mvn} -B dependency:go-offline`], { mounts: ['type=cache,target=/root/.m2'] });
      else d.ins('RUN', `${mvn} ${r.pick(['-B', '-B -q', '--batch-mode'])} dependency:go-offline`);
    }
    d.ins('COPY', 'src ./src');
    const task = `${mvn} ${r.pick(['-B', '-B -q', '--batch-mode'])} ${r.pick(['package -DskipTests', 'clean package -DskipTests', 'install -Dmaven.test.skip=true', 'verify'])}`;
    if (buildkit) d.run([task], { mounts: ['type=cache,target=/root/.m2'] });
    else d.ins('RUN', task);
    jar = `${wd}/target/*.jar`;
  }
  if (style === 'layered') {
    d.ins(
      'RUN',
      `mkdir -p target/extracted && java -Djarmode=layertools -jar ${jar.replace(`${wd}/`, '')} extract --destination target/extracted`,
    );
  }
  d.blank();
  const rt = runtime();
  d.from(rt);
  const alpine = isAlpine(rt);
  if (r.chance(0.3) && !rt.startsWith('amazoncorretto'))
    d.run(alpine ? apk(d, ['curl']) : apt(d, ['curl']), { mode: 'inline' });
  const user = !d.bad(0.3);
  if (user) {
    d.run(
      [
        rt.startsWith('amazoncorretto') && !alpine
          ? 'yum install -y shadow-utils && yum clean all && groupadd --system spring && useradd --system --gid spring spring'
          : alpine
            ? userAlpine(d, 'spring', 1000)
            : userDebian(d, 'spring', 1000),
      ],
      { mode: 'inline' },
    );
  }
  d.ins('WORKDIR', '/app');
  if (style === 'layered') {
    for (const layer of ['dependencies', 'spring-boot-loader', 'snapshot-dependencies', 'application']) {
      d.ins('COPY', `--from=${stage} ${wd}/target/extracted/${layer}/ ./`);
    }
  } else d.ins('COPY', `--from=${stage} ${jar} app.jar`);
  if (user) d.ins('USER', 'spring:spring');
  d.ins('EXPOSE', `${port}`);
  const opts = r.pick([
    '-XX:MaxRAMPercentage=75.0',
    '-XX:+UseContainerSupport -XX:MaxRAMPercentage=80.0',
    '-Xms256m -Xmx512m',
    '-XX:+UseG1GC -XX:MaxRAMPercentage=75',
  ]);
  if (r.chance(0.5)) d.env({ JAVA_OPTS: `"${opts}"` });
  if (r.chance(0.25)) d.healthcheck(`curl -f http://localhost:${port}/actuator/health || exit 1`);
  if (style === 'layered')
    d.ins('ENTRYPOINT', exec('java', 'org.springframework.boot.loader.launch.JarLauncher'));
  else if (d.bad(0.15)) d.ins('ENTRYPOINT', 'java $JAVA_OPTS -jar app.jar');
  else if (r.chance(0.4)) d.ins('ENTRYPOINT', exec('sh', '-c', 'java $JAVA_OPTS -jar /app/app.jar'));
  else d.ins('ENTRYPOINT', exec('java', ...opts.split(' '), '-jar', '/app/app.jar'));
  return `java-${style === 'layered' ? 'spring-layered-maven' : `spring-${style}`}-jdk${jdk}`;
}

function ruby(d) {
  const { r } = d;
  const kind = r.pick(['rails', 'rails', 'sinatra', 'sidekiq', 'jekyll', 'rails-legacy']);
  const version = r.pick(['3.3', '3.3.0', '3.2', '3.2.3', '3.1']);
  if (kind === 'jekyll') {
    d.from(`ruby:${version}-${r.pick(['alpine', 'slim'])}`, 'build');
    const alpine = /alpine/.test(d.lines[d.lines.length - 1]);
    d.run(alpine ? apk(d, ['build-base', 'git']) : apt(d, ['build-essential', 'git']));
    d.ins('WORKDIR', '/site');
    d.ins('COPY', 'Gemfile Gemfile.lock ./');
    d.ins(
      'RUN',
      `bundle config set --local without 'development test' && bundle install --jobs ${r.pick([4, '$(nproc)'])}`,
    );
    d.ins('COPY', '. .');
    d.env({ JEKYLL_ENV: 'production' });
    d.ins('RUN', 'bundle exec jekyll build --destination /site/_site');
    d.blank();
    d.from(img(d, 'nginx', ['1.25-alpine', 'stable-alpine', 'alpine']));
    d.ins('COPY', '--from=build /site/_site /usr/share/nginx/html');
    d.ins('EXPOSE', '80');
    return 'ruby-jekyll-site';
  }
  if (kind === 'rails-legacy') {
    d.from(`ruby:${r.pick(['2.7', '2.6.6', '2.7.8', '3.0'])}`);
    maybeMaintainer(d);
    d.run(['curl -sL https://deb.nodesource.com/setup_14.x | bash -']);
    d.run([
      'curl -sS https://dl.yarnpkg.com/debian/pubkey.gpg | apt-key add -',
      'echo "deb https://dl.yarnpkg.com/debian/ stable main" | tee /etc/apt/sources.list.d/yarn.list',
    ]);
    d.run(
      apt(d, ['nodejs', 'yarn', 'postgresql-client', 'imagemagick'], { noRec: false, clean: r.chance(0.5) }),
    );
    d.ins('RUN', 'mkdir /myapp');
    d.ins('WORKDIR', '/myapp');
    d.ins('COPY', 'Gemfile /myapp/Gemfile');
    d.ins('COPY', 'Gemfile.lock /myapp/Gemfile.lock');
    d.ins('RUN', `gem install bundler -v ${r.pick(['2.1.4', '2.2.33', '2.3.26'])} && bundle install`);
    d.ins('COPY', '. /myapp');
    if (d.bad(0.5)) secretEnv(d);
    d.ins('RUN', 'RAILS_ENV=production bundle exec rake assets:precompile');
    d.blank();
    d.comment('Add a script to be executed every time the container starts.');
    d.ins('COPY', 'entrypoint.sh /usr/bin/');
    d.ins('RUN', 'chmod +x /usr/bin/entrypoint.sh');
    d.ins('ENTRYPOINT', exec('entrypoint.sh'));
    d.ins('EXPOSE', '3000');
    d.blank();
    d.comment('Configure the main process to run when running the image');
    d.ins('CMD', exec('rails', 'server', '-b', '0.0.0.0'));
    return 'ruby-rails-legacy';
  }
  const buildkit = syntaxLine(d, 0.4);
  const rv = argVersion(d, 'RUBY_VERSION', version);
  const slim = r.pick(['slim', 'slim', 'slim-bookworm', 'alpine']);
  const alpine = slim === 'alpine';
  d.from(`${r.chance(0.3) ? 'docker.io/library/' : ''}ruby:${rv}-${slim}`, 'base');
  const wd = kind === 'rails' ? '/rails' : r.pick(['/app', '/usr/src/app']);
  d.ins('WORKDIR', wd);
  const env = {
    BUNDLE_DEPLOYMENT: '"1"',
    BUNDLE_PATH: '"/usr/local/bundle"',
    BUNDLE_WITHOUT: '"development:test"',
  };
  if (kind === 'rails') d.env({ RAILS_ENV: '"production"', ...env });
  else d.env({ RACK_ENV: 'production', ...env });
  d.blank();
  d.from('base', 'build');
  const buildPkgs = alpine
    ? ['build-base', 'git', 'postgresql-dev', 'tzdata', 'yaml-dev']
    : ['build-essential', 'git', 'libpq-dev', 'libvips', 'pkg-config', 'libyaml-dev'];
  if (alpine) d.run(apk(d, r.some(buildPkgs, 3, 5)));
  else if (buildkit) {
    d.run(
      [
        'apt-get update -qq',
        'apt-get install --no-install-recommends -y build-essential git libpq-dev pkg-config',
      ],
      {
        mounts: [
          'type=cache,target=/var/cache/apt,sharing=locked',
          'type=cache,target=/var/lib/apt,sharing=locked',
        ],
      },
    );
  } else
    d.run([
      'apt-get update -qq',
      `apt-get install --no-install-recommends -y ${r.some(buildPkgs, 3, 6).join(' ')}`,
      'rm -rf /var/lib/apt/lists /var/cache/apt/archives',
    ]);
  d.ins('COPY', 'Gemfile Gemfile.lock ./');
  d.run([
    'bundle install',
    'rm -rf ~/.bundle/ "${BUNDLE_PATH}"/ruby/*/cache "${BUNDLE_PATH}"/ruby/*/bundler/gems/*/.git',
    ...(kind === 'rails' && r.chance(0.6) ? ['bundle exec bootsnap precompile --gemfile'] : []),
  ]);
  d.ins('COPY', '. .');
  if (kind === 'rails') {
    if (r.chance(0.6)) d.ins('RUN', 'bundle exec bootsnap precompile app/ lib/');
    d.comment('Precompiling assets for production without requiring secret RAILS_MASTER_KEY');
    d.ins('RUN', 'SECRET_KEY_BASE_DUMMY=1 ./bin/rails assets:precompile');
  }
  d.blank();
  d.from('base');
  const runPkgs = alpine
    ? ['libpq', 'tzdata', 'vips', 'curl']
    : ['curl', 'libvips', 'postgresql-client', 'libjemalloc2'];
  if (alpine) d.run(apk(d, r.some(runPkgs, 2, 4), { strict: true }));
  else
    d.run([
      'apt-get update -qq',
      `apt-get install --no-install-recommends -y ${r.some(runPkgs, 2, 4).join(' ')}`,
      'rm -rf /var/lib/apt/lists /var/cache/apt/archives',
    ]);
  d.ins('COPY', '--from=build "${BUNDLE_PATH}" "${BUNDLE_PATH}"');
  d.ins('COPY', `--from=build ${wd} ${wd}`);
  if (!d.bad(0.25)) {
    const u = kind === 'rails' ? 'rails' : 'app';
    d.run([
      alpine
        ? `adduser -D -u 1000 -h /home/${u} -s /bin/sh ${u}`
        : `useradd ${u} --uid 1000 --create-home --shell /bin/bash`,
      `chown -R ${kind === 'rails' ? 'rails:rails db log storage tmp' : `app:app ${wd}`}`,
    ]);
    d.ins('USER', kind === 'rails' ? '1000:1000' : 'app');
  }
  if (kind === 'rails') {
    d.ins('ENTRYPOINT', exec('/rails/bin/docker-entrypoint'));
    d.ins('EXPOSE', '3000');
    d.ins('CMD', exec('./bin/rails', 'server'));
  } else if (kind === 'sidekiq') {
    d.ins('CMD', exec('bundle', 'exec', 'sidekiq', '-C', 'config/sidekiq.yml'));
  } else {
    d.ins('EXPOSE', '9292');
    d.ins('CMD', exec('bundle', 'exec', 'puma', '-C', 'config/puma.rb'));
  }
  return `ruby-${kind}-${alpine ? 'alpine' : 'slim'}`;
}

function php(d) {
  const { r } = d;
  const variant = r.pick(['fpm', 'fpm-alpine', 'apache', 'cli', 'fpm', 'apache']);
  const v = r.pick(['8.3', '8.2', '8.1', '8.3.4', '8.2.17']);
  const tag = d.bad(0.15) ? r.pick(['7.4-apache', '7.4-fpm', '7.3-apache']) : `${v}-${variant}`;
  const alpine = tag.includes('alpine');
  const fw = r.pick(['laravel', 'symfony', 'wordpress', 'plain', 'laravel']);
  d.from(`php:${tag}`);
  maybeMaintainer(d);
  const exts = r.some(
    [
      'pdo_mysql',
      'pdo_pgsql',
      'intl',
      'zip',
      'gd',
      'opcache',
      'bcmath',
      'mbstring',
      'exif',
      'pcntl',
      'mysqli',
      'soap',
    ],
    3,
    6,
  );
  const libs = alpine
    ? [
        'icu-dev',
        'libzip-dev',
        'libpng-dev',
        'libjpeg-turbo-dev',
        'freetype-dev',
        'oniguruma-dev',
        'postgresql-dev',
      ]
    : [
        'libicu-dev',
        'libzip-dev',
        'libpng-dev',
        'libjpeg62-turbo-dev',
        'libfreetype6-dev',
        'libonig-dev',
        'libpq-dev',
        'unzip',
        'git',
      ];
  const chosen = r.some(libs, 3, 6);
  const gd = exts.includes('gd') ? ['docker-php-ext-configure gd --with-freetype --with-jpeg'] : [];
  const peclExt = r.pick(['redis-6.0.2', 'redis', 'apcu-5.1.23', 'xdebug-3.3.1', 'apcu', 'imagick']);
  const pecl = r.chance(0.5)
    ? [`pecl install ${peclExt}`, `docker-php-ext-enable ${peclExt.replace(/-.*/, '')}`]
    : [];
  if (alpine) {
    const virtual = r.chance(0.6) ? '.build-deps' : undefined;
    d.run([
      ...apk(d, ['$PHPIZE_DEPS', ...chosen], { virtual }),
      ...gd,
      `docker-php-ext-install -j$(nproc) ${exts.join(' ')}`,
      ...pecl,
      ...(virtual ? ['apk del .build-deps'] : []),
    ]);
  } else if (r.chance(0.5)) {
    d.run([
      ...apt(d, chosen, { clean: false }),
      ...gd,
      `docker-php-ext-install -j$(nproc) ${exts.join(' ')}`,
      ...pecl,
      'rm -rf /var/lib/apt/lists/*',
    ]);
  } else {
    d.run(apt(d, chosen));
    d.ins('RUN', `docker-php-ext-install ${exts.join(' ')}`);
    if (pecl.length) d.run(pecl, { mode: 'inline' });
  }
  if (r.chance(0.5)) d.ins('RUN', 'mv "$PHP_INI_DIR/php.ini-production" "$PHP_INI_DIR/php.ini"');
  if (variant === 'apache' || tag.includes('apache')) {
    if (fw === 'laravel' || fw === 'symfony') {
      d.env({ APACHE_DOCUMENT_ROOT: fw === 'laravel' ? '/var/www/html/public' : '/var/www/html/public' });
      d.run([
        "sed -ri -e 's!/var/www/html!${APACHE_DOCUMENT_ROOT}!g' /etc/apache2/sites-available/*.conf",
        "sed -ri -e 's!/var/www/!${APACHE_DOCUMENT_ROOT}!g' /etc/apache2/apache2.conf /etc/apache2/conf-available/*.conf",
      ]);
    }
    d.ins('RUN', `a2enmod ${r.some(['rewrite', 'headers', 'expires', 'remoteip'], 1, 3).join(' ')}`);
  }
  if (d.bad(0.25))
    d.run([
      'curl -sS https://getcomposer.org/installer | php -- --install-dir=/usr/local/bin --filename=composer',
    ]);
  else
    d.ins(
      'COPY',
      `--from=composer:${r.pick(['2', '2.7', '2.6.6', 'latest'])} /usr/bin/composer /usr/bin/composer`,
    );
  d.ins('WORKDIR', '/var/www/html');
  if (fw === 'wordpress') {
    d.env({ WORDPRESS_VERSION: '6.4.3' });
    if (d.bad(0.4))
      d.ins('ADD', 'https://wordpress.org/wordpress-${WORDPRESS_VERSION}.tar.gz /tmp/wordpress.tar.gz');
    else
      d.run([
        'curl -o /tmp/wordpress.tar.gz -fL "https://wordpress.org/wordpress-${WORDPRESS_VERSION}.tar.gz"',
        `echo "${SHA(r, 40)} */tmp/wordpress.tar.gz" | sha1sum -c -`,
      ]);
    d.run([
      'tar -xzf /tmp/wordpress.tar.gz -C /var/www/html --strip-components=1',
      'rm /tmp/wordpress.tar.gz',
      'chown -R www-data:www-data /var/www/html',
    ]);
  } else {
    const composerInstall = `composer install --no-dev ${r.pick(['--no-scripts --no-autoloader --prefer-dist', '--optimize-autoloader --no-interaction', '--prefer-dist --no-progress --no-interaction --no-scripts'])}`;
    if (d.bad(0.2)) {
      d.ins('COPY', '. .');
      d.ins('RUN', composerInstall);
    } else {
      d.ins('COPY', 'composer.json composer.lock ./');
      d.ins('RUN', composerInstall);
      d.ins('COPY', r.chance(0.4) ? '--chown=www-data:www-data . .' : '. .');
    }
    if (r.chance(0.6)) d.ins('RUN', 'composer dump-autoload --optimize --classmap-authoritative');
    if (fw === 'laravel') {
      if (d.bad(0.4)) d.ins('RUN', 'chmod -R 777 storage bootstrap/cache');
      else d.ins('RUN', 'chown -R www-data:www-data storage bootstrap/cache');
      if (r.chance(0.4))
        d.run(['php artisan config:cache', 'php artisan route:cache', 'php artisan view:cache']);
    } else if (fw === 'symfony') {
      d.env({ APP_ENV: 'prod' });
      d.ins('RUN', 'php bin/console cache:clear --no-warmup && php bin/console cache:warmup');
    }
  }
  if (variant === 'cli') {
    d.ins(
      'CMD',
      exec(
        'php',
        fw === 'laravel' ? 'artisan' : 'bin/console',
        fw === 'laravel' ? 'queue:work' : 'messenger:consume',
        '--no-interaction',
      ),
    );
    return `php-${fw}-cli-worker`;
  }
  if (!d.bad(0.4)) d.ins('USER', 'www-data');
  if (tag.includes('apache')) {
    d.ins('EXPOSE', '80');
  } else {
    d.ins('EXPOSE', '9000');
    if (r.chance(0.6)) d.ins('CMD', exec('php-fpm'));
  }
  return `php-${fw}-${tag.replace(/^[\d.]+-/, '')}`;
}

function rust(d) {
  const { r } = d;
  const style = r.pick(['simple', 'chef', 'musl', 'cache', 'simple', 'rustup']);
  const bin = r.pick(['app', 'server', 'api', 'worker', 'proxy', 'indexer']);
  const rv = r.pick(['1.77', '1.76', '1.78', '1.75']);
  const port = r.pick([8080, 3000, 8000, 50051]);
  if (style === 'rustup') {
    d.from(ubuntuBase(d));
    d.run(
      apt(d, ['curl', 'build-essential', 'pkg-config', 'libssl-dev', 'ca-certificates'], {
        family: 'ubuntu',
      }),
    );
    d.run([
      "curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --default-toolchain stable",
    ]);
    d.env({ PATH: '"/root/.cargo/bin:${PATH}"' });
    d.ins('WORKDIR', '/app');
    d.ins('COPY', '. .');
    d.ins('RUN', 'cargo build --release');
    d.ins('EXPOSE', `${port}`);
    d.ins('CMD', exec(`./target/release/${bin}`));
    return 'rust-rustup-ubuntu';
  }
  if (style === 'chef') {
    syntaxLine(d, 0.3);
    d.from(
      `lukemathwalker/cargo-chef:${r.pick(['latest-rust-1', `0.1.66-rust-${rv}`, 'latest-rust-1-slim-bookworm'])}`,
      'chef',
    );
    d.ins('WORKDIR', '/app');
    d.blank();
    d.from('chef', 'planner');
    d.ins('COPY', '. .');
    d.ins('RUN', 'cargo chef prepare --recipe-path recipe.json');
    d.blank();
    d.from('chef', 'builder');
    d.ins('COPY', '--from=planner /app/recipe.json recipe.json');
    d.comment('Build dependencies - this is the caching Docker layer!');
    d.ins('RUN', 'cargo chef cook --release --recipe-path recipe.json');
    d.comment('Build application');
    d.ins('COPY', '. .');
    d.ins('RUN', `cargo build --release --bin ${bin}`);
  } else if (style === 'musl') {
    d.from(`rust:${rv}-alpine`, 'builder');
    d.run(apk(d, ['musl-dev', 'openssl-dev', 'openssl-libs-static', 'pkgconfig'].slice(0, r.int(1, 4))), {
      mode: 'inline',
    });
    d.ins('WORKDIR', '/usr/src/app');
    d.ins('COPY', '. .');
    d.ins('RUN', `cargo build --release --locked${r.chance(0.5) ? ` --bin ${bin}` : ''}`);
  } else if (style === 'cache') {
    d.line('# syntax=docker/dockerfile:1');
    d.from(`rust:${rv}-slim-bookworm`, 'build');
    d.ins('WORKDIR', '/app');
    d.run([`cargo build --locked --release`, `cp ./target/release/${bin} /bin/${bin}`], {
      mounts: [
        'type=bind,source=src,target=src',
        'type=bind,source=Cargo.toml,target=Cargo.toml',
        'type=bind,source=Cargo.lock,target=Cargo.lock',
        'type=cache,target=/app/target/',
        'type=cache,target=/usr/local/cargo/git/db',
        'type=cache,target=/usr/local/cargo/registry/',
      ],
      mode: 'leading',
    });
  } else {
    d.from(img(d, 'rust', [rv, `${rv}-slim-bookworm`, `${rv}-bookworm`, '1-slim']), 'builder');
    if (r.chance(0.6))
      d.run(apt(d, ['pkg-config', 'libssl-dev'].concat(r.chance(0.3) ? ['protobuf-compiler'] : [])));
    d.ins('WORKDIR', '/usr/src/app');
    if (r.chance(0.6)) {
      d.ins('COPY', 'Cargo.toml Cargo.lock ./');
      d.comment('Cache dependencies with a dummy main');
      d.run(['mkdir src', 'echo "fn main() {}" > src/main.rs', 'cargo build --release', 'rm -rf src']);
      d.ins('COPY', 'src ./src');
      d.ins('RUN', 'touch src/main.rs && cargo build --release');
    } else {
      d.ins('COPY', '. .');
      d.ins('RUN', d.bad(0.3) ? 'cargo install --path .' : 'cargo build --release');
    }
  }
  d.blank();
  const src = {
    chef: `/app/target/release/${bin}`,
    musl: `/usr/src/app/target/release/${bin}`,
    cache: `/bin/${bin}`,
    simple: `/usr/src/app/target/release/${bin}`,
  }[style];
  const final = r.pick(
    style === 'musl'
      ? ['scratch', 'alpine:3.19', 'scratch']
      : ['debian:bookworm-slim', 'debian:bookworm-slim', 'gcr.io/distroless/cc-debian12', 'ubuntu:22.04'],
  );
  d.from(final, r.chance(0.4) ? 'runtime' : undefined);
  if (final.startsWith('debian') || final.startsWith('ubuntu')) {
    d.run(
      apt(d, r.some(['ca-certificates', 'libssl3', 'tzdata'], 1, 3), {
        family: final.startsWith('ubuntu') ? 'ubuntu' : 'debian',
      }),
    );
    if (r.chance(0.6)) {
      d.ins('ARG', 'UID=10001');
      const adduser = [
        'adduser',
        '--disabled-password',
        '--gecos ""',
        '--home "/nonexistent"',
        '--shell "/sbin/nologin"',
        '--no-create-home',
        '--uid "${UID}"',
        'appuser',
      ];
      // Docker's own Rust guide writes one flag per line.
      d.run(r.chance(0.5) ? [adduser] : [adduser.join(' ')], { mode: r.chance(0.5) ? 'inline' : d.mode });
      d.ins('USER', 'appuser');
    }
  } else if (final.startsWith('alpine')) {
    d.run(apk(d, ['ca-certificates']), { mode: 'inline' });
  }
  d.ins(
    'COPY',
    `--from=${
      d.lines
        .find((l) => / (AS|as) (builder|build)$/.test(l))
        ?.split(' ')
        .pop() ?? 'builder'
    } ${src} /usr/local/bin/${bin}`,
  );
  if (final === 'scratch' && !d.bad(0.3)) d.ins('USER', '10001');
  if (bin !== 'worker' && bin !== 'indexer') d.ins('EXPOSE', `${port}`);
  d.ins(r.chance(0.6) ? 'ENTRYPOINT' : 'CMD', exec(`/usr/local/bin/${bin}`));
  return `rust-${bin}-${style}`;
}

function dotnet(d) {
  const { r } = d;
  const name = r.pick([
    'Api',
    'WebApp',
    'Orders.Api',
    'Catalog.Service',
    'Worker',
    'Gateway',
    'Acme.Billing.Api',
  ]);
  const v = r.pick(['8.0', '8.0', '6.0', '7.0']);
  const alpine = r.chance(0.25);
  const sfx = alpine ? '-alpine' : r.chance(0.15) ? '-jammy' : '';
  const worker = name === 'Worker';
  const runtimeImage = `mcr.microsoft.com/dotnet/${worker ? 'runtime' : 'aspnet'}:${v}${sfx}${!alpine && r.chance(0.15) ? '-jammy-chiseled'.replace(sfx, '') : ''}`;
  const vsTemplate = r.chance(0.55);
  if (vsTemplate) {
    d.comment(
      'See https://aka.ms/customizecontainer to learn how to customize your debug container and how Visual Studio uses this Dockerfile to build your images for faster debugging.',
    );
    d.blank();
    d.from(runtimeImage, 'base');
    if (v === '8.0' && r.chance(0.7)) d.ins('USER', '$APP_UID');
    d.ins('WORKDIR', '/app');
    if (!worker) {
      d.ins('EXPOSE', v === '8.0' ? '8080' : '80');
      if (r.chance(0.5)) d.ins('EXPOSE', v === '8.0' ? '8081' : '443');
    }
    d.blank();
    d.from(`mcr.microsoft.com/dotnet/sdk:${v}${sfx}`, 'build');
    d.ins('ARG', 'BUILD_CONFIGURATION=Release');
    d.ins('WORKDIR', '/src');
    d.ins('COPY', exec(`${name}/${name}.csproj`, `${name}/`));
    if (r.chance(0.4)) d.ins('COPY', exec(`${name}.Domain/${name}.Domain.csproj`, `${name}.Domain/`));
    d.ins('RUN', `dotnet restore "./${name}/${name}.csproj"`);
    d.ins('COPY', '. .');
    d.ins('WORKDIR', `"/src/${name}"`);
    d.ins('RUN', `dotnet build "./${name}.csproj" -c $BUILD_CONFIGURATION -o /app/build`);
    d.blank();
    d.from('build', 'publish');
    d.ins('ARG', 'BUILD_CONFIGURATION=Release');
    d.ins(
      'RUN',
      `dotnet publish "./${name}.csproj" -c $BUILD_CONFIGURATION -o /app/publish /p:UseAppHost=false`,
    );
    d.blank();
    d.from('base', 'final');
    d.ins('WORKDIR', '/app');
    d.ins('COPY', '--from=publish /app/publish .');
    d.ins('ENTRYPOINT', exec('dotnet', `${name}.dll`));
    return `dotnet-${name.toLowerCase().replace(/\./g, '-')}-vs-template`;
  }
  d.from(
    `${r.chance(0.3) ? '--platform=$BUILDPLATFORM ' : ''}mcr.microsoft.com/dotnet/sdk:${v}${sfx}`,
    'build',
  );
  d.ins('WORKDIR', '/source');
  d.ins('COPY', '*.sln .');
  d.ins('COPY', `src/${name}/*.csproj ./src/${name}/`);
  if (d.lines.some((l) => l.includes('BUILDPLATFORM'))) {
    d.ins('ARG', 'TARGETARCH');
    d.run([`dotnet restore -a $TARGETARCH`], {
      mounts: ['type=cache,id=nuget,target=/root/.nuget/packages'],
    });
  } else d.ins('RUN', 'dotnet restore');
  d.ins('COPY', 'src/. ./src/');
  d.ins('WORKDIR', `/source/src/${name}`);
  d.ins(
    'RUN',
    `dotnet publish -c Release -o /app --no-restore${r.chance(0.3) ? ' --self-contained false' : ''}`,
  );
  d.blank();
  d.from(runtimeImage);
  if (alpine) {
    d.run(apk(d, ['icu-libs', 'tzdata'], { strict: true }), { mode: 'inline' });
    d.env({ DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: 'false' });
  }
  d.env({
    ASPNETCORE_URLS: `http://+:${v === '8.0' ? 8080 : 80}`,
    ...(r.chance(0.4) ? { ASPNETCORE_ENVIRONMENT: 'Production' } : {}),
  });
  if (d.bad(0.15))
    d.env({ ConnectionStrings__Default: '"Server=db;Database=app;User Id=sa;Password=Passw0rd!;"' });
  d.ins('WORKDIR', '/app');
  d.ins('COPY', '--from=build /app ./');
  if (!d.bad(0.3)) d.ins('USER', v === '8.0' ? r.pick(['app', '$APP_UID']) : '1000');
  if (!worker) d.ins('EXPOSE', v === '8.0' ? '8080' : '80');
  d.ins('ENTRYPOINT', r.chance(0.8) ? exec('dotnet', `${name}.dll`) : exec(`./${name}`));
  return `dotnet-${name.toLowerCase().replace(/\./g, '-')}${alpine ? '-alpine' : ''}`;
}

function nginx(d) {
  const { r } = d;
  const kind = r.pick([
    'static',
    'proxy',
    'templates',
    'unprivileged',
    'openresty',
    'basic-auth',
    'static',
    'module',
  ]);
  const tags = [
    '1.25-alpine',
    '1.25.4-alpine',
    'stable-alpine',
    '1.24',
    '1.25',
    'mainline-alpine',
    '1.26-alpine',
    'alpine',
  ];
  if (kind === 'openresty') {
    d.from(
      `openresty/openresty:${r.pick(['1.25.3.1-alpine', '1.21.4.3-bookworm', 'alpine-fat', '1.25.3.1-alpine-fat'])}`,
    );
    d.run(['luarocks install lua-resty-jwt', 'luarocks install lua-resty-http'], {
      mode: r.chance(0.5) ? 'inline' : d.mode,
    });
    d.ins('COPY', 'nginx.conf /usr/local/openresty/nginx/conf/nginx.conf');
    d.ins('COPY', 'lua/ /usr/local/openresty/nginx/lua/');
    d.ins('EXPOSE', '8080');
    d.ins('CMD', exec('/usr/local/openresty/bin/openresty', '-g', 'daemon off;'));
    return 'nginx-openresty-lua';
  }
  if (kind === 'unprivileged') {
    d.from(
      `nginxinc/nginx-unprivileged:${r.pick(['1.25-alpine', 'stable-alpine', '1.25-alpine-slim', '1.26'])}`,
    );
    d.ins('USER', 'root');
    if (r.chance(0.5)) d.run(apk(d, ['curl']), { mode: 'inline' });
    d.ins('COPY', '--chown=nginx:nginx nginx.conf /etc/nginx/conf.d/default.conf');
    d.ins('COPY', '--chown=nginx:nginx dist/ /usr/share/nginx/html/');
    d.ins('USER', r.pick(['nginx', '101']));
    d.ins('EXPOSE', '8080');
    if (r.chance(0.5)) d.healthcheck('curl -fs http://localhost:8080/ || exit 1');
    return 'nginx-unprivileged-static';
  }
  const image = img(d, 'nginx', tags, { latest: 0.15 });
  const alpine = isAlpine(image);
  d.from(image);
  maybeMaintainer(d);
  if (kind === 'module') {
    d.run(
      alpine
        ? apk(d, ['nginx-mod-http-headers-more', 'nginx-mod-http-geoip2'])
        : apt(d, ['libnginx-mod-http-headers-more-filter', 'libnginx-mod-http-geoip2']),
    );
  }
  if (kind === 'basic-auth') {
    d.run(alpine ? apk(d, ['apache2-utils']) : apt(d, ['apache2-utils']), { mode: 'inline' });
    if (d.bad(0.7))
      d.ins(
        'RUN',
        `htpasswd -bc /etc/nginx/.htpasswd ${r.pick(['admin', 'ops', 'deploy'])} ${r.pick(['changeme', 'S3cr3t!', 'admin123'])}`,
      );
    else d.ins('COPY', '.htpasswd /etc/nginx/.htpasswd');
  }
  if (r.chance(0.5)) d.ins('RUN', 'rm /etc/nginx/conf.d/default.conf');
  if (kind === 'templates') {
    d.ins('COPY', 'templates/ /etc/nginx/templates/');
    d.env({ NGINX_PORT: 8080, UPSTREAM_HOST: 'app', UPSTREAM_PORT: 3000 });
    if (r.chance(0.5)) d.env({ NGINX_ENVSUBST_OUTPUT_DIR: '/etc/nginx/conf.d' });
    d.ins('EXPOSE', '8080');
    return 'nginx-envsubst-templates';
  }
  d.ins(
    'COPY',
    r.pick([
      'nginx.conf /etc/nginx/nginx.conf',
      'default.conf /etc/nginx/conf.d/',
      'conf.d/ /etc/nginx/conf.d/',
      'site.conf /etc/nginx/conf.d/site.conf',
    ]),
  );
  if (kind === 'proxy') {
    if (r.chance(0.5)) d.ins('COPY', 'certs/ /etc/nginx/certs/');
    if (d.bad(0.15))
      d.ins('COPY', 'certs/privkey.pem /etc/nginx/ssl/privkey.pem').ins(
        'RUN',
        'chmod 777 /etc/nginx/ssl/privkey.pem',
      );
    d.ins('EXPOSE', r.chance(0.6) ? '80 443' : '80');
  } else {
    if (d.bad(0.15))
      d.ins(
        'ADD',
        r.pick([
          'site.tar.gz /usr/share/nginx/html/',
          'https://github.com/acme/site/releases/download/v1.4.2/site.tar.gz /tmp/',
        ]),
      );
    else
      d.ins(
        'COPY',
        r.pick([
          'dist/ /usr/share/nginx/html',
          'public /usr/share/nginx/html',
          './build /usr/share/nginx/html/',
          'html/ /usr/share/nginx/html/',
        ]),
      );
    d.ins('EXPOSE', '80');
  }
  if (r.chance(0.3))
    d.ins(
      'RUN',
      'ln -sf /dev/stdout /var/log/nginx/access.log && ln -sf /dev/stderr /var/log/nginx/error.log',
    );
  if (r.chance(0.2)) d.ins('STOPSIGNAL', 'SIGQUIT');
  if (r.chance(0.3))
    d.healthcheck(
      alpine ? 'wget -q --spider http://localhost/ || exit 1' : 'curl -f http://localhost/ || exit 1',
    );
  if (r.chance(0.6))
    d.ins('CMD', d.bad(0.15) ? 'nginx -g "daemon off;"' : exec('nginx', '-g', 'daemon off;'));
  return `nginx-${kind}${alpine ? '-alpine' : ''}`;
}

// Services built the way the official images build them.
const SOURCE_SERVICES = [
  {
    name: 'redis',
    version: '7.2.4',
    url: 'http://download.redis.io/releases/redis-${REDIS_VERSION}.tar.gz',
    deps: ['dpkg-dev', 'gcc', 'libc6-dev', 'libssl-dev', 'make'],
    alpineDeps: ['coreutils', 'dpkg-dev', 'dpkg', 'gcc', 'linux-headers', 'make', 'musl-dev', 'openssl-dev'],
    build: ['make -C /usr/src/redis -j "$(nproc)" all', 'make -C /usr/src/redis install'],
    verify: ['redis-cli --version', 'redis-server --version'],
    port: '6379',
    data: '/data',
    cmd: ['redis-server'],
    uid: 999,
  },
  {
    name: 'memcached',
    version: '1.6.24',
    url: 'https://memcached.org/files/memcached-${MEMCACHED_VERSION}.tar.gz',
    deps: [
      'ca-certificates',
      'dpkg-dev',
      'gcc',
      'libc6-dev',
      'libevent-dev',
      'libio-socket-ssl-perl',
      'libsasl2-dev',
      'libssl-dev',
      'make',
      'perl',
    ],
    alpineDeps: [
      'ca-certificates',
      'coreutils',
      'cyrus-sasl-dev',
      'gcc',
      'libc-dev',
      'libevent-dev',
      'linux-headers',
      'make',
      'openssl-dev',
      'perl',
    ],
    build: [
      'cd /usr/src/memcached',
      'gnuArch="$(dpkg-architecture --query DEB_BUILD_GNU_TYPE)"',
      './configure --build="$gnuArch" --enable-extstore --enable-sasl --enable-sasl-pwdb --enable-tls',
      'nproc="$(nproc)"',
      'make -j "$nproc"',
      'make install',
      'cd /',
    ],
    verify: ['memcached -V'],
    port: '11211',
    data: null,
    cmd: ['memcached'],
    uid: 11211,
  },
  {
    name: 'haproxy',
    version: '2.9.6',
    url: 'https://www.haproxy.org/download/2.9/src/haproxy-${HAPROXY_VERSION}.tar.gz',
    deps: ['gcc', 'libc6-dev', 'liblua5.4-dev', 'libpcre2-dev', 'libssl-dev', 'make', 'wget'],
    alpineDeps: [
      'gcc',
      'libc-dev',
      'linux-headers',
      'lua5.4-dev',
      'make',
      'openssl',
      'openssl-dev',
      'pcre2-dev',
      'readline-dev',
      'tar',
      'zlib-dev',
    ],
    build: [
      'makeOpts=\' TARGET=linux-glibc USE_GETADDRINFO=1 USE_LUA=1 LUA_INC=/usr/include/lua5.4 USE_OPENSSL=1 USE_PCRE2=1 USE_PCRE2_JIT=1 USE_PROMEX=1 EXTRA_OBJS="" \'',
      'make -C /usr/src/haproxy -j "$(nproc)" all $makeOpts',
      'make -C /usr/src/haproxy install-bin $makeOpts',
      'mkdir -p /usr/local/etc/haproxy',
      'cp -R /usr/src/haproxy/examples/errorfiles /usr/local/etc/haproxy/errors',
      'rm -rf /usr/src/haproxy',
    ],
    verify: ['haproxy -v'],
    port: '80 443',
    data: '/var/lib/haproxy',
    cmd: ['haproxy', '-f', '/usr/local/etc/haproxy/haproxy.cfg'],
    uid: 99,
    stop: 'SIGUSR1',
  },
  {
    name: 'pgbouncer',
    version: '1.22.1',
    url: 'https://www.pgbouncer.org/downloads/files/${PGBOUNCER_VERSION}/pgbouncer-${PGBOUNCER_VERSION}.tar.gz',
    deps: ['gcc', 'libc6-dev', 'libevent-dev', 'libssl-dev', 'make', 'pkg-config', 'wget'],
    alpineDeps: [
      'autoconf',
      'automake',
      'c-ares-dev',
      'gcc',
      'libc-dev',
      'libevent-dev',
      'libtool',
      'make',
      'openssl-dev',
      'pkgconfig',
    ],
    build: [
      'cd /usr/src/pgbouncer',
      './configure --prefix=/usr/local --with-cares',
      'make -j "$(nproc)"',
      'make install',
      'cd /',
      'rm -rf /usr/src/pgbouncer',
    ],
    verify: ['pgbouncer --version'],
    port: '6432',
    data: null,
    cmd: ['pgbouncer', '/etc/pgbouncer/pgbouncer.ini'],
    uid: 70,
  },
  {
    name: 'unbound',
    version: '1.19.3',
    url: 'https://nlnetlabs.nl/downloads/unbound/unbound-${UNBOUND_VERSION}.tar.gz',
    deps: [
      'bison',
      'flex',
      'gcc',
      'libc6-dev',
      'libevent-dev',
      'libexpat1-dev',
      'libnghttp2-dev',
      'libssl-dev',
      'make',
    ],
    alpineDeps: ['build-base', 'expat-dev', 'libevent-dev', 'nghttp2-dev', 'openssl-dev', 'bison', 'flex'],
    build: [
      'cd /usr/src/unbound',
      './configure --prefix=/opt/unbound --with-pthreads --with-libevent --enable-event-api --with-libnghttp2',
      'make -j "$(nproc)" install',
      'cd /',
      'rm -rf /usr/src/unbound',
    ],
    verify: ['/opt/unbound/sbin/unbound -V'],
    port: '53/tcp 53/udp',
    data: null,
    cmd: ['/opt/unbound/sbin/unbound', '-d', '-c', '/opt/unbound/etc/unbound/unbound.conf'],
    uid: 101,
  },
];

const TARBALL_SERVICES = [
  {
    name: 'prometheus',
    version: '2.51.1',
    dir: 'prometheus-${PROMETHEUS_VERSION}.linux-${ARCH}',
    url: 'https://github.com/prometheus/prometheus/releases/download/v${PROMETHEUS_VERSION}/prometheus-${PROMETHEUS_VERSION}.linux-${ARCH}.tar.gz',
    bins: ['prometheus', 'promtool'],
    port: '9090',
    data: '/prometheus',
    cmd: ['--config.file=/etc/prometheus/prometheus.yml', '--storage.tsdb.path=/prometheus'],
  },
  {
    name: 'node_exporter',
    version: '1.7.0',
    dir: 'node_exporter-${NODE_EXPORTER_VERSION}.linux-${ARCH}',
    url: 'https://github.com/prometheus/node_exporter/releases/download/v${NODE_EXPORTER_VERSION}/node_exporter-${NODE_EXPORTER_VERSION}.linux-${ARCH}.tar.gz',
    bins: ['node_exporter'],
    port: '9100',
    data: null,
    cmd: ['--path.rootfs=/host'],
  },
  {
    name: 'consul',
    version: '1.18.1',
    zip: true,
    url: 'https://releases.hashicorp.com/consul/${CONSUL_VERSION}/consul_${CONSUL_VERSION}_linux_${ARCH}.zip',
    bins: ['consul'],
    port: '8300 8301 8500 8600/udp',
    data: '/consul/data',
    cmd: ['agent', '-dev', '-client', '0.0.0.0'],
  },
  {
    name: 'etcd',
    version: '3.5.12',
    dir: 'etcd-v${ETCD_VERSION}-linux-${ARCH}',
    url: 'https://github.com/etcd-io/etcd/releases/download/v${ETCD_VERSION}/etcd-v${ETCD_VERSION}-linux-${ARCH}.tar.gz',
    bins: ['etcd', 'etcdctl'],
    port: '2379 2380',
    data: '/var/lib/etcd',
    cmd: ['--data-dir=/var/lib/etcd'],
  },
  {
    name: 'vault',
    version: '1.15.6',
    zip: true,
    url: 'https://releases.hashicorp.com/vault/${VAULT_VERSION}/vault_${VAULT_VERSION}_linux_${ARCH}.zip',
    bins: ['vault'],
    port: '8200',
    data: '/vault/file',
    cmd: ['server', '-dev'],
  },
  {
    name: 'loki',
    version: '2.9.6',
    zip: true,
    url: 'https://github.com/grafana/loki/releases/download/v${LOKI_VERSION}/loki-linux-${ARCH}.zip',
    bins: ['loki'],
    port: '3100',
    data: '/loki',
    cmd: ['-config.file=/etc/loki/local-config.yaml'],
  },
];

const VENDOR_REPOS = [
  {
    name: 'postgresql',
    key: 'https://www.postgresql.org/media/keys/ACCC4CF8.asc',
    repo: 'http://apt.postgresql.org/pub/repos/apt ${CODENAME}-pgdg main',
    pkgs: ['postgresql-16', 'postgresql-contrib-16'],
    port: '5432',
    data: '/var/lib/postgresql/data',
    user: 'postgres',
    cmd: ['postgres'],
  },
  {
    name: 'mongodb',
    key: 'https://pgp.mongodb.com/server-7.0.asc',
    repo: 'http://repo.mongodb.org/apt/debian ${CODENAME}/mongodb-org/7.0 main',
    pkgs: ['mongodb-org'],
    port: '27017',
    data: '/data/db',
    user: 'mongodb',
    cmd: ['mongod', '--bind_ip_all'],
  },
  {
    name: 'grafana',
    key: 'https://apt.grafana.com/gpg.key',
    repo: 'https://apt.grafana.com stable main',
    pkgs: ['grafana'],
    port: '3000',
    data: '/var/lib/grafana',
    user: 'grafana',
    cmd: ['grafana-server', '--homepath=/usr/share/grafana'],
  },
  {
    name: 'rabbitmq',
    key: 'https://keys.openpgp.org/vks/v1/by-fingerprint/0A9AF2115F4687BD29803A206B73A36E6026DFCA',
    repo: 'https://ppa1.novemberain.com/rabbitmq/rabbitmq-server/deb/debian ${CODENAME} main',
    pkgs: ['rabbitmq-server'],
    port: '5672 15672',
    data: '/var/lib/rabbitmq',
    user: 'rabbitmq',
    cmd: ['rabbitmq-server'],
  },
  {
    name: 'nodesource',
    key: 'https://deb.nodesource.com/gpgkey/nodesource-repo.gpg.key',
    repo: 'https://deb.nodesource.com/node_20.x nodistro main',
    pkgs: ['nodejs'],
    port: '3000',
    data: null,
    user: 'node',
    cmd: ['node', 'server.js'],
  },
  {
    name: 'mariadb',
    key: 'https://mariadb.org/mariadb_release_signing_key.asc',
    repo: 'https://deb.mariadb.org/11.2/debian ${CODENAME} main',
    pkgs: ['mariadb-server', 'mariadb-backup'],
    port: '3306',
    data: '/var/lib/mysql',
    user: 'mysql',
    cmd: ['mariadbd'],
  },
];

const upperVar = (name) => `${name.toUpperCase().replace(/-/g, '_')}_VERSION`;

const gosuBlock = (d, semi) => {
  const { r } = d;
  d.comment('grab gosu for easy step-down from root');
  d.comment('https://github.com/tianon/gosu/releases');
  d.env({ GOSU_VERSION: r.pick(['1.17', '1.16', '1.14']) }, r.chance(0.5));
  const keyserver = r.pick([
    'hkps://keys.openpgp.org',
    'keyserver.ubuntu.com',
    'hkps://keyserver.ubuntu.com',
  ]);
  d.run(
    [
      'set -eux',
      'savedAptMark="$(apt-mark showmanual)"',
      'apt-get update',
      'apt-get install -y --no-install-recommends ca-certificates gnupg wget',
      'rm -rf /var/lib/apt/lists/*',
      'dpkgArch="$(dpkg --print-architecture | awk -F- \'{ print $NF }\')"',
      'wget -O /usr/local/bin/gosu "https://github.com/tianon/gosu/releases/download/$GOSU_VERSION/gosu-$dpkgArch"',
      'wget -O /usr/local/bin/gosu.asc "https://github.com/tianon/gosu/releases/download/$GOSU_VERSION/gosu-$dpkgArch.asc"',
      note('verify the signature'),
      'export GNUPGHOME="$(mktemp -d)"',
      `gpg --batch --keyserver ${keyserver} --recv-keys ${GPG_KEYS[0]}`,
      'gpg --batch --verify /usr/local/bin/gosu.asc /usr/local/bin/gosu',
      'gpgconf --kill all',
      'rm -rf "$GNUPGHOME" /usr/local/bin/gosu.asc',
      note('clean up fetch dependencies'),
      "apt-mark auto '.*' > /dev/null",
      '[ -z "$savedAptMark" ] || apt-mark manual $savedAptMark > /dev/null',
      'apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportance=false',
      'chmod +x /usr/local/bin/gosu',
      note('verify that the binary works'),
      'gosu --version',
      'gosu nobody true',
    ],
    { mode: semi ? 'semi' : 'leading' },
  );
};

function debianService(d) {
  const { r } = d;
  const kind = r.weighted([
    ['source', 5],
    ['tarball', 4],
    ['vendor', 4],
  ]);
  const semi = r.chance(0.75);
  const mode = semi ? 'semi' : d.mode;
  const base = r.chance(0.8)
    ? img(d, 'debian', [
        'bookworm-slim',
        'bookworm-slim',
        'bookworm',
        'bullseye-slim',
        '12-slim',
        'bookworm-20240311-slim',
      ])
    : ubuntuBase(d);
  const family = base.startsWith('ubuntu') ? 'ubuntu' : 'debian';
  if (kind === 'source') {
    const s = r.pick(SOURCE_SERVICES);
    const V = upperVar(s.name);
    const legacyEnv = r.chance(0.4);
    d.from(base);
    d.blank();
    d.comment(
      'add our user and group first to make sure their IDs get assigned consistently, regardless of whatever dependencies get added',
    );
    d.run(
      ['set -eux', `groupadd -r -g ${s.uid} ${s.name}`, `useradd -r -g ${s.name} -u ${s.uid} ${s.name}`],
      { mode },
    );
    d.blank();
    const useGosu = r.chance(0.6);
    if (useGosu) {
      gosuBlock(d, semi);
      d.blank();
    }
    d.env({ [V]: s.version }, legacyEnv);
    d.env(
      { [`${s.name.toUpperCase()}_DOWNLOAD_URL`]: s.url.replace(/\$\{[A-Z_]+\}/g, s.version) },
      legacyEnv,
    );
    const verifyBy = r.chance(0.75) ? 'sha' : 'none';
    if (verifyBy === 'sha') d.env({ [`${s.name.toUpperCase()}_DOWNLOAD_SHA`]: SHA(r) }, legacyEnv);
    d.blank();
    const U = s.name.toUpperCase();
    const cmds = [
      'set -eux',
      BREAK,
      'savedAptMark="$(apt-mark showmanual)"',
      'apt-get update',
      [
        'apt-get install -y --no-install-recommends',
        ...['ca-certificates', 'wget', ...s.deps.filter((p) => p !== 'wget' && p !== 'ca-certificates')],
      ],
      'rm -rf /var/lib/apt/lists/*',
      BREAK,
      `wget -O ${s.name}.tar.gz "$${U}_DOWNLOAD_URL"`,
      ...(verifyBy === 'sha' ? [`echo "$${U}_DOWNLOAD_SHA *${s.name}.tar.gz" | sha256sum -c -`] : []),
      `mkdir -p /usr/src/${s.name}`,
      `tar -xzf ${s.name}.tar.gz -C /usr/src/${s.name} --strip-components=1`,
      `rm ${s.name}.tar.gz`,
      BREAK,
      ...s.build,
      BREAK,
      "apt-mark auto '.*' > /dev/null",
      '[ -z "$savedAptMark" ] || apt-mark manual $savedAptMark > /dev/null',
      [
        "find /usr/local -type f -executable -exec ldd '{}' ';'",
        `| awk '/=>/ { so = $(NF-1); if (index(so, "/usr/local/") == 1) { next }; gsub("^/(usr/)?", "", so); printf "*%s\\n", so }'`,
        '| sort -u',
        '| xargs -r dpkg-query --search',
        '| cut -d: -f1',
        '| sort -u',
        '| xargs -r apt-mark manual',
      ],
      'apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportance=false',
      BREAK,
      ...s.verify,
    ];
    const breaks = semi && r.chance(0.8);
    d.run(
      cmds.filter((c) => breaks || !isBreak(c)),
      { mode },
    );
    d.blank();
    if (s.data) {
      d.ins('RUN', `mkdir ${s.data} && chown ${s.name}:${s.name} ${s.data}`);
      d.ins('VOLUME', s.data);
      d.ins('WORKDIR', s.data);
      d.blank();
    }
    if (s.name === 'haproxy') {
      d.comment('https://www.haproxy.org/download/1.8/doc/management.txt');
      d.comment('"4. Stopping and restarting HAProxy"');
      d.ins('STOPSIGNAL', s.stop);
      d.blank();
    }
    d.ins('COPY', 'docker-entrypoint.sh /usr/local/bin/');
    if (r.chance(0.3))
      d.ins('RUN', `ln -s usr/local/bin/docker-entrypoint.sh /entrypoint.sh # backwards compat`);
    d.ins('ENTRYPOINT', exec('docker-entrypoint.sh'));
    d.blank();
    if (!useGosu) d.ins('USER', s.name);
    d.ins('EXPOSE', s.port);
    d.ins('CMD', exec(...s.cmd));
    return `debian-${s.name}-from-source`;
  }

  if (kind === 'tarball') {
    const s = r.pick(TARBALL_SERVICES);
    const V = upperVar(s.name);
    d.from(base);
    if (d.r.chance(0.5)) maybeMaintainer(d);
    d.blank();
    d.ins('ARG', r.chance(0.5) ? `${V}=${s.version}` : `${V}`);
    if (!d.lines[d.lines.length - 1].includes('=')) d.lines[d.lines.length - 1] += `=${s.version}`;
    d.ins('ARG', r.chance(0.6) ? 'TARGETARCH' : 'ARCH=amd64');
    const archExpr = d.lines[d.lines.length - 1].includes('TARGETARCH') ? '${TARGETARCH}' : '${ARCH}';
    const url = s.url.replace(/\$\{ARCH\}/g, archExpr);
    const pipefail = r.chance(0.35);
    if (pipefail) shellPipefail(d);
    d.blank();
    const sha = r.chance(0.6);
    const fetch = r.pick(['curl', 'wget']);
    const get = (out) => (fetch === 'curl' ? `curl -fsSL -o ${out} "${url}"` : `wget -q -O ${out} "${url}"`);
    const cmds = [
      ...apt(d, [fetch === 'curl' ? 'curl' : 'wget', 'ca-certificates', ...(s.zip ? ['unzip'] : [])], {
        strict: !d.bad(0.3),
      }),
    ];
    if (s.zip) {
      cmds.push(get(`/tmp/${s.name}.zip`));
      if (sha) cmds.push(`echo "${SHA(r)}  /tmp/${s.name}.zip" | sha256sum -c -`);
      cmds.push(`unzip /tmp/${s.name}.zip -d /usr/local/bin`, `rm /tmp/${s.name}.zip`);
    } else if (!sha && r.chance(0.6)) {
      cmds.push(`${fetch === 'curl' ? `curl -fsSL "${url}"` : `wget -qO- "${url}"`} | tar -xz -C /tmp`);
      for (const b of s.bins)
        cmds.push(`mv /tmp/${s.dir.replace(/\$\{ARCH\}/g, archExpr)}/${b} /usr/local/bin/`);
      cmds.push('rm -rf /tmp/*');
    } else {
      cmds.push(get(`/tmp/${s.name}.tar.gz`));
      if (sha) cmds.push(`echo "${SHA(r)}  /tmp/${s.name}.tar.gz" | sha256sum -c -`);
      cmds.push(`tar -xzf /tmp/${s.name}.tar.gz -C /tmp`);
      for (const b of s.bins)
        cmds.push(`mv /tmp/${s.dir.replace(/\$\{ARCH\}/g, archExpr)}/${b} /usr/local/bin/`);
      cmds.push(`rm -rf /tmp/${s.name}*`);
    }
    cmds.push(`${s.bins[0]} --version`);
    d.run(cmds, { mode: semi && r.chance(0.5) ? 'leading' : d.mode });
    d.blank();
    const user = s.name.replace('_', '-');
    if (!d.bad(0.3)) {
      d.run([userDebian(d, user, 65534 - r.int(0, 500))], { mode: 'inline' });
      if (s.data) d.ins('RUN', `mkdir -p ${s.data} && chown -R ${user}:${user} ${s.data}`);
      d.ins('USER', user);
    } else if (s.data) d.ins('RUN', `mkdir -p ${s.data}`);
    if (s.data) d.ins('VOLUME', exec(s.data));
    d.ins('EXPOSE', s.port);
    d.ins('ENTRYPOINT', exec(`/usr/local/bin/${s.bins[0]}`));
    d.ins('CMD', exec(...s.cmd));
    return `${family}-${s.name.replace('_', '-')}-release`;
  }

  const s = r.pick(VENDOR_REPOS);
  d.from(base);
  d.blank();
  const cn = codename(base);
  const dearmor = r.chance(0.6);
  if (r.chance(0.5)) d.env({ DEBIAN_FRONTEND: 'noninteractive' });
  else d.ins('ARG', 'DEBIAN_FRONTEND=noninteractive');
  const keyring = `/etc/apt/keyrings/${s.name}.gpg`;
  const repo = s.repo.replace('${CODENAME}', cn);
  const cmds = [
    ...apt(d, ['ca-certificates', 'curl', 'gnupg'], { clean: false, strict: true }),
    'install -m 0755 -d /etc/apt/keyrings',
    dearmor
      ? `curl -fsSL ${s.key} | gpg --dearmor -o ${keyring}`
      : `curl -fsSL -o ${keyring.replace('.gpg', '.asc')} ${s.key}`,
    `echo "deb [signed-by=${dearmor ? keyring : keyring.replace('.gpg', '.asc')}] ${repo}" > /etc/apt/sources.list.d/${s.name}.list`,
    'apt-get update',
    [
      `apt-get install -y --no-install-recommends`,
      ...s.pkgs.map((p) => (d.pinPkgs ? `${p}=${r.int(1, 16)}.${r.int(0, 9)}.${r.int(0, 12)}-1` : p)),
    ],
    'rm -rf /var/lib/apt/lists/*',
  ];
  if (d.bad(0.25)) {
    cmds.splice(
      3,
      2,
      `curl -fsSL ${s.key} | apt-key add -`,
      `echo "deb ${repo}" > /etc/apt/sources.list.d/${s.name}.list`,
    );
  }
  if (mode === 'semi') cmds.unshift('set -eux');
  d.run(cmds, { mode });
  d.blank();
  if (s.data) {
    d.run(
      [
        `mkdir -p ${s.data}`,
        `chown -R ${s.user}:${s.user} ${s.data}`,
        ...(d.bad(0.2) ? [`chmod 777 ${s.data}`] : []),
      ],
      { mode: r.chance(0.5) ? 'inline' : mode === 'semi' ? 'leading' : mode },
    );
    d.ins('VOLUME', s.data);
  }
  if (r.chance(0.5)) {
    d.ins('COPY', 'docker-entrypoint.sh /usr/local/bin/');
    d.ins('ENTRYPOINT', exec('docker-entrypoint.sh'));
  } else d.ins('USER', s.user);
  d.ins('EXPOSE', s.port);
  d.ins('CMD', exec(...s.cmd));
  return `${family}-${s.name}-vendor-repo`;
}

function alpineService(d) {
  const { r } = d;
  const base = alpineBase(d);
  d.from(base);
  d.blank();
  if (r.chance(0.6)) {
    const s = r.pick(SOURCE_SERVICES);
    const V = upperVar(s.name);
    const U = s.name.toUpperCase();
    d.comment(
      'add our user and group first to make sure their IDs get assigned consistently, regardless of whatever dependencies get added',
    );
    d.run(
      [
        'set -eux',
        `addgroup -S -g ${s.uid} ${s.name}`,
        `adduser -S -D -H -h ${s.data ?? '/dev/null'} -s /sbin/nologin -G ${s.name} -u ${s.uid} ${s.name}`,
      ],
      { mode: 'semi' },
    );
    d.blank();
    const suExec = r.chance(0.6);
    if (suExec) {
      d.comment('grab su-exec for easy step-down from root');
      d.run(
        apk(d, ['su-exec', 'tzdata'], { strict: true }).map((c) => (typeof c === 'string' ? c : c)),
        { mode: 'inline' },
      );
      d.blank();
    }
    d.env({ [V]: s.version }, r.chance(0.5));
    d.env({ [`${U}_DOWNLOAD_URL`]: s.url.replace(/\$\{[A-Z_]+\}/g, s.version) }, r.chance(0.5));
    d.env({ [`${U}_DOWNLOAD_SHA`]: SHA(r) }, r.chance(0.5));
    d.blank();
    d.run(
      [
        'set -eux',
        ['apk add --no-cache --virtual .build-deps', ...s.alpineDeps],
        `wget -O ${s.name}.tar.gz "$${U}_DOWNLOAD_URL"`,
        `echo "$${U}_DOWNLOAD_SHA *${s.name}.tar.gz" | sha256sum -c -`,
        `mkdir -p /usr/src/${s.name}`,
        `tar -xzf ${s.name}.tar.gz -C /usr/src/${s.name} --strip-components=1`,
        `rm ${s.name}.tar.gz`,
        ...s.build.map((c) =>
          c
            .replace(
              'gnuArch="$(dpkg-architecture --query DEB_BUILD_GNU_TYPE)"',
              'gnuArch="$(dpkg-architecture --query DEB_BUILD_GNU_TYPE 2>/dev/null || uname -m)"',
            )
            .replace('linux-glibc', 'linux-musl'),
        ),
        [
          'runDeps="$(',
          "scanelf --needed --nobanner --format '%n#p' --recursive /usr/local",
          "| tr ',' '\\n'",
          '| sort -u',
          '| awk \'system("[ -e /usr/local/lib/" $1 " ]") == 0 { next } { print "so:" $1 }\'',
          ')"',
        ],
        `apk add --no-network --virtual .${s.name}-rundeps $runDeps`,
        'apk del --no-network .build-deps',
        ...s.verify,
      ],
      { mode: 'semi' },
    );
    d.blank();
    if (s.data) {
      d.ins('RUN', `mkdir ${s.data} && chown ${s.name}:${s.name} ${s.data}`);
      d.ins('VOLUME', s.data);
      d.ins('WORKDIR', s.data);
      d.blank();
    }
    d.ins('COPY', 'docker-entrypoint.sh /usr/local/bin/');
    d.ins('ENTRYPOINT', exec('docker-entrypoint.sh'));
    if (!suExec) d.ins('USER', s.name);
    d.blank();
    d.ins('EXPOSE', s.port);
    d.ins('CMD', exec(...s.cmd));
    return `alpine-${s.name}-from-source`;
  }
  const s = r.pick([
    {
      name: 'mosquitto',
      pkgs: ['mosquitto', 'mosquitto-clients'],
      port: '1883 8883',
      conf: '/mosquitto/config/mosquitto.conf',
      cmd: ['/usr/sbin/mosquitto', '-c', '/mosquitto/config/mosquitto.conf'],
      data: '/mosquitto/data',
    },
    {
      name: 'coturn',
      pkgs: ['coturn', 'ca-certificates', 'curl'],
      port: '3478 3478/udp 5349',
      conf: '/etc/coturn/turnserver.conf',
      cmd: ['turnserver', '-c', '/etc/coturn/turnserver.conf'],
      data: '/var/lib/coturn',
    },
    {
      name: 'dnsmasq',
      pkgs: ['dnsmasq'],
      port: '53/udp 53/tcp',
      conf: '/etc/dnsmasq.conf',
      cmd: ['dnsmasq', '--keep-in-foreground', '--log-facility=-'],
      data: null,
    },
    {
      name: 'chrony',
      pkgs: ['chrony', 'tzdata'],
      port: '123/udp',
      conf: '/etc/chrony/chrony.conf',
      cmd: ['chronyd', '-d', '-x'],
      data: '/var/lib/chrony',
    },
    {
      name: 'squid',
      pkgs: ['squid', 'ca-certificates'],
      port: '3128',
      conf: '/etc/squid/squid.conf',
      cmd: ['squid', '-NYCd', '1'],
      data: '/var/cache/squid',
    },
    {
      name: 'tinyproxy',
      pkgs: ['tinyproxy'],
      port: '8888',
      conf: '/etc/tinyproxy/tinyproxy.conf',
      cmd: ['tinyproxy', '-d'],
      data: null,
    },
  ]);
  if (r.chance(0.5)) maybeMaintainer(d);
  d.run(apk(d, [...s.pkgs, ...(r.chance(0.5) ? ['su-exec'] : [])]), {
    mode: r.chance(0.4) ? 'inline' : d.mode,
  });
  d.ins('COPY', `${s.name}.conf ${s.conf}`);
  if (s.data) {
    d.run([`mkdir -p ${s.data}`, `chown -R ${s.name}:${s.name} ${s.data}`], { mode: 'inline' });
    d.ins('VOLUME', exec(s.data));
  }
  if (r.chance(0.4))
    d.healthcheck(
      `pgrep ${s.name === 'coturn' ? 'turnserver' : s.name === 'chrony' ? 'chronyd' : s.name} || exit 1`,
    );
  d.ins('EXPOSE', s.port);
  if (!d.bad(0.5) && s.name !== 'chrony') d.ins('USER', s.name);
  d.ins('CMD', exec(...s.cmd));
  return `alpine-${s.name}`;
}

function infra(d) {
  const { r } = d;
  const kind = r.pick([
    'postfix',
    'postfix',
    'sshd',
    'sshd',
    'cron',
    'supervisor',
    'squid',
    'bind9',
    'vsftpd',
    'haproxy-cfg',
    'rsyslog',
    'samba',
    'cron',
  ]);
  if (kind === 'postfix') {
    const alpine = r.chance(0.35);
    const hostname = r.pick(['mail.example.com', 'smtp.acme.internal', 'relay.example.org']);
    if (alpine) {
      d.from(alpineBase(d));
      maybeMaintainer(d);
      d.run(
        apk(
          d,
          ['postfix', 'cyrus-sasl', 'cyrus-sasl-login', 'ca-certificates', 'tzdata', 'bash'].slice(
            0,
            r.int(2, 6),
          ),
        ),
      );
    } else {
      d.from(r.chance(0.6) ? debianBase(d) : ubuntuBase(d));
      maybeMaintainer(d);
      if (r.chance(0.5)) d.env({ DEBIAN_FRONTEND: 'noninteractive' });
      d.run([
        `echo "postfix postfix/main_mailer_type string 'Internet Site'" | debconf-set-selections`,
        `echo "postfix postfix/mailname string ${hostname}" | debconf-set-selections`,
        ...apt(
          d,
          [
            'postfix',
            'libsasl2-modules',
            'ca-certificates',
            ...r.some(['mailutils', 'rsyslog', 'opendkim', 'opendkim-tools', 'postfix-pcre'], 0, 2),
          ],
          { family: 'debian' },
        ),
      ]);
    }
    const conf = r.some(
      [
        "postconf -e 'inet_interfaces = all'",
        "postconf -e 'inet_protocols = ipv4'",
        "postconf -e 'mynetworks = 127.0.0.0/8 10.0.0.0/8 172.16.0.0/12 192.168.0.0/16'",
        "postconf -e 'smtp_tls_security_level = may'",
        "postconf -e 'smtp_sasl_auth_enable = yes'",
        "postconf -e 'smtp_sasl_password_maps = lmdb:/etc/postfix/sasl_passwd'",
        "postconf -e 'smtp_sasl_security_options = noanonymous'",
        "postconf -e 'relayhost = [smtp.sendgrid.net]:587'",
        "postconf -e 'maillog_file = /dev/stdout'",
        `postconf -e 'myhostname = ${hostname}'`,
        "postconf -e 'message_size_limit = 26214400'",
      ],
      3,
      7,
    );
    d.run(conf);
    if (d.bad(0.3)) {
      d.ins(
        'RUN',
        `echo "[smtp.sendgrid.net]:587 apikey:SG.${SHA(r, 22)}" > /etc/postfix/sasl_passwd && postmap /etc/postfix/sasl_passwd`,
      );
    } else if (r.chance(0.4)) d.ins('COPY', 'sasl_passwd /etc/postfix/sasl_passwd');
    d.ins('EXPOSE', r.pick(['25', '25 587', '25 465 587']));
    if (r.chance(0.6)) {
      d.ins('COPY', r.pick(['entrypoint.sh /entrypoint.sh', 'docker-entrypoint.sh /usr/local/bin/']));
      if (r.chance(0.5)) d.ins('RUN', 'chmod +x /entrypoint.sh');
      d.ins(
        'ENTRYPOINT',
        exec(d.lines.some((l) => l.includes('/usr/local/bin/')) ? 'docker-entrypoint.sh' : '/entrypoint.sh'),
      );
    }
    d.ins(
      'CMD',
      r.chance(0.7) ? exec('postfix', 'start-fg') : 'service postfix start && tail -F /var/log/mail.log',
    );
    return `postfix-${alpine ? 'alpine' : 'debian'}-relay`;
  }
  if (kind === 'sshd') {
    const classic = d.sloppy > 0 && r.chance(0.6);
    const alpine = !classic && r.chance(0.4);
    d.from(alpine ? alpineBase(d) : classic ? ubuntuBase(d) : r.chance(0.5) ? debianBase(d) : ubuntuBase(d));
    maybeMaintainer(d);
    if (classic) {
      d.run(
        apt(d, ['openssh-server', ...r.some(['sudo', 'vim', 'net-tools', 'curl'], 0, 3)], {
          family: 'ubuntu',
          noRec: false,
        }),
      );
      d.ins('RUN', 'mkdir /var/run/sshd');
      d.ins('RUN', `echo 'root:${r.pick(['Docker!', 'root', 'password', 'screencast'])}' | chpasswd`);
      d.ins('RUN', "sed -i 's/#PermitRootLogin prohibit-password/PermitRootLogin yes/' /etc/ssh/sshd_config");
      d.blank();
      d.comment('SSH login fix. Otherwise user is kicked off after login');
      d.ins(
        'RUN',
        "sed 's@session\\s*required\\s*pam_loginuid.so@session optional pam_loginuid.so@g' -i /etc/pam.d/sshd",
      );
      d.blank();
      d.env({ NOTVISIBLE: '"in users profile"' }, r.chance(0.5));
      d.ins('RUN', 'echo "export VISIBLE=now" >> /etc/profile');
      d.blank();
      d.ins('EXPOSE', '22');
      d.ins('CMD', exec('/usr/sbin/sshd', '-D'));
      return 'sshd-classic-root-login';
    }
    const user = r.pick(['deploy', 'git', 'sftp', 'tunnel']);
    if (alpine) {
      d.run([
        ...apk(d, ['openssh', 'openssh-server-pam'].slice(0, r.int(1, 2)), { strict: true }),
        'ssh-keygen -A',
        `adduser -D -s /bin/sh ${user}`,
        `passwd -u ${user}`,
      ]);
    } else {
      d.run([
        ...apt(d, ['openssh-server'], { strict: true }),
        'mkdir -p /run/sshd',
        `useradd --create-home --shell /bin/bash ${user}`,
      ]);
    }
    d.ins('COPY', `--chown=${user}:${user} authorized_keys /home/${user}/.ssh/authorized_keys`);
    d.run([
      `chmod 700 /home/${user}/.ssh`,
      `chmod 600 /home/${user}/.ssh/authorized_keys`,
      "sed -i -E 's/^#?PasswordAuthentication .*/PasswordAuthentication no/' /etc/ssh/sshd_config",
      "sed -i -E 's/^#?PermitRootLogin .*/PermitRootLogin no/' /etc/ssh/sshd_config",
      ...(user === 'sftp'
        ? [
            "printf 'Match User sftp\\n  ForceCommand internal-sftp\\n  ChrootDirectory /srv/sftp\\n' >> /etc/ssh/sshd_config",
          ]
        : []),
    ]);
    d.ins('EXPOSE', '22');
    d.ins('CMD', exec('/usr/sbin/sshd', '-D', '-e'));
    return `sshd-${alpine ? 'alpine' : 'debian'}-${user}`;
  }
  if (kind === 'cron') {
    const alpine = r.chance(0.4);
    d.from(alpine ? alpineBase(d) : r.chance(0.5) ? debianBase(d) : img(d, 'python', TAGS.python));
    if (alpine) {
      d.run(apk(d, ['dcron', 'curl', 'bash', 'tzdata'].slice(0, r.int(1, 4))), { mode: 'inline' });
      d.ins('COPY', 'crontab /etc/crontabs/root');
      d.ins('COPY', 'jobs/ /opt/jobs/');
      d.ins('RUN', d.bad(0.3) ? 'chmod -R 777 /opt/jobs' : 'chmod +x /opt/jobs/*.sh');
      d.ins('CMD', exec('crond', '-f', '-l', '2'));
      return 'cron-alpine-jobs';
    }
    d.run(apt(d, ['cron', ...r.some(['curl', 'postgresql-client', 'awscli', 'gzip'], 0, 2)]));
    if (d.lines.some((l) => l.startsWith('FROM python'))) {
      d.ins('WORKDIR', '/app');
      d.ins('COPY', 'requirements.txt .');
      d.ins('RUN', pipInstall(d, '-r requirements.txt'));
      d.ins('COPY', '. .');
    } else d.ins('COPY', 'backup.sh /usr/local/bin/backup.sh');
    d.ins('COPY', `crontab /etc/cron.d/${r.pick(['app', 'backup', 'jobs'])}`);
    const f = d.lines[d.lines.length - 1].split(' ').pop();
    d.run([`chmod 0644 ${f}`, `crontab ${f}`, 'touch /var/log/cron.log'], { mode: 'inline' });
    if (d.bad(0.4)) secretEnv(d);
    d.ins('CMD', r.chance(0.6) ? 'cron && tail -f /var/log/cron.log' : exec('cron', '-f'));
    return 'cron-debian-jobs';
  }
  if (kind === 'supervisor') {
    const alpine = r.chance(0.4);
    d.from(alpine ? alpineBase(d) : debianBase(d));
    maybeMaintainer(d);
    if (alpine)
      d.run(
        apk(d, ['supervisor', 'nginx', 'php83', 'php83-fpm', 'php83-opcache', 'php83-pdo_mysql', 'curl']),
      );
    else d.run(apt(d, ['supervisor', 'nginx', 'php-fpm', 'php-mysql', 'curl']));
    d.ins(
      'COPY',
      `supervisord.conf ${alpine ? '/etc/supervisord.conf' : '/etc/supervisor/conf.d/supervisord.conf'}`,
    );
    d.ins('COPY', alpine ? 'nginx.conf /etc/nginx/nginx.conf' : 'default /etc/nginx/sites-available/default');
    d.ins('COPY', 'src/ /var/www/html/');
    if (d.bad(0.4)) d.ins('RUN', 'chmod -R 777 /var/www/html');
    else d.ins('RUN', `chown -R ${alpine ? 'nobody:nobody' : 'www-data:www-data'} /var/www/html`);
    d.ins('EXPOSE', '80');
    if (r.chance(0.4)) d.healthcheck('curl --fail http://127.0.0.1/fpm-ping || exit 1');
    d.ins(
      'CMD',
      exec(
        '/usr/bin/supervisord',
        '-c',
        alpine ? '/etc/supervisord.conf' : '/etc/supervisor/conf.d/supervisord.conf',
      ),
    );
    return `supervisor-nginx-php-${alpine ? 'alpine' : 'debian'}`;
  }
  if (kind === 'haproxy-cfg') {
    d.from(img(d, 'haproxy', ['2.9-alpine', '2.8', '2.9.6', 'lts-alpine', '2.8-bookworm']));
    d.ins('COPY', 'haproxy.cfg /usr/local/etc/haproxy/haproxy.cfg');
    if (r.chance(0.5)) d.ins('COPY', 'certs/site.pem /usr/local/etc/haproxy/certs/site.pem');
    if (r.chance(0.3)) d.ins('RUN', 'haproxy -c -f /usr/local/etc/haproxy/haproxy.cfg');
    d.ins('EXPOSE', '80 443 8404');
    return 'haproxy-config-only';
  }
  const simple = {
    squid: {
      pkgs: ['squid', 'ca-certificates'],
      conf: ['squid.conf /etc/squid/squid.conf'],
      port: '3128',
      cmd: ['squid', '-N', '-d', '1'],
      prep: ['squid -z -N'],
    },
    bind9: {
      pkgs: ['bind9', 'bind9utils', 'dnsutils'],
      conf: ['named.conf.options /etc/bind/', 'zones/ /etc/bind/zones/'],
      port: '53/udp 53/tcp',
      cmd: ['/usr/sbin/named', '-g', '-c', '/etc/bind/named.conf', '-u', 'bind'],
      prep: ['named-checkconf'],
    },
    vsftpd: {
      pkgs: ['vsftpd', 'db-util'],
      conf: ['vsftpd.conf /etc/vsftpd.conf'],
      port: '20 21 21100-21110',
      cmd: ['/usr/sbin/vsftpd', '/etc/vsftpd.conf'],
      prep: ['mkdir -p /var/run/vsftpd/empty'],
    },
    rsyslog: {
      pkgs: ['rsyslog', 'rsyslog-gnutls'],
      conf: ['rsyslog.conf /etc/rsyslog.conf'],
      port: '514/udp 514/tcp',
      cmd: ['rsyslogd', '-n'],
      prep: [],
    },
    samba: {
      pkgs: ['samba', 'smbclient'],
      conf: ['smb.conf /etc/samba/smb.conf'],
      port: '139 445',
      cmd: ['smbd', '--foreground', '--no-process-group', '--debug-stdout'],
      prep: ['mkdir -p /srv/share', 'chmod 0775 /srv/share'],
    },
  }[kind];
  const base = r.chance(0.5) ? debianBase(d) : ubuntuBase(d);
  d.from(base);
  maybeMaintainer(d);
  if (r.chance(0.4)) d.env({ DEBIAN_FRONTEND: 'noninteractive' });
  d.run([
    ...apt(d, simple.pkgs, { family: base.startsWith('ubuntu') ? 'ubuntu' : 'debian' }),
    ...(r.chance(0.5) ? simple.prep : []),
  ]);
  for (const c of simple.conf) d.ins('COPY', c);
  if (kind === 'samba' && d.bad(0.5))
    d.ins(
      'RUN',
      `(echo ${r.pick(['samba', 'Passw0rd'])}; echo ${r.pick(['samba', 'Passw0rd'])}) | smbpasswd -a -s root`,
    );
  if (kind === 'vsftpd' && d.bad(0.5))
    d.ins('RUN', 'useradd -m ftpuser && echo "ftpuser:ftpuser" | chpasswd');
  d.ins('EXPOSE', simple.port);
  if (r.chance(0.3))
    d.ins(
      'VOLUME',
      exec(
        kind === 'bind9'
          ? '/var/cache/bind'
          : kind === 'samba'
            ? '/srv/share'
            : kind === 'squid'
              ? '/var/spool/squid'
              : '/var/log',
      ),
    );
  d.ins('CMD', exec(...simple.cmd));
  return `${kind}-${base.startsWith('ubuntu') ? 'ubuntu' : 'debian'}`;
}

function heredoc(d) {
  const { r } = d;
  const kind = r.pick(['provision', 'python-app', 'go-tools', 'apt-cache', 'config-files', 'node-app']);
  d.line(`# syntax=docker/dockerfile:${r.pick(['1', '1.4', '1.6', '1.7', '1-labs'])}`);
  if (r.chance(0.15)) d.line('# check=skip=SecretsUsedInArgOrEnv');
  const base =
    kind === 'python-app'
      ? img(d, 'python', TAGS.python)
      : kind === 'node-app'
        ? img(d, 'node', TAGS.node)
        : r.chance(0.5)
          ? debianBase(d)
          : ubuntuBase(d);
  const alpine = isAlpine(base);
  d.from(base);
  d.blank();
  const aptCache = [
    'type=cache,target=/var/cache/apt,sharing=locked',
    'type=cache,target=/var/lib/apt,sharing=locked',
  ];
  const marker = r.pick(['EOF', 'EOF', 'EOT', 'SCRIPT']);
  const installLines = alpine
    ? [
        `apk add --no-cache ${r.some(['curl', 'jq', 'bash', 'git', 'ca-certificates', 'tini'], 2, 4).join(' ')}`,
      ]
    : [
        'apt-get update',
        `apt-get install -y --no-install-recommends ${r.some(['ca-certificates', 'curl', 'jq', 'git', 'less', 'tini', 'gnupg', 'unzip', 'rsync'], 3, 6).join(' ')}`,
        'rm -rf /var/lib/apt/lists/*',
      ];
  if (kind === 'apt-cache' && !alpine) {
    d.ins(
      'RUN',
      'rm -f /etc/apt/apt.conf.d/docker-clean; echo \'Binary::apt::APT::Keep-Downloaded-Packages "true";\' > /etc/apt/apt.conf.d/keep-cache',
    );
    d.lines.push(`${d.kw('RUN')} --mount=${aptCache[0]} \\`, `${d.ind}--mount=${aptCache[1]} <<${marker}`);
    d.lines.push(
      'set -eux',
      'apt-get update',
      `apt-get install -y --no-install-recommends ${r.some(['build-essential', 'cmake', 'ninja-build', 'pkg-config', 'libssl-dev', 'python3-dev', 'git', 'curl'], 3, 6).join(' ')}`,
      marker,
    );
  } else {
    d.lines.push(
      `${d.kw('RUN')} <<${marker}`,
      r.pick(['set -eux', 'set -e', 'set -ex']),
      ...installLines,
      marker,
    );
  }
  d.blank();
  if (kind === 'provision' || kind === 'apt-cache') {
    const user = r.pick(['builder', 'ci', 'runner', 'dev']);
    d.lines.push(
      `${d.kw('RUN')} <<-${r.chance(0.5) ? `'${marker}'` : marker} bash`,
      '\t#!/usr/bin/env bash',
      '\tset -euo pipefail',
    );
    d.lines.push(
      `\tgroupadd --gid 1000 ${user}`,
      `\tuseradd --uid 1000 --gid ${user} --create-home --shell /bin/bash ${user}`,
    );
    if (d.bad(0.4)) d.lines.push(`\techo "${user} ALL=(ALL) NOPASSWD:ALL" > /etc/sudoers.d/${user}`);
    d.lines.push(
      `\tmkdir -p /workspace /home/${user}/.cache`,
      `\tchown -R ${user}:${user} /workspace /home/${user}/.cache`,
      marker,
    );
    d.blank();
    d.lines.push(
      `${d.kw('COPY')} --chmod=755 <<'${marker}' /usr/local/bin/entrypoint.sh`,
      '#!/bin/sh',
      'set -e',
      'if [ -f /workspace/.env ]; then',
      '  set -a; . /workspace/.env; set +a',
      'fi',
      'exec "$@"',
      marker,
    );
    d.blank();
    d.ins('USER', user);
    d.ins('WORKDIR', '/workspace');
    d.ins('ENTRYPOINT', exec('/usr/local/bin/entrypoint.sh'));
    d.ins('CMD', exec('bash'));
    return `heredoc-${kind}-${base.split(':')[0]}`;
  }
  if (kind === 'config-files') {
    d.lines.push(
      `${d.kw('COPY')} <<${marker} /etc/app/config.toml`,
      '[server]',
      `listen = "0.0.0.0:${r.pick([8080, 9000, 7000])}"`,
      `log_level = "${r.pick(['info', 'debug', 'warn'])}"`,
      '',
      '[storage]',
      'path = "/var/lib/app"',
      marker,
    );
    d.blank();
    d.lines.push(
      `${d.kw('COPY')} <<-${marker} /etc/logrotate.d/app`,
      '\t/var/log/app/*.log {',
      '\t  daily',
      '\t  rotate 7',
      '\t  compress',
      '\t}',
      marker,
    );
    d.blank();
    if (d.bad(0.3))
      d.lines.push(
        `${d.kw('COPY')} <<${marker} /root/.netrc`,
        `machine git.example.com login deploy password ${SHA(r, 20)}`,
        marker,
      );
    d.ins(
      'COPY',
      `--from=ghcr.io/acme/app:${r.pick(['1.4.2', 'v2.0.0', 'latest'])} /usr/local/bin/app /usr/local/bin/app`,
    );
    d.ins('EXPOSE', '8080');
    d.ins('ENTRYPOINT', exec('/usr/local/bin/app', '--config', '/etc/app/config.toml'));
    return 'heredoc-config-files';
  }
  if (kind === 'go-tools') {
    d.lines.push(`${d.kw('COPY')} --from=golang:1.22 /usr/local/go /usr/local/go`);
    d.env({ PATH: '"/usr/local/go/bin:/root/go/bin:${PATH}"' });
    d.lines.push(
      `${d.kw('RUN')} --mount=type=cache,target=/root/.cache/go-build --mount=type=cache,target=/root/go/pkg/mod <<${marker}`,
      'set -eux',
    );
    for (const t of r.some(
      [
        'github.com/golangci/golangci-lint/cmd/golangci-lint@v1.57.2',
        'golang.org/x/tools/cmd/goimports@latest',
        'github.com/go-delve/delve/cmd/dlv@v1.22.1',
        'gotest.tools/gotestsum@v1.11.0',
        'github.com/air-verse/air@latest',
      ],
      2,
      4,
    )) {
      d.lines.push(`go install ${t}`);
    }
    d.lines.push(marker);
    d.ins('WORKDIR', '/src');
    d.ins('CMD', exec('bash'));
    return 'heredoc-go-devtools';
  }
  if (kind === 'python-app') {
    d.ins('WORKDIR', '/app');
    d.ins('COPY', 'requirements.txt .');
    d.lines.push(
      `${d.kw('RUN')} --mount=type=cache,target=/root/.cache/pip <<${marker}`,
      'pip install -r requirements.txt',
      'python -m compileall -q /usr/local/lib',
      marker,
    );
    d.blank();
    d.lines.push(
      `${d.kw('RUN')} python3 <<${marker}`,
      'import json, platform',
      "with open('/app/build-info.json', 'w') as f:",
      "    json.dump({'python': platform.python_version()}, f)",
      marker,
    );
    d.ins('COPY', '. .');
    d.ins('USER', 'nobody');
    d.ins('CMD', exec('python', '-m', 'app'));
    return 'heredoc-python-app';
  }
  d.ins('WORKDIR', '/app');
  d.lines.push(
    `${d.kw('RUN')} --mount=type=bind,source=package.json,target=package.json \\`,
    `${d.ind}--mount=type=bind,source=package-lock.json,target=package-lock.json \\`,
    `${d.ind}--mount=type=cache,target=/root/.npm \\`,
    `${d.ind}npm ci --omit=dev`,
  );
  d.ins('COPY', '. .');
  d.lines.push(
    `${d.kw('RUN')} <<${marker}`,
    'node --version',
    'npm run build --if-present',
    'find /app -name "*.map" -delete',
    marker,
  );
  d.ins('USER', 'node');
  d.ins('EXPOSE', '3000');
  d.ins('CMD', exec('node', 'dist/index.js'));
  return 'heredoc-node-app';
}

function onbuild(d) {
  const { r } = d;
  const kind = r.pick(['node', 'python', 'ruby', 'maven', 'golang', 'static']);
  if (r.chance(0.5))
    d.comment(
      `Base image for ${kind} services. Child images only need: FROM registry.example.com/base/${kind}-onbuild`,
    );
  const pfx = `${d.kw('ONBUILD')} `;
  const ob = (word, rest) => d.line(`${pfx}${d.kw(word)} ${rest}`);
  if (kind === 'node') {
    d.from(img(d, 'node', TAGS.node));
    d.ins('RUN', 'mkdir -p /usr/src/app');
    d.ins('WORKDIR', '/usr/src/app');
    ob('ARG', 'NODE_ENV');
    ob('ENV', 'NODE_ENV=$NODE_ENV');
    ob('COPY', 'package*.json /usr/src/app/');
    ob('RUN', r.chance(0.5) ? 'npm install && npm cache clean --force' : 'npm ci --omit=dev');
    ob('COPY', '. /usr/src/app');
    d.ins('CMD', exec('npm', 'start'));
  } else if (kind === 'python') {
    d.from(img(d, 'python', TAGS.python));
    d.ins('RUN', 'mkdir -p /usr/src/app');
    d.ins('WORKDIR', '/usr/src/app');
    ob('COPY', 'requirements.txt /usr/src/app/');
    ob('RUN', pipInstall(d, '-r requirements.txt'));
    ob('COPY', '. /usr/src/app');
    if (r.chance(0.5)) ob('RUN', 'python -m compileall .');
    d.ins('CMD', exec('python', 'app.py'));
  } else if (kind === 'ruby') {
    d.from(`ruby:${r.pick(['3.3', '3.2', '2.7'])}`);
    d.comment('throw errors if Gemfile has been modified since Gemfile.lock');
    d.ins('RUN', 'bundle config --global frozen 1');
    d.ins('RUN', 'mkdir -p /usr/src/app');
    d.ins('WORKDIR', '/usr/src/app');
    ob('COPY', 'Gemfile /usr/src/app/');
    ob('COPY', 'Gemfile.lock /usr/src/app/');
    ob('RUN', 'bundle install');
    ob('COPY', '. /usr/src/app');
  } else if (kind === 'maven') {
    d.from(`maven:${r.pick(['3.9-eclipse-temurin-17', '3.9-eclipse-temurin-21'])}`);
    d.ins('RUN', 'mkdir -p /usr/src/app');
    d.ins('WORKDIR', '/usr/src/app');
    ob('ADD', '. /usr/src/app');
    ob('RUN', 'mvn -B install -DskipTests');
    d.ins('CMD', exec('sh', '-c', 'java -jar target/*.jar'));
  } else if (kind === 'golang') {
    d.from(img(d, 'golang', TAGS.golang));
    d.ins('RUN', 'mkdir -p /go/src/app');
    d.ins('WORKDIR', '/go/src/app');
    d.comment('this will ideally be built by the ONBUILD below ;)');
    d.ins('CMD', exec('go-wrapper', 'run'));
    ob('COPY', '. /go/src/app');
    ob('RUN', 'go-wrapper download');
    ob('RUN', 'go-wrapper install');
  } else {
    d.from(img(d, 'nginx', ['1.25-alpine', 'stable-alpine']));
    d.ins('RUN', 'rm -rf /usr/share/nginx/html/*');
    ob('COPY', 'nginx.conf /etc/nginx/conf.d/default.conf');
    ob('COPY', 'public/ /usr/share/nginx/html/');
    if (r.chance(0.5))
      ob(
        'RUN',
        'find /usr/share/nginx/html -type f -name "*.html" -exec sed -i "s/__BUILD__/$(date +%s)/" {} +',
      );
    d.ins('EXPOSE', '80');
  }
  return `onbuild-${kind}-base`;
}

const TOOLS = {
  kubectl: (d, arch) =>
    d.bad(0.3)
      ? [
          `curl -LO "https://dl.k8s.io/release/$(curl -L -s https://dl.k8s.io/release/stable.txt)/bin/linux/${arch}/kubectl"`,
          'install -o root -g root -m 0755 kubectl /usr/local/bin/kubectl',
          'rm kubectl',
        ]
      : [
          `curl -fsSLo /usr/local/bin/kubectl "https://dl.k8s.io/release/v\${KUBECTL_VERSION}/bin/linux/${arch}/kubectl"`,
          `echo "\${KUBECTL_SHA256}  /usr/local/bin/kubectl" | sha256sum -c -`,
          'chmod +x /usr/local/bin/kubectl',
        ],
  helm: (d, arch) =>
    d.bad(0.35)
      ? ['curl -fsSL https://raw.githubusercontent.com/helm/helm/main/scripts/get-helm-3 | bash']
      : [
          `curl -fsSL "https://get.helm.sh/helm-v\${HELM_VERSION}-linux-${arch}.tar.gz" | tar -xz -C /tmp`,
          `mv /tmp/linux-${arch}/helm /usr/local/bin/helm`,
          `rm -rf /tmp/linux-${arch}`,
        ],
  terraform: (d, arch) => [
    `wget -q "https://releases.hashicorp.com/terraform/\${TERRAFORM_VERSION}/terraform_\${TERRAFORM_VERSION}_linux_${arch}.zip"`,
    ...(d.bad(0.4)
      ? []
      : [
          `wget -q "https://releases.hashicorp.com/terraform/\${TERRAFORM_VERSION}/terraform_\${TERRAFORM_VERSION}_SHA256SUMS"`,
          `grep linux_${arch}.zip terraform_\${TERRAFORM_VERSION}_SHA256SUMS | sha256sum -c -`,
        ]),
    `unzip terraform_\${TERRAFORM_VERSION}_linux_${arch}.zip -d /usr/local/bin`,
    'rm -f terraform_*',
  ],
  awscli: (d) =>
    d.bad(0.3)
      ? [pipInstall(d, 'awscli')]
      : [
          'curl -fsSL "https://awscli.amazonaws.com/awscli-exe-linux-x86_64.zip" -o /tmp/awscliv2.zip',
          'unzip -q /tmp/awscliv2.zip -d /tmp',
          '/tmp/aws/install',
          'rm -rf /tmp/aws /tmp/awscliv2.zip',
          'aws --version',
        ],
  yq: (_d, arch) => [
    `wget -qO /usr/local/bin/yq "https://github.com/mikefarah/yq/releases/download/v\${YQ_VERSION}/yq_linux_${arch}"`,
    'chmod +x /usr/local/bin/yq',
  ],
  trivy: (d) =>
    d.bad(0.5)
      ? [
          'curl -sfL https://raw.githubusercontent.com/aquasecurity/trivy/main/contrib/install.sh | sh -s -- -b /usr/local/bin v0.50.1',
        ]
      : [
          'curl -fsSL -o /tmp/trivy.tgz "https://github.com/aquasecurity/trivy/releases/download/v0.50.1/trivy_0.50.1_Linux-64bit.tar.gz"',
          'tar -xzf /tmp/trivy.tgz -C /usr/local/bin trivy',
          'rm /tmp/trivy.tgz',
        ],
  kustomize: () => [
    'curl -s "https://raw.githubusercontent.com/kubernetes-sigs/kustomize/master/hack/install_kustomize.sh" | bash',
    'mv kustomize /usr/local/bin/',
  ],
  sops: (_d, arch) => [
    `curl -fsSLo /usr/local/bin/sops "https://github.com/getsops/sops/releases/download/v3.8.1/sops-v3.8.1.linux.${arch}"`,
    'chmod 0755 /usr/local/bin/sops',
  ],
};
const TOOL_VERSIONS = {
  kubectl: ['KUBECTL_VERSION', '1.29.3'],
  helm: ['HELM_VERSION', '3.14.3'],
  terraform: ['TERRAFORM_VERSION', '1.7.5'],
  yq: ['YQ_VERSION', '4.42.1'],
};

function tools(d) {
  const { r } = d;
  const kind = r.pick([
    'toolbox',
    'toolbox',
    'toolbox',
    'jenkins-agent',
    'ansible',
    'gcloud',
    'docker-cli',
    'ci-runner',
  ]);
  if (kind === 'jenkins-agent') {
    d.from(
      `jenkins/inbound-agent:${r.pick(['latest-jdk17', '3206.vb_15dcf73f6a_9-1-jdk17', 'alpine-jdk17', 'jdk21'])}`,
    );
    d.ins('USER', 'root');
    const alpine = /alpine/.test(d.lines[d.lines.length - 2]);
    d.run(
      alpine
        ? apk(d, ['docker-cli', 'git', 'make', 'python3', 'py3-pip'])
        : apt(d, ['docker.io', 'git', 'make', 'python3-pip', 'jq']),
    );
    if (d.bad(0.4)) d.ins('RUN', 'usermod -aG docker jenkins && chmod 666 /var/run/docker.sock || true');
    d.ins('USER', d.bad(0.3) ? 'root' : 'jenkins');
    return `jenkins-agent-${alpine ? 'alpine' : 'debian'}`;
  }
  if (kind === 'ansible') {
    d.from(img(d, 'python', TAGS.python));
    d.run(apt(d, ['openssh-client', 'sshpass', 'git', 'rsync']));
    d.ins(
      'RUN',
      pipInstall(
        d,
        d.bad(0.3)
          ? 'ansible ansible-lint jmespath'
          : 'ansible-core==2.16.5 ansible-lint==24.2.1 jmespath==1.0.1',
      ),
    );
    if (r.chance(0.5)) d.ins('RUN', 'ansible-galaxy collection install community.general amazon.aws');
    d.ins('WORKDIR', '/ansible');
    if (d.bad(0.3)) d.ins('COPY', 'id_rsa /root/.ssh/id_rsa');
    d.env({ ANSIBLE_HOST_KEY_CHECKING: d.bad(0.5) ? 'False' : 'True', ANSIBLE_FORCE_COLOR: 1 });
    d.ins('ENTRYPOINT', exec('ansible-playbook'));
    return 'tools-ansible-runner';
  }
  if (kind === 'gcloud') {
    d.from(debianBase(d));
    d.run([
      ...apt(d, ['apt-transport-https', 'ca-certificates', 'gnupg', 'curl'], { clean: false }),
      'curl -fsSL https://packages.cloud.google.com/apt/doc/apt-key.gpg | gpg --dearmor -o /usr/share/keyrings/cloud.google.gpg',
      'echo "deb [signed-by=/usr/share/keyrings/cloud.google.gpg] https://packages.cloud.google.com/apt cloud-sdk main" | tee -a /etc/apt/sources.list.d/google-cloud-sdk.list',
      'apt-get update',
      'apt-get install -y google-cloud-cli google-cloud-cli-gke-gcloud-auth-plugin kubectl',
      'rm -rf /var/lib/apt/lists/*',
    ]);
    if (d.bad(0.3)) {
      d.ins('COPY', 'service-account.json /root/gcloud-key.json');
      d.env({ GOOGLE_APPLICATION_CREDENTIALS: '/root/gcloud-key.json' });
    }
    d.ins('ENTRYPOINT', exec('gcloud'));
    return 'tools-gcloud-sdk';
  }
  if (kind === 'docker-cli') {
    d.from(alpineBase(d));
    d.ins(
      'COPY',
      `--from=docker:${r.pick(['26-cli', '25.0-cli', 'cli'])} /usr/local/bin/docker /usr/local/bin/docker`,
    );
    d.ins(
      'COPY',
      `--from=docker/buildx-bin:${r.pick(['0.13', 'latest', '0.13.1'])} /buildx /usr/libexec/docker/cli-plugins/docker-buildx`,
    );
    d.run(apk(d, ['bash', 'git', 'curl', 'jq', 'make']));
    d.ins('ENTRYPOINT', exec('docker'));
    return 'tools-docker-buildx-cli';
  }
  const alpine = r.chance(0.5);
  const base = alpine ? alpineBase(d) : r.chance(0.5) ? debianBase(d) : ubuntuBase(d);
  d.from(base);
  maybeMaintainer(d);
  const chosen = r.some(Object.keys(TOOLS), 2, kind === 'ci-runner' ? 5 : 4);
  const versions = chosen.filter((t) => TOOL_VERSIONS[t]);
  if (r.chance(0.4) && versions.length) d.blank();
  for (const t of versions) d.ins('ARG', `${TOOL_VERSIONS[t][0]}=${TOOL_VERSIONS[t][1]}`);
  if (chosen.includes('kubectl')) d.ins('ARG', `KUBECTL_SHA256=${SHA(r)}`);
  const arch = r.chance(0.4) ? '${TARGETARCH}' : 'amd64';
  if (arch.includes('TARGETARCH')) d.ins('ARG', 'TARGETARCH');
  const pipefail = r.chance(0.35);
  if (pipefail) {
    if (alpine) d.run(apk(d, ['bash'], { strict: true }), { mode: 'inline' });
    shellPipefail(d);
  }
  d.blank();
  const basePkgs = alpine
    ? ['bash', 'curl', 'ca-certificates', 'git', 'jq', 'openssh-client', 'unzip', 'gettext']
    : ['curl', 'ca-certificates', 'git', 'jq', 'unzip', 'openssh-client', 'gnupg', 'wget'];
  const pkgs = r.some(basePkgs, 3, 6);
  if (!pkgs.includes('curl')) pkgs.push('curl');
  if (chosen.some((t) => ['awscli', 'terraform'].includes(t)) && !pkgs.includes('unzip')) pkgs.push('unzip');
  if (chosen.includes('awscli') && d.lines.some((l) => l.includes('pip')))
    pkgs.push(alpine ? 'py3-pip' : 'python3-pip');
  const pkgCmds = alpine
    ? apk(d, pkgs)
    : apt(d, pkgs, { family: base.startsWith('ubuntu') ? 'ubuntu' : 'debian' });
  const together = r.chance(0.4);
  if (together) {
    d.run([...pkgCmds, ...chosen.flatMap((t) => [note(`${t}`), ...TOOLS[t](d, arch)])]);
  } else {
    hadolintPragma(d, alpine ? 'DL3018' : 'DL3008');
    d.run(pkgCmds);
    for (const t of chosen) {
      if (d.bad(0.2) && t === 'kubectl')
        d.ins('ADD', `https://dl.k8s.io/release/v1.29.3/bin/linux/amd64/kubectl /usr/local/bin/kubectl`).ins(
          'RUN',
          'chmod +x /usr/local/bin/kubectl',
        );
      else d.run(TOOLS[t](d, arch));
    }
  }
  if (chosen.includes('awscli') && pkgs.includes('py3-pip')) d.lines.push('');
  if (kind === 'ci-runner') {
    if (d.bad(0.3)) secretEnv(d);
    if (!d.bad(0.4)) {
      d.run([alpine ? userAlpine(d, 'runner', 1000) : userDebian(d, 'runner', 1000)], { mode: 'inline' });
      d.ins('USER', 'runner');
    }
    d.ins('WORKDIR', '/workspace');
    d.ins('CMD', exec('/bin/bash'));
    return `tools-ci-runner-${alpine ? 'alpine' : 'debian'}`;
  }
  d.ins('WORKDIR', r.pick(['/work', '/apps', '/workspace', '/root']));
  if (r.chance(0.5)) d.ins('ENTRYPOINT', exec(chosen[0] === 'awscli' ? 'aws' : chosen[0]));
  else d.ins('CMD', exec(alpine && !pipefail ? '/bin/sh' : '/bin/bash'));
  return `tools-${chosen.slice(0, 2).join('-')}-${alpine ? 'alpine' : 'debian'}`;
}

function rhel(d) {
  const { r } = d;
  const base = r.weighted([
    ['registry.access.redhat.com/ubi9/ubi-minimal:9.3', 3],
    ['registry.access.redhat.com/ubi9/ubi:9.3', 2],
    ['registry.access.redhat.com/ubi8/ubi-minimal', 1],
    ['rockylinux:9', 2],
    ['almalinux:9', 1],
    ['centos:7', 2],
    ['centos:centos7', 1],
    ['fedora:39', 1],
    ['fedora:40', 1],
    ['amazonlinux:2023', 2],
    ['amazonlinux:2', 1],
    ['oraclelinux:8-slim', 1],
    ['opensuse/leap:15.5', 2],
    ['registry.suse.com/bci/bci-base:15.5', 1],
  ]);
  const tool = /minimal|slim/.test(base)
    ? base.startsWith('oracle')
      ? 'microdnf'
      : 'microdnf'
    : /centos|amazonlinux:2$/.test(base)
      ? 'yum'
      : /suse/.test(base)
        ? 'zypper'
        : 'dnf';
  const app = r.pick(['java', 'python', 'httpd', 'nginx', 'node', 'tools']);
  d.from(base);
  maybeMaintainer(d);
  if (r.chance(0.3))
    d.labels({
      name: `acme/${app}-rhel`,
      vendor: 'Acme Corp',
      version: '1.0',
      summary: `${app} on ${base.split('/').pop()}`,
    });
  const pkgs = {
    java: ['java-17-openjdk-headless', 'shadow-utils'],
    python: ['python3', 'python3-pip', 'shadow-utils'],
    httpd: ['httpd', 'mod_ssl'],
    nginx: ['nginx'],
    node: ['nodejs', 'npm'],
    tools: ['jq', 'tar', 'gzip', 'unzip', 'procps-ng', 'findutils', 'openssh-clients'],
  }[app];
  if (tool === 'zypper') {
    const zy = d.bad(0.3) ? 'zypper install' : 'zypper --non-interactive install --no-recommends';
    d.run(
      [
        d.bad(0.2) ? 'zypper refresh' : null,
        `${zy} ${pkgs.map((p) => p.replace('java-17-openjdk-headless', 'java-17-openjdk-headless').replace('shadow-utils', 'shadow')).join(' ')}`,
        d.bad(0.3) ? null : 'zypper clean -a',
      ].filter(Boolean),
    );
  } else {
    const pre = [];
    if (/centos|rocky|alma/.test(base) && app === 'nginx') pre.push(`${tool} install -y epel-release`);
    if (app === 'node' && tool !== 'yum') pre.push(`${tool} module enable -y nodejs:20`);
    if (app === 'node' && tool === 'yum')
      pre.push('curl -fsSL https://rpm.nodesource.com/setup_18.x | bash -');
    d.run([...pre, ...yum(d, pkgs, { tool })]);
  }
  if (app === 'java') {
    d.run([
      'useradd -u 1001 -r -g 0 -s /sbin/nologin -c "Default Application User" default',
      'mkdir -p /deployments',
      'chown -R 1001:0 /deployments',
      'chmod -R g=u /deployments',
    ]);
    d.ins('COPY', 'target/app.jar /deployments/app.jar');
    d.ins('USER', '1001');
    d.ins('EXPOSE', '8080');
    d.ins('CMD', exec('java', '-jar', '/deployments/app.jar'));
  } else if (app === 'python') {
    d.ins('WORKDIR', '/opt/app-root/src');
    d.ins('COPY', 'requirements.txt .');
    d.ins('RUN', pipInstall(d, '-r requirements.txt', { pip: 'pip3' }));
    d.ins('COPY', '. .');
    if (!d.bad(0.3)) d.ins('USER', '1001');
    d.ins('CMD', exec('python3', 'app.py'));
  } else if (app === 'httpd') {
    d.ins('COPY', 'httpd.conf /etc/httpd/conf/httpd.conf');
    d.ins('COPY', 'public/ /var/www/html/');
    if (d.bad(0.3)) d.ins('RUN', 'chmod -R 777 /var/www/html');
    d.ins('EXPOSE', '80 443');
    d.ins('CMD', exec('/usr/sbin/httpd', '-D', 'FOREGROUND'));
  } else if (app === 'nginx') {
    d.ins('COPY', 'nginx.conf /etc/nginx/nginx.conf');
    d.ins('EXPOSE', '80');
    d.ins('CMD', exec('nginx', '-g', 'daemon off;'));
  } else if (app === 'node') {
    d.ins('WORKDIR', '/opt/app');
    d.ins('COPY', 'package*.json ./');
    d.ins('RUN', d.bad(0.3) ? 'npm install' : 'npm ci --omit=dev');
    d.ins('COPY', '. .');
    d.ins('USER', d.bad(0.3) ? 'root' : '1001');
    d.ins('EXPOSE', '3000');
    d.ins('CMD', exec('node', 'server.js'));
  } else {
    d.ins('COPY', 'scripts/ /usr/local/bin/');
    d.ins('RUN', 'chmod +x /usr/local/bin/*.sh');
    d.ins('CMD', exec('/bin/bash'));
  }
  return `${base.split('/').pop().split(':')[0].replace('ubi-minimal', 'ubi-minimal')}-${app}`;
}

function windows(d) {
  const { r } = d;
  const kind = r.pick(['node', 'iis', 'dotnet-framework', 'choco']);
  d.line('# escape=`');
  d.blank();
  if (kind === 'dotnet-framework') {
    d.from(`mcr.microsoft.com/dotnet/framework/sdk:4.8-windowsservercore-ltsc2022`, 'build');
    d.ins('WORKDIR', '/app');
    d.ins('COPY', '*.sln .');
    d.ins('COPY', 'WebApp/*.csproj ./WebApp/');
    d.ins('COPY', 'WebApp/*.config ./WebApp/');
    d.ins('RUN', 'nuget restore');
    d.ins('COPY', 'WebApp/. ./WebApp/');
    d.ins('WORKDIR', '/app/WebApp');
    d.ins('RUN', 'msbuild /p:Configuration=Release -r:False');
    d.blank();
    d.from('mcr.microsoft.com/dotnet/framework/aspnet:4.8-windowsservercore-ltsc2022', 'runtime');
    d.ins('WORKDIR', '/inetpub/wwwroot');
    d.ins('COPY', '--from=build /app/WebApp/. ./');
    return 'windows-dotnet-framework-aspnet';
  }
  const base =
    kind === 'iis'
      ? 'mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022'
      : `mcr.microsoft.com/windows/servercore:${r.pick(['ltsc2022', 'ltsc2019', '1809'])}`;
  d.from(base);
  d.blank();
  d.ins(
    'SHELL',
    exec(
      'powershell',
      '-Command',
      "$ErrorActionPreference = 'Stop'; $ProgressPreference = 'SilentlyContinue';",
    ),
  );
  d.blank();
  if (kind === 'node') {
    d.env({ NODE_VERSION: '20.12.2' });
    d.lines.push(
      `${d.kw('RUN')} Invoke-WebRequest $('https://nodejs.org/dist/v{0}/node-v{0}-win-x64.zip' -f $env:NODE_VERSION) -OutFile 'node.zip' -UseBasicParsing ; \``,
      `${d.ind}Expand-Archive node.zip -DestinationPath C:\\ ; \``,
      `${d.ind}Rename-Item -Path $('C:\\node-v{0}-win-x64' -f $env:NODE_VERSION) -NewName 'C:\\nodejs' ; \``,
      `${d.ind}Remove-Item node.zip`,
    );
    d.ins('RUN', "setx /M PATH $($env:PATH + ';C:\\nodejs')");
    d.ins('WORKDIR', 'C:\\app');
    d.ins('COPY', 'package*.json ./');
    d.ins('RUN', 'npm ci --omit=dev');
    d.ins('COPY', '. .');
    d.ins('EXPOSE', '3000');
    d.ins('CMD', exec('node.exe', 'server.js'));
    return 'windows-servercore-node';
  }
  if (kind === 'iis') {
    d.lines.push(
      `${d.kw('RUN')} Remove-Website -Name 'Default Web Site'; \``,
      `${d.ind}New-Item -Path 'C:\\inetpub\\site' -ItemType Directory; \``,
      `${d.ind}New-Website -Name 'site' -Port 80 -PhysicalPath 'C:\\inetpub\\site'`,
    );
    d.ins('COPY', 'site/ C:/inetpub/site/');
    d.ins('EXPOSE', '80');
    d.ins(
      'HEALTHCHECK',
      `--interval=30s CMD powershell -command \`
${d.ind}try { $response = iwr http://localhost -UseBasicParsing; if ($response.StatusCode -eq 200) { return 0 } else { return 1 } } catch { return 1 }`,
    );
    return 'windows-iis-static-site';
  }
  d.lines.push(
    `${d.kw('RUN')} Set-ExecutionPolicy Bypass -Scope Process -Force; \``,
    `${d.ind}[System.Net.ServicePointManager]::SecurityProtocol = [System.Net.ServicePointManager]::SecurityProtocol -bor 3072; \``,
    `${d.ind}iex ((New-Object System.Net.WebClient).DownloadString('https://community.chocolatey.org/install.ps1'))`,
  );
  d.ins(
    'RUN',
    `choco install -y ${r.some(['git', 'python311', 'nodejs-lts', '7zip', 'jq', 'make'], 2, 4).join(' ')}; \`
${d.ind}Remove-Item -Recurse -Force C:\\ProgramData\\chocolatey\\lib-bad -ErrorAction SilentlyContinue`,
  );
  d.ins('WORKDIR', 'C:\\build');
  d.ins('CMD', exec('powershell.exe', '-NoLogo'));
  return 'windows-servercore-chocolatey';
}

function legacy(d) {
  const { r } = d;
  d.sloppy = 2;
  const app = r.pick(['node', 'python', 'php', 'java', 'generic', 'node', 'python']);
  const base = r.pick([
    'ubuntu:latest',
    'ubuntu',
    'ubuntu:16.04',
    'ubuntu:18.04',
    'ubuntu:14.04',
    'debian:jessie',
    'debian:latest',
    'debian:stretch',
    'centos:7',
    'node:latest',
    'python:2.7',
  ]);
  const centos = base.startsWith('centos');
  d.from(base);
  if (r.chance(0.6))
    d.ins('MAINTAINER', r.pick(['John Smith <john.smith@example.com>', 'devops@example.com', 'admin']));
  d.blank();
  const inst = (pkgs) =>
    centos ? `yum install -y ${pkgs.join(' ')}` : `apt-get install -y ${pkgs.join(' ')}`;
  const pkgs = {
    node: ['curl', 'git', 'build-essential', 'python'],
    python: ['python', 'python-pip', 'python-dev', 'libmysqlclient-dev', 'git'],
    php: ['apache2', 'php', 'libapache2-mod-php', 'php-mysql', 'php-curl', 'unzip'],
    java: ['openjdk-8-jdk', 'maven', 'wget'],
    generic: ['curl', 'wget', 'vim', 'git', 'net-tools', 'sudo', 'supervisor'],
  }[app];
  if (!base.startsWith('node') && !base.startsWith('python')) {
    if (r.chance(0.6)) {
      d.ins('RUN', centos ? 'yum -y update' : 'apt-get update');
      if (r.chance(0.5)) d.ins('RUN', centos ? 'yum -y upgrade' : 'apt-get -y upgrade');
      d.ins('RUN', inst(pkgs));
    } else
      d.ins(
        'RUN',
        `${centos ? 'yum update -y' : 'apt-get update && apt-get upgrade -y'} && ${inst([...pkgs, ...r.some(['vim', 'nano', 'sudo', 'htop', 'iputils-ping'], 1, 3)])}`,
      );
  }
  if (r.chance(0.5))
    d.ins(
      'RUN',
      r.pick([
        'useradd -m -s /bin/bash deploy && echo "deploy:deploy" | chpasswd && adduser deploy sudo',
        'echo "%sudo ALL=(ALL) NOPASSWD:ALL" >> /etc/sudoers',
        'sudo apt-get install -y vim',
      ]),
    );
  if (app === 'node' && !base.startsWith('node'))
    d.ins(
      'RUN',
      `curl -sL https://deb.nodesource.com/setup_${r.pick(['10.x', '12.x', '14.x', '8.x'])} | ${r.chance(0.5) ? 'sudo -E ' : ''}bash - && apt-get install -y nodejs`,
    );
  if (app === 'python' && r.chance(0.5))
    d.ins('RUN', 'curl https://bootstrap.pypa.io/pip/2.7/get-pip.py | python');
  if (r.chance(0.5)) secretEnv(d);
  if (r.chance(0.3)) secretEnv(d);
  d.ins(
    r.chance(0.6) ? 'ADD' : 'COPY',
    `. ${r.pick(['/app', '/opt/app', '/var/www/html', '/src', '/root/app'])}`,
  );
  const dir = d.lines[d.lines.length - 1].split(' ').pop();
  if (r.chance(0.4))
    d.ins(
      'ADD',
      r.pick([
        'https://github.com/krallin/tini/releases/download/v0.19.0/tini /tini',
        'http://download.example.com/config/app.properties /etc/app/',
        'https://raw.githubusercontent.com/vishnubob/wait-for-it/master/wait-for-it.sh /usr/local/bin/wait-for-it.sh',
      ]),
    );
  const install = {
    node: 'npm install',
    python: 'pip install -r requirements.txt',
    php: 'composer install || true',
    java: 'mvn package',
    generic: 'make',
  }[app];
  d.ins('RUN', r.chance(0.7) ? `cd ${dir} && ${install}` : install);
  if (r.chance(0.6)) d.ins('RUN', `chmod -R 777 ${dir}`);
  if (r.chance(0.3)) d.ins('RUN', 'cd /tmp && wget http://example.com/tools/setup.sh && sh setup.sh');
  if (r.chance(0.3)) d.ins('USER', 'root');
  d.ins('EXPOSE', r.pick(['22 80', '80 443 22', '3000', '8080 22', '80', '5000']));
  if (r.chance(0.4)) d.ins('WORKDIR', dir);
  const cmd = {
    node: `cd ${dir} && node server.js`,
    python: `python ${dir}/app.py`,
    php: 'service apache2 start && tail -f /var/log/apache2/access.log',
    java: `java -jar ${dir}/target/app.jar`,
    generic: '/usr/bin/supervisord -n',
  }[app];
  if (r.chance(0.3)) d.ins('CMD', r.pick(['["/bin/bash"]', 'bash']));
  d.ins('CMD', cmd);
  const os = base.split(':')[0];
  return `legacy-${os}-${app === os ? 'app' : app}`;
}

function tiny(d) {
  const { r } = d;
  const kind = r.pick([
    'nginx',
    'python-script',
    'curl',
    'static-binary',
    'busybox',
    'node-script',
    'httpd',
    'kubectl-wrapper',
  ]);
  if (r.chance(0.5))
    d.comment(
      r.pick([
        'Minimal image for the status page.',
        'Used by the smoke tests.',
        'Build: docker build -t acme/tool .',
        'Keep this image small.',
      ]),
    );
  switch (kind) {
    case 'nginx':
      d.from(img(d, 'nginx', ['1.25-alpine', 'alpine', 'stable-alpine'], { latest: 0.2 }));
      d.ins('COPY', 'public/ /usr/share/nginx/html/');
      d.ins('COPY', 'default.conf /etc/nginx/conf.d/default.conf');
      d.ins('EXPOSE', '80');
      break;
    case 'python-script':
      d.from(img(d, 'python', ['3.12-slim', '3.12-alpine', '3.11-slim'], { latest: 0.2 }));
      d.ins('RUN', pipInstall(d, r.pick(['requests', 'requests==2.31.0', 'boto3', 'pyyaml==6.0.1'])));
      d.ins('COPY', 'main.py /main.py');
      d.ins('ENTRYPOINT', exec('python', '/main.py'));
      break;
    case 'curl':
      d.from(alpineBase(d));
      d.run(apk(d, ['curl', 'ca-certificates']), { mode: 'inline' });
      d.ins('ENTRYPOINT', exec('curl'));
      d.ins('CMD', exec('--help'));
      break;
    case 'static-binary':
      d.from('scratch');
      d.ins('COPY', 'ca-certificates.crt /etc/ssl/certs/');
      d.ins('COPY', 'bin/app /app');
      d.ins('USER', '65534');
      d.ins('ENTRYPOINT', exec('/app'));
      break;
    case 'busybox':
      d.from(img(d, 'busybox', ['1.36', '1.36-musl', 'stable'], { latest: 0.3 }));
      d.ins('COPY', 'index.html /www/index.html');
      d.ins('EXPOSE', '8080');
      d.ins('CMD', exec('httpd', '-f', '-p', '8080', '-h', '/www'));
      break;
    case 'node-script':
      d.from(img(d, 'node', ['20-alpine', '22-alpine'], { latest: 0.2 }));
      d.ins('WORKDIR', '/app');
      d.ins('COPY', 'index.js .');
      d.ins('CMD', r.chance(0.6) ? exec('node', 'index.js') : 'node index.js');
      break;
    case 'httpd':
      d.from(img(d, 'httpd', ['2.4', '2.4-alpine', '2.4.58'], { latest: 0.2 }));
      d.ins('COPY', './public-html/ /usr/local/apache2/htdocs/');
      d.ins('EXPOSE', '80');
      break;
    default:
      d.from(`bitnami/kubectl:${r.pick(['1.29', '1.29.3', 'latest'])}`);
      d.ins('COPY', 'manifests/ /manifests/');
      d.ins('ENTRYPOINT', exec('kubectl', 'apply', '-f', '/manifests/'));
  }
  if (d.lines.length < 5) {
    const at = d.lines.findIndex((l) => /^from /i.test(l)) + 1;
    d.lines.splice(
      at,
      0,
      `${d.kw('LABEL')} org.opencontainers.image.description="${kind.replace(/-/g, ' ')} image"`,
    );
  }
  return `tiny-${kind}`;
}

function misc(d) {
  const { r } = d;
  const kind = r.pick(['elixir', 'deno', 'bun', 'perl', 'r', 'sbt', 'dart', 'elixir']);
  if (kind === 'elixir') {
    d.ins('ARG', 'ELIXIR_VERSION=1.16.2');
    d.ins('ARG', 'OTP_VERSION=26.2.3');
    d.ins('ARG', 'DEBIAN_VERSION=bookworm-20240130-slim');
    d.blank();
    d.ins(
      'ARG',
      'BUILDER_IMAGE="hexpm/elixir:${ELIXIR_VERSION}-erlang-${OTP_VERSION}-debian-${DEBIAN_VERSION}"',
    );
    d.ins('ARG', 'RUNNER_IMAGE="debian:${DEBIAN_VERSION}"');
    d.blank();
    d.from('${BUILDER_IMAGE}', 'builder');
    d.run(apt(d, ['build-essential', 'git'], { strict: true }).map((c) => c));
    d.ins('WORKDIR', '/app');
    d.run(['mix local.hex --force', 'mix local.rebar --force']);
    d.env({ MIX_ENV: '"prod"' });
    d.ins('COPY', 'mix.exs mix.lock ./');
    d.ins('RUN', 'mix deps.get --only $MIX_ENV');
    d.ins('RUN', 'mkdir config');
    d.ins('COPY', 'config/config.exs config/${MIX_ENV}.exs config/');
    d.ins('RUN', 'mix deps.compile');
    d.ins('COPY', 'priv priv');
    d.ins('COPY', 'lib lib');
    d.ins('COPY', 'assets assets');
    d.ins('RUN', 'mix assets.deploy');
    d.ins('RUN', 'mix compile');
    d.ins('COPY', 'config/runtime.exs config/');
    d.ins('COPY', 'rel rel');
    d.ins('RUN', 'mix release');
    d.blank();
    d.from('${RUNNER_IMAGE}');
    d.run(apt(d, ['libstdc++6', 'openssl', 'libncurses5', 'locales', 'ca-certificates'], { strict: true }));
    d.ins('RUN', "sed -i '/en_US.UTF-8/s/^# //g' /etc/locale.gen && locale-gen");
    d.env({ LANG: 'en_US.UTF-8', LANGUAGE: 'en_US:en', LC_ALL: 'en_US.UTF-8' });
    d.ins('WORKDIR', '"/app"');
    d.ins('RUN', 'chown nobody /app');
    d.env({ MIX_ENV: '"prod"' });
    d.ins('COPY', '--from=builder --chown=nobody:root /app/_build/${MIX_ENV}/rel/my_app ./');
    d.ins('USER', 'nobody');
    d.ins('CMD', exec('/app/bin/server'));
    return 'elixir-phoenix-release';
  }
  if (kind === 'deno') {
    d.from(`denoland/deno:${r.pick(['alpine-1.42.1', '1.42.1', 'debian-1.41.3', 'latest'])}`);
    d.ins('EXPOSE', '8000');
    d.ins('WORKDIR', '/app');
    d.ins('USER', 'deno');
    d.ins('COPY', 'deps.ts .');
    d.ins('RUN', 'deno cache deps.ts');
    d.ins('ADD', '. .');
    d.ins('RUN', 'deno cache main.ts');
    d.ins('CMD', exec('run', '--allow-net', '--allow-env', 'main.ts'));
    return 'deno-http-server';
  }
  if (kind === 'bun') {
    d.from(`oven/bun:${r.pick(['1', '1.1', '1.1.3-alpine', 'latest'])}`, 'base');
    d.ins('WORKDIR', '/usr/src/app');
    d.blank();
    d.from('base', 'install');
    d.ins('RUN', 'mkdir -p /temp/prod');
    d.ins('COPY', 'package.json bun.lockb /temp/prod/');
    d.ins('RUN', 'cd /temp/prod && bun install --frozen-lockfile --production');
    d.blank();
    d.from('base', 'release');
    d.ins('COPY', '--from=install /temp/prod/node_modules node_modules');
    d.ins('COPY', '. .');
    d.ins('USER', 'bun');
    d.ins('EXPOSE', '3000/tcp');
    d.ins('ENTRYPOINT', exec('bun', 'run', 'index.ts'));
    return 'bun-http-server';
  }
  if (kind === 'perl') {
    d.from(`perl:${r.pick(['5.38', '5.38-slim', '5.36', '5.34-threaded'])}`);
    d.run(apt(d, ['libssl-dev', 'zlib1g-dev', 'libexpat1-dev'], { strict: !d.bad(0.3) }));
    d.ins('WORKDIR', '/opt/app');
    d.ins('COPY', 'cpanfile .');
    d.ins('RUN', `cpanm --notest --installdeps .${r.chance(0.5) ? ' && rm -rf ~/.cpanm' : ''}`);
    d.ins('COPY', '. .');
    d.ins('EXPOSE', '5000');
    d.ins('CMD', exec('plackup', '-s', 'Starman', '--port', '5000', 'app.psgi'));
    return 'perl-plack-app';
  }
  if (kind === 'r') {
    d.from(`rocker/${r.pick(['r-ver:4.3.3', 'shiny:4.3.2', 'tidyverse:4.3'])}`);
    d.run(apt(d, ['libcurl4-openssl-dev', 'libssl-dev', 'libxml2-dev', 'libpq-dev'], { family: 'ubuntu' }));
    d.ins(
      'RUN',
      `install2.r --error --skipinstalled ${r.some(['plumber', 'dplyr', 'DBI', 'RPostgres', 'jsonlite', 'httr'], 2, 5).join(' ')}`,
    );
    d.ins('COPY', 'api.R /app/api.R');
    d.ins('EXPOSE', '8000');
    d.ins('CMD', exec('R', '-e', "pr <- plumber::plumb('/app/api.R'); pr$run(host='0.0.0.0', port=8000)"));
    return 'r-plumber-api';
  }
  if (kind === 'dart') {
    d.from(`dart:${r.pick(['stable', '3.3', '3.3.3'])}`, 'build');
    d.ins('WORKDIR', '/app');
    d.ins('COPY', 'pubspec.* ./');
    d.ins('RUN', 'dart pub get');
    d.ins('COPY', '. .');
    d.ins('RUN', 'dart compile exe bin/server.dart -o bin/server');
    d.blank();
    d.from('scratch');
    d.ins('COPY', '--from=build /runtime/ /');
    d.ins('COPY', '--from=build /app/bin/server /app/bin/');
    d.ins('EXPOSE', '8080');
    d.ins('CMD', exec('/app/bin/server'));
    return 'dart-aot-server';
  }
  d.from(
    `sbtscala/scala-sbt:${r.pick(['eclipse-temurin-jammy-17.0.10_7_1.9.9_3.4.1', 'eclipse-temurin-17.0.4_1.7.1_3.2.0'])}`,
    'build',
  );
  d.ins('WORKDIR', '/build');
  d.ins('COPY', 'build.sbt .');
  d.ins('COPY', 'project project');
  d.ins('RUN', 'sbt update');
  d.ins('COPY', 'src src');
  d.ins('RUN', 'sbt assembly');
  d.blank();
  d.from('eclipse-temurin:17-jre');
  d.ins('COPY', '--from=build /build/target/scala-3.4.1/app-assembly.jar /app.jar');
  d.ins('ENTRYPOINT', exec('java', '-jar', '/app.jar'));
  return 'scala-sbt-assembly';
}

// ---------------------------------------------------------------------------------------------
// Decoration: the section comments and blank-line spacing that people add by hand.

const SECTION_COMMENTS = [
  [
    /^from .* as (deps|dependencies|install)$/i,
    ['Dependencies', 'Install dependencies only when needed', '---- Dependencies ----'],
  ],
  [/^from .* as (base|chef)$/i, ['Base stage shared by the others', '---- Base ----', 'Common base']],
  [/^from .* as planner$/i, ['Compute a recipe file for the dependencies']],
  [/^from .* as (build|builder)$/i, ['Build stage', '---- Build ----', 'Builder image', '=== build ===']],
  [/^from .* as \w+$/i, ['Runtime stage', '---- Release ----', 'Final image', 'Production image']],
  [
    /^from /i,
    ['Base image', 'Runtime image', 'Use an official image as a parent image', 'Start from a small base'],
  ],
  [
    /^run .*(apt-get|apk add|yum|dnf|microdnf|zypper) .*install|^run apk add|^run apt-get update/i,
    [
      'Install system dependencies',
      'Install OS packages',
      'System packages',
      'Install build dependencies',
      'Install required packages',
    ],
  ],
  [
    /^copy .*(package.*json|requirements.*txt|go\.mod|gemfile|pom\.xml|composer\.json|cargo\.toml|csproj|pyproject|pipfile|build\.gradle)/i,
    [
      'Copy dependency manifests first to leverage Docker layer caching',
      'Only copy the dependency files first so this layer is cached',
      'Copy the requirements file into the container',
      'Dependency manifests',
    ],
  ],
  [
    /^run .*(npm (ci|install)|yarn install|pnpm install|pip3? install|poetry install|go mod download|bundle install|composer install|dependency:go-offline|dotnet restore|cargo chef cook|gradlew? dependencies)/i,
    [
      'Install dependencies',
      'Download dependencies',
      'Install any needed packages',
      'Fetch dependencies (cached unless the manifests change)',
    ],
  ],
  [
    /^copy \. |^copy src|^add \. /i,
    [
      'Copy the application source',
      'Copy the rest of the code',
      'Bundle app source',
      'Copy the current directory contents into the container',
    ],
  ],
  [
    /^run .*(go build|cargo build)/i,
    ['Build the binary', 'Compile a static binary', 'Build the application'],
  ],
  [
    /^run .*(npm run build|yarn build|pnpm run build|mvn|gradlew? |dotnet (build|publish)|mix release)/i,
    ['Build the application', 'Compile', 'Build a release artifact', 'Production build'],
  ],
  [
    /^workdir /i,
    ['Set the working directory', 'Create app directory', 'Working directory inside the container'],
  ],
  [
    /^env (pythondontwritebytecode|node_env|rails_env|java_opts|aspnetcore)/i,
    ['Runtime configuration', 'Environment', 'Production settings'],
  ],
  [
    /^run .*(useradd|adduser|addgroup|groupadd)/i,
    ['Create a non-root user', 'Add an unprivileged user to run the app', 'Create the service account'],
  ],
  [
    /^user (?!root\b)/i,
    ['Run as non-root user', 'Drop privileges', 'Switch to the unprivileged user', 'Do not run as root'],
  ],
  [
    /^expose /i,
    [
      'Expose the port the app runs on',
      'Document the listening port',
      'Make the service port available outside the container',
    ],
  ],
  [/^healthcheck /i, ['Container health check', 'Let the orchestrator know when the service is healthy']],
  [/^volume /i, ['Persist data outside the container', 'Data directory']],
  [/^(cmd|entrypoint) /i, ['Start the application', 'Run the app', 'Default command', 'Run the service']],
];

/** Indices of the lines that start an instruction (not continuations, comments or heredoc bodies). */
function instructionStarts(lines) {
  const esc = lines.length > 0 && /^#\s*escape\s*=\s*`/.test(lines[0]) ? '`' : '\\';
  const starts = [];
  let cont = false;
  let heredoc = null;
  lines.forEach((line, i) => {
    if (heredoc) {
      if ((heredoc.strip ? line.replace(/^\t+/, '') : line) === heredoc.marker) heredoc = null;
      return;
    }
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    if (!cont) starts.push(i);
    cont = line.endsWith(esc);
    const m = /<<(-?)(['"]?)([A-Za-z_]\w*)\2/.exec(line);
    if (m && /^(\s*(onbuild\s+)?(run|copy|add)\b|\s*--mount|\s)/i.test(line) && !cont)
      heredoc = { strip: m[1] === '-', marker: m[3] };
  });
  return starts;
}

function decorate(d) {
  const { r } = d;
  const commenty = r.chance(0.6) ? r.pick([0.5, 0.7, 0.9]) : 0;
  const airy = r.chance(0.6) ? r.pick([0.5, 0.75, 1]) : 0;
  const blankShare = d.lines.filter((l) => l === '').length / Math.max(1, d.lines.length);
  if (commenty === 0 && (airy === 0 || blankShare > 0.12)) return;
  const starts = new Set(instructionStarts(d.lines));
  const out = [];
  let seenFrom = false;
  let prevKw = '';
  d.lines.forEach((line, i) => {
    if (!starts.has(i)) {
      out.push(line);
      return;
    }
    const kw = line.split(/\s+/)[0].toUpperCase();
    const prev = out.length > 0 ? out[out.length - 1] : '';
    const prevIsComment = prev.startsWith('#') && !/^#\s*(syntax|escape|check)=/.test(prev);
    let comment = null;
    if (commenty && !prevIsComment && r.chance(commenty)) {
      const rule = SECTION_COMMENTS.find(([re]) => re.test(line));
      if (rule) comment = r.pick(rule[1]);
    }
    const sameKind = kw === prevKw && ['ENV', 'ARG', 'LABEL', 'COPY', 'EXPOSE'].includes(kw);
    const wantBlank =
      seenFrom &&
      prev !== '' &&
      !prevIsComment &&
      (kw === 'FROM' || (airy && r.chance(sameKind ? airy * 0.2 : airy)) || (comment && r.chance(0.8)));
    if (wantBlank) out.push('');
    if (comment) out.push(`# ${comment}`);
    out.push(line);
    if (kw === 'FROM') seenFrom = true;
    prevKw = kw;
  });
  d.lines = out;
}

// ---------------------------------------------------------------------------------------------
// Main

const ARCHETYPES = {
  node,
  python,
  go,
  java,
  ruby,
  php,
  rust,
  dotnet,
  nginx,
  debianService,
  alpineService,
  infra,
  heredoc,
  onbuild,
  tools,
  rhel,
  windows,
  legacy,
  tiny,
  misc,
};

const slug = (s) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');

/** Returns [{ name, text }] for every generated file, in order. */
export function generate() {
  const scheduleRng = makeRng(`${SEED}:schedule`);
  const schedule = scheduleRng.shuffle(
    Object.entries(QUOTAS).flatMap(([k, n]) => Array.from({ length: n }, () => k)),
  );
  return schedule.map((kind, i) => {
    const n = FIRST + i;
    const d = new Doc(makeRng(`${SEED}:${n}`));
    const topic = ARCHETYPES[kind](d);
    if (kind !== 'tiny') decorate(d);
    return { name: `${String(n).padStart(3, '0')}-${slug(topic)}.Dockerfile`, text: d.text() };
  });
}

const isGenerated = (name) => {
  const m = /^(\d{3})-.*\.Dockerfile$/.exec(name);
  return m !== null && Number(m[1]) >= FIRST;
};

function main(argv) {
  const here = dirname(fileURLToPath(import.meta.url));
  const outIdx = argv.indexOf('--out');
  const out = outIdx >= 0 ? resolve(argv[outIdx + 1]) : join(here, '..', 'bench', 'corpus');
  const check = argv.includes('--check');
  const files = generate();
  const existing = existsSync(out) ? readdirSync(out).filter(isGenerated) : [];
  const wanted = new Set(files.map((f) => f.name));
  if (check) {
    const problems = [
      ...files
        .filter((f) => !existsSync(join(out, f.name)) || readFileSync(join(out, f.name), 'utf8') !== f.text)
        .map((f) => `differs: ${f.name}`),
      ...existing.filter((n) => !wanted.has(n)).map((n) => `stale: ${n}`),
    ];
    for (const p of problems) console.error(p);
    console.log(
      problems.length === 0
        ? `ok: ${files.length} generated files match`
        : `${problems.length} problem(s); run node scripts/gen-bench-corpus.mjs`,
    );
    return problems.length === 0 ? 0 : 1;
  }
  mkdirSync(out, { recursive: true });
  for (const n of existing) if (!wanted.has(n)) unlinkSync(join(out, n));
  for (const f of files) writeFileSync(join(out, f.name), f.text);
  console.log(`wrote ${files.length} files to ${out}`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
