import type { Instruction, Property } from '../../dockerfile/model.js';
import { defineRule } from '../rule.js';

// Values shaped like a credential whatever the variable is called.
const CREDENTIAL_SHAPES: readonly (readonly [RegExp, string])[] = [
  [/\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/, 'an AWS access key id'],
  [/\bgh[pousr]_[A-Za-z0-9]{36,}\b/, 'a GitHub token'],
  [/\bgithub_pat_[A-Za-z0-9_]{40,}\b/, 'a GitHub fine-grained token'],
  [/\bglpat-[A-Za-z0-9_-]{20,}\b/, 'a GitLab token'],
  [/\bnpm_[A-Za-z0-9]{36}\b/, 'an npm token'],
  [/\bxox[bpoas]-[A-Za-z0-9-]{10,}/, 'a Slack token'],
  [/\b[sr]k_live_[A-Za-z0-9]{16,}/, 'a Stripe live key'],
  [/\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}/, 'a SendGrid API key'],
  [/-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/, 'a private key'],
  [/\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/, 'a JSON Web Token'],
];

// `scheme://user:password@host` (user may be empty, as in `redis://:password@host`).
const URL_PASSWORD = /\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:([^\s/@]+)@/i;

// Names whose value is a secret: the last word says so (`DB_PASSWORD`, `NPM_TOKEN`, `JWT_SECRET`).
const SECRET_LAST = new Set([
  'PASSWORD',
  'PASSWD',
  'PASS',
  'PASSPHRASE',
  'SECRET',
  'SECRETS',
  'TOKEN',
  'APIKEY',
]);
const SECRET_LAST_TWO = new Set([
  'API_KEY',
  'PRIVATE_KEY',
  'SECRET_KEY',
  'ENCRYPTION_KEY',
  'SIGNING_KEY',
  'MASTER_KEY',
  'CLIENT_SECRET',
]);
// Variables client tools read a password or credentials from, whatever their last word says
// (psql, mysql, redis-cli, sshpass -e). DOCKER_AUTH_CONFIG is judged by what it holds, below.
const WELL_KNOWN_SECRETS = new Set(['PGPASSWORD', 'REDISCLI_AUTH', 'SSHPASS']);
// Names that only hint at a secret (`APP_KEY`, `BASIC_AUTH`): reported when the value also looks random.
const HINT_LAST = new Set(['KEY', 'AUTH', 'CREDENTIAL', 'CREDENTIALS', 'CREDS', 'SALT']);
// GPG key fingerprints in official images (`GPG_KEYS`, `NGINX_GPGKEY`) are public identifiers.
const PUBLIC_KEY_NAME = /GPG|PGP|FINGERPRINT|KEY_?ID|PUBLIC|PUB_?KEY/i;

// Values that are not secrets: switches, words asking to be replaced, masks.
const NOT_A_VALUE =
  /^(true|false|yes|no|on|off|none|null|nil|undefined|disabled?|enabled?|required|optional|random|auto)$/i;
const PLACEHOLDER =
  /^(<[^>]*>|\{\{.*\}\}|\*+|x{3,}|\.\.\.)$|(^|[-_ ])(set|provided?|injected|supplied|overridden)[-_ ](at|by|on|in)[-_ ]?(run[-_ ]?time|deploy|start|env)/i;

function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase()
    .split(/[_.-]+/)
    .filter(Boolean);
}

function secretName(name: string): boolean {
  if (WELL_KNOWN_SECRETS.has(name.toUpperCase())) return true;
  const w = words(name);
  const last = w.at(-1) ?? '';
  const lastTwo = w.slice(-2).join('_');
  if (SECRET_LAST.has(last) || SECRET_LAST_TWO.has(lastTwo)) return true;
  // MYSQL_PWD, ORACLE_PWD; PWD alone (and OLDPWD) is the shell's working directory.
  if (last === 'PWD' && w.length > 1) return true;
  // AWS_SECRET_ACCESS_KEY, MINIO_SECRET_KEY, Rails' SECRET_KEY_BASE.
  return lastTwo === 'ACCESS_KEY' ? w.includes('SECRET') : w.slice(-3).join('_') === 'SECRET_KEY_BASE';
}

function hintName(name: string): boolean {
  return HINT_LAST.has(words(name).at(-1) ?? '') && !PUBLIC_KEY_NAME.test(name);
}

// The literal a value holds: `${X:-default}` holds its default; other expansions hold nothing known.
function literal(value: string): string | undefined {
  const withDefault = /^\$\{\w+:?-([^}$]*)\}$/.exec(value);
  if (withDefault) return withDefault[1];
  return value.includes('$') ? undefined : value;
}

function notASecret(value: string): boolean {
  return (
    value.trim() === '' ||
    NOT_A_VALUE.test(value) ||
    PLACEHOLDER.test(value) ||
    /^(\/|\.{1,2}\/|~\/|file:|[A-Za-z]:\\)/.test(value) ||
    (/^[a-z][a-z0-9+.-]*:\/\//i.test(value) && !URL_PASSWORD.test(value))
  );
}

function looksRandom(value: string): boolean {
  if (value.length < 20 || /\s/.test(value)) return false;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(value)).length;
  if (classes < 2) return false;
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let entropy = 0;
  for (const n of counts.values()) entropy -= (n / value.length) * Math.log2(n / value.length);
  return entropy >= 3.5;
}

// A key of a JSON or YAML value at the start of the value or a line (a YAML list item too), or
// inside an object, with its scalar value: quoted, or bare up to the next `,`, `}`, `]` or line end.
// A bare key needs `: ` after it, as YAML does, so `scheme:value` and `host:port` are not keys.
const STRUCTURED_ENTRY =
  /(?:(?:^|\n)(?:\s*-)?|[{,[])\s*(?:"([A-Za-z_][\w.-]*)"|'([A-Za-z_][\w.-]*)'|([A-Za-z_][\w.-]*)(?=:\s))\s*:\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([^\s,}\]"'{[][^,}\]\n]*))/g;
// A Docker client config (DOCKER_AUTH_CONFIG, a config.json in a variable) with a stored login.
const DOCKER_AUTHS = /["']?auths["']?\s*:/;
const DOCKER_LOGIN = /["']?(auth|identitytoken|password)["']?\s*:\s*["']?([^"',}\s$][^"',}\s]*)/;

// The secret key of a JSON or YAML value that holds a literal, when there is one.
function structuredSecret(value: string): string | undefined {
  if (DOCKER_AUTHS.test(value) && DOCKER_LOGIN.test(value)) return 'holds Docker registry credentials';
  for (const m of value.matchAll(STRUCTURED_ENTRY)) {
    const key = m[1] ?? m[2] ?? m[3] ?? '';
    const v = (m[4] ?? m[5] ?? m[6] ?? '').trim();
    if (!secretName(key) || v.includes('$') || notASecret(v)) continue;
    return `holds structured settings whose "${key}" is a literal value (${v.length} characters)`;
  }
  return undefined;
}

// Why a value is a secret, or undefined; never quotes the value, which would copy it into reports.
function secretReason(prop: Property): string | undefined {
  const raw = prop.value;
  if (raw === null) return undefined;
  for (const [shape, what] of CREDENTIAL_SHAPES) if (shape.test(raw)) return `holds ${what}`;
  const structured = structuredSecret(raw);
  if (structured) return structured;
  const password = URL_PASSWORD.exec(raw)?.[1];
  if (password !== undefined && !password.includes('$') && !PLACEHOLDER.test(password)) {
    return 'holds a URL with a password in it';
  }
  const value = literal(raw);
  if (value === undefined || notASecret(value)) return undefined;
  if (secretName(prop.name))
    return `is named like a secret and holds a literal value (${value.length} characters)`;
  if (hintName(prop.name) && looksRandom(value))
    return 'is named like a key and holds a random-looking value';
  return undefined;
}

function where(inst: Instruction): string {
  return inst.keyword === 'ENV'
    ? 'ENV values are stored in the image config, readable by anyone who can pull the image (docker inspect)'
    : 'an ARG default is recorded in the image history of every RUN that uses it (docker history)';
}

export const secretInEnvArg = defineRule({
  id: 'DD111',
  level: 'error',
  title: 'Secret baked into ENV or ARG',
  rationale:
    'ENV values live in the image config and ARG values in its build history, so whoever can pull the image can read them, and removing them later does not take them out of older layers. A default password is as bad as a real one: every container that does not override it accepts it. Inject secrets at run time (orchestrator secrets, `*_FILE=/run/secrets/…`) and give builds `RUN --mount=type=secret`. An ARG without a default is not reported: its value is not in the Dockerfile, and the BuildKit build check SecretsUsedInArgOrEnv already warns on such names at build time.',
  check: (ctx) =>
    ctx.of('ENV', 'ARG').flatMap((inst) =>
      inst.properties.flatMap((prop) => {
        const why = secretReason(prop);
        if (!why) return [];
        return [
          ctx.finding(
            prop.loc,
            `${inst.keyword} ${prop.name} ${why}: ${where(inst)}; pass it at run time or through a build secret (RUN --mount=type=secret) instead`,
          ),
        ];
      }),
    ),
});
