// What a secret looks like, shared by DD111 (values in ENV, ARG, LABEL and RUN), DD112 (files) and DL3064 (names).

/** Values shaped like a credential whatever they are called: provider tokens, private key blocks, chat webhooks. */
const SHAPES: readonly (readonly [RegExp, string])[] = [
  [/\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/, 'an AWS access key id'],
  [/\bgh[pousr]_[A-Za-z0-9]{36,}\b/, 'a GitHub token'],
  [/\bgithub_pat_[A-Za-z0-9_]{40,}\b/, 'a GitHub fine-grained token'],
  [/\bgl(?:pat|dt|rt|ptt)-[A-Za-z0-9_-]{20,}/, 'a GitLab token'],
  [/\bnpm_[A-Za-z0-9]{36}\b/, 'an npm token'],
  [/\bpypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}/, 'a PyPI upload token'],
  [/\bdckr_pat_[A-Za-z0-9_-]{20,}/, 'a Docker Hub access token'],
  [/\bxox[abposre]-[A-Za-z0-9-]{10,}/, 'a Slack token'],
  [/\bxapp-\d-[A-Za-z0-9-]{20,}/, 'a Slack app token'],
  [/\b[sr]k_live_[A-Za-z0-9]{16,}/, 'a Stripe live key'],
  [/\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}/, 'a SendGrid API key'],
  [/\bAIza[0-9A-Za-z_-]{35}\b/, 'a Google API key'],
  [/\bya29\.[0-9A-Za-z_-]{20,}/, 'a Google OAuth access token'],
  [/\bsk-ant-(?:api|admin)\d\d-[A-Za-z0-9_-]{20,}/, 'an Anthropic API key'],
  [
    /\bsk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,}|\bsk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}/,
    'an OpenAI API key',
  ],
  [/\bhf_[A-Za-z]{34}\b/, 'a Hugging Face token'],
  [/\bdo[opr]_v1_[a-f0-9]{64}\b/, 'a DigitalOcean token'],
  [/\bshp(?:at|ss|ca|pa)_[a-fA-F0-9]{32}\b/, 'a Shopify token'],
  [/\bsq0(?:atp|csp)-[0-9A-Za-z_-]{22,}/, 'a Square token'],
  [/\blin_api_[A-Za-z0-9]{40}\b/, 'a Linear API key'],
  [/\brubygems_[a-f0-9]{48}\b/, 'a RubyGems API key'],
  [/\bPMAK-[a-f0-9]{24}-[a-f0-9]{34}\b/, 'a Postman API key'],
  [/\bglsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}\b/, 'a Grafana service account token'],
  [/\bAGE-SECRET-KEY-1[0-9A-Z]{58}\b/, 'an age secret key'],
  [/\b(?:AccountKey|SharedAccessKey)=[A-Za-z0-9+/]{40,}={0,2}/, 'an Azure storage or service bus key'],
  [/-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/, 'a private key'],
  [/\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/, 'a JSON Web Token'],
  [/\bhooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9_/+-]{20,}/, 'a Slack webhook URL'],
  [
    /\b(?:ptb\.|canary\.)?discord(?:app)?\.com\/api\/webhooks\/\d+\/[A-Za-z0-9_-]{20,}/,
    'a Discord webhook URL',
  ],
  [
    /\.webhook\.office\.com\/[\w@/-]{20,}|\blogic\.azure\.com(?::443)?\/workflows\/\w+\/triggers\/\S*\bsig=[\w-]{20,}|\boutlook\.office(?:365)?\.com\/webhook\/[\w@/-]{20,}/,
    'a Microsoft Teams webhook URL',
  ],
  [
    /\bchat\.googleapis\.com\/v1\/spaces\/[^\s/]+\/messages\?\S*\btoken=[\w-]{10,}/,
    'a Google Chat webhook URL',
  ],
];
// One pass over a text finds whether any shape is there; the list then says which.
const ANY_SHAPE = new RegExp(SHAPES.map(([re]) => `(?:${re.source})`).join('|'));

/** What kind of credential a text holds by its shape (`a GitHub token`), or undefined. */
export function secretShape(text: string): string | undefined {
  if (!ANY_SHAPE.test(text)) return undefined;
  return SHAPES.find(([re]) => re.test(text))?.[1];
}

/** `scheme://user:password@host` (user may be empty, as in `redis://:password@host`); group 1 is the password. */
// Anchored on `://` alone: a scheme pattern before it would rescan long words from every boundary (quadratic).
export const URL_PASSWORD = /:\/\/[^\s/:@]*:([^\s/@]+)@/;

/** True when a text holds a URL whose password is written out (not a `$VAR` or a placeholder). */
export function urlWithPassword(text: string): boolean {
  const password = URL_PASSWORD.exec(text)?.[1];
  return password !== undefined && !/[$`]/.test(password) && !PLACEHOLDER.test(password);
}

// Names whose value is a secret: the last word says so (`DB_PASSWORD`, `NPM_TOKEN`, `JWT_SECRET`, Jenkins' `X_PSW`).
const SECRET_LAST = new Set([
  'PASSWORD',
  'PASSWORDS',
  'PASSWD',
  'PASS',
  'PASSPHRASE',
  'PASSCODE',
  'PSW',
  'SECRET',
  'SECRETS',
  'TOKEN',
  'TOKENS',
  'APIKEY',
  'APITOKEN',
  'AUTHTOKEN',
  'ACCESSTOKEN',
  'SECRETKEY',
  'PRIVATEKEY',
  'CLIENTSECRET',
]);
const SECRET_LAST_TWO = new Set([
  'API_KEY',
  'PRIVATE_KEY',
  'SECRET_KEY',
  'ENCRYPTION_KEY',
  'SIGNING_KEY',
  'MASTER_KEY',
  'CLIENT_SECRET',
  'ACCOUNT_KEY',
  'LICENSE_KEY',
  'HMAC_KEY',
  'SESSION_KEY',
]);
// Variables client tools read a password or credentials from, whatever their last word says
// (psql, mysql, redis-cli, sshpass -e). DOCKER_AUTH_CONFIG is judged by what it holds.
const WELL_KNOWN_SECRETS = new Set(['PGPASSWORD', 'REDISCLI_AUTH', 'SSHPASS']);
// Names that only hint at a secret (`APP_KEY`, `BASIC_AUTH`): reported when the value also looks random.
const HINT_LAST = new Set(['KEY', 'AUTH', 'CREDENTIAL', 'CREDENTIALS', 'CREDS', 'SALT', 'PSK']);
// GPG key fingerprints in official images (`GPG_KEYS`, `NGINX_GPGKEY`) are public identifiers.
const PUBLIC_KEY_NAME = /GPG|PGP|FINGERPRINT|KEY_?ID|PUBLIC|PUB_?KEY/i;
// git's numbered config variables name a setting, not a secret.
const GIT_CONFIG_PAIR = /^GIT_CONFIG_(?:KEY|VALUE)_\d+$/;

function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase()
    .split(/[_.-]+/)
    .filter(Boolean);
}

/** True when a variable's (or label's, or config key's) name says its value is a secret. */
export function secretName(name: string): boolean {
  const upper = name.toUpperCase();
  if (WELL_KNOWN_SECRETS.has(upper)) return true;
  if (GIT_CONFIG_PAIR.test(upper)) return false;
  const w = nameWords(name);
  const last = w.at(-1) ?? '';
  const lastTwo = w.slice(-2).join('_');
  if (SECRET_LAST.has(last) || SECRET_LAST_TWO.has(lastTwo)) return true;
  // MYSQL_PWD, ORACLE_PWD, GITHUB_PAT; PWD alone (and OLDPWD) is the shell's working directory.
  if ((last === 'PWD' || last === 'PAT') && w.length > 1) return true;
  // AWS_SECRET_ACCESS_KEY, MINIO_SECRET_KEY, Rails' SECRET_KEY_BASE.
  return lastTwo === 'ACCESS_KEY' ? w.includes('SECRET') : w.slice(-3).join('_') === 'SECRET_KEY_BASE';
}

/** True when a name only hints at a secret (`APP_KEY`); its value must look random too. */
export function hintName(name: string): boolean {
  if (GIT_CONFIG_PAIR.test(name.toUpperCase())) return false;
  return HINT_LAST.has(nameWords(name).at(-1) ?? '') && !PUBLIC_KEY_NAME.test(name);
}

// Values that are not secrets: switches, words asking to be replaced, masks.
const NOT_A_VALUE =
  /^(true|false|yes|no|on|off|none|null|nil|undefined|disabled?|enabled?|required|optional|random|auto)$/i;
/** Words that ask for a value to be supplied (`<token>`, `{{ x }}`, `***`, `set-at-runtime`). */
export const PLACEHOLDER =
  /^(<[^>]*>|\{\{.*\}\}|\*+|x{3,}|\.\.\.)$|(^|[-_ ])(set|provided?|injected|supplied|overridden)[-_ ](at|by|on|in)[-_ ]?(run[-_ ]?time|deploy|start|env)/i;
// A file name with an extension credentials and settings are kept in (`./key.json`, `creds/sa.json`).
const FILE_VALUE =
  /^[\w.@-]+(\/[\w.@-]+)*\.(json|pem|key|crt|cer|p12|pfx|jks|ya?ml|conf|cfg|ini|txt|toml|env|properties)$/i;

/** True when a value is plainly not a secret: empty, a switch, a placeholder, a path, a URL without a password. */
export function notASecret(value: string): boolean {
  return (
    value.trim() === '' ||
    NOT_A_VALUE.test(value) ||
    PLACEHOLDER.test(value) ||
    /^(\/|\.{1,2}\/|~\/|file:|[A-Za-z]:\\)/.test(value) ||
    FILE_VALUE.test(value) ||
    (/^[a-z][a-z0-9+.-]*:\/\//i.test(value) && !URL_PASSWORD.test(value))
  );
}

/** True when a value reads as random (long, mixed characters, high entropy), as generated keys do. */
export function looksRandom(value: string): boolean {
  if (value.length < 20 || /\s/.test(value)) return false;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(value)).length;
  if (classes < 2) return false;
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let entropy = 0;
  for (const n of counts.values()) entropy -= (n / value.length) * Math.log2(n / value.length);
  return entropy >= 3.5;
}

// The literal a value holds: `${X:-default}` holds its default; other expansions hold nothing known.
function literal(value: string): string | undefined {
  const withDefault = /^\$\{\w+:?-([^}$]*)\}$/.exec(value);
  if (withDefault) return withDefault[1];
  return /[$`]/.test(value) ? undefined : value;
}

// A key of a JSON or YAML value at the start of the value or a line (a YAML list item too), or
// inside an object, with its scalar value: quoted, or bare up to the next `,`, `}`, `]` or line end.
// A bare key needs `: ` after it, as YAML does, so `scheme:value` and `host:port` are not keys.
const STRUCTURED_ENTRY =
  /(?:(?:^|\n)(?:\s*-)?|[{,[])\s*(?:"([A-Za-z_][\w.-]*)"|'([A-Za-z_][\w.-]*)'|([A-Za-z_][\w.-]*)(?=:\s))\s*:\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([^\s,}\]"'{[][^,}\]\n]*))/g;
// A Docker client config (DOCKER_AUTH_CONFIG, a config.json in a variable) with a stored login.
const DOCKER_AUTHS = /["']?auths["']?\s*:/;
const DOCKER_LOGIN = /["']?(auth|identitytoken|password)["']?\s*:\s*["']?([^"',}\s$][^"',}\s]*)/;

function structuredSecret(value: string): string | undefined {
  if (DOCKER_AUTHS.test(value) && DOCKER_LOGIN.test(value)) return 'holds Docker registry credentials';
  if (!value.includes(':')) return undefined;
  for (const m of value.matchAll(STRUCTURED_ENTRY)) {
    const key = m[1] ?? m[2] ?? m[3] ?? '';
    const v = (m[4] ?? m[5] ?? m[6] ?? '').trim();
    if (!secretName(key) || v.includes('$') || notASecret(v)) continue;
    return `holds structured settings whose "${key}" is a literal value (${v.length} characters)`;
  }
  return undefined;
}

/**
 * Why `name=value` (an ENV, ARG, LABEL or shell assignment) holds a secret, or undefined; never quotes the value,
 * which would copy it into reports. `${X:-default}` is judged by its default; other expansions are unknown.
 */
export function valueSecretReason(name: string, raw: string): string | undefined {
  const shape = secretShape(raw);
  if (shape) return `holds ${shape}`;
  const structured = structuredSecret(raw);
  if (structured) return structured;
  if (urlWithPassword(raw)) return 'holds a URL with a password in it';
  const value = literal(raw);
  if (value === undefined || notASecret(value)) return undefined;
  if (secretName(name))
    return `is named like a secret and holds a literal value (${value.length} characters)`;
  if (hintName(name) && looksRandom(value)) return 'is named like a key and holds a random-looking value';
  return undefined;
}

/** A PEM private key block (RSA, EC, OpenSSH, PKCS#8, encrypted, DSA, PGP). */
export const PRIVATE_KEY_BLOCK = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/;
const PUBLIC_BLOCK =
  /-----BEGIN (?:(?:TRUSTED |X509 )?CERTIFICATE|X509 CRL|(?:RSA |SSH2 )?PUBLIC KEY|(?:X9\.42 )?DH PARAMETERS|EC PARAMETERS|PGP PUBLIC KEY BLOCK|(?:NEW )?CERTIFICATE REQUEST)-----/;
// An OpenSSH public key line, as in *.pub, authorized_keys (options first) and known_hosts (hosts first).
const SSH_PUBLIC_LINE = /^(?:\S+\s+)?(?:ssh-(?:rsa|dss|ed25519)|ecdsa-sha2-\S+|sk-\S+@openssh\.com)\s+AAAA/;

/** True when a file's text holds a private key. */
export function privateKeyText(text: string): boolean {
  return PRIVATE_KEY_BLOCK.test(text);
}

/** True when a file's text is public material only: certificates, public keys, DH parameters, authorized_keys, known_hosts. */
export function publicMaterialText(text: string): boolean {
  if (PRIVATE_KEY_BLOCK.test(text)) return false;
  if (PUBLIC_BLOCK.test(text)) return true;
  const lines = text.split('\n').filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
  return lines.length > 0 && lines.every((l) => SSH_PUBLIC_LINE.test(l.trim()));
}

// File names of public material: certificates, chains, CA bundles, public keys, Diffie-Hellman parameters.
const PUBLIC_FILE =
  /\.(crt|cer|der|pub|csr|crl)$|(^|\/)(authorized_keys2?|known_hosts)$|(^|\/)(ffdhe|dhparams?|dh)[-_]?\d*\.pem$|(^|\/)(cert|public|ca)[^/]*\.pem$|(chain|bundle|[._-]pub|[._-]public|[._-]cert|[._-]crt)[^/]*\.pem$/;
// Words that say a .pem or .key is the private half, whatever else the name says (`ca-key.pem`).
const KEY_WORDS = /(^|[/._-])(keys?|privkey|private|priv|secrets?)([/._-]|$)/;

const PRIVATE_WORDS = /(^|[/._-])(privkey|private|priv|secrets?)([/._-]|$)/;
const PUBLIC_WORDS = /(^|[/._-])(pub|public|pubkey)([/._-]|$)|(^|\/)public[^/]*$/;
// Words of a .pem path (directories included) that say certificate: `certs/server.pem`, `root-ca.pem`.
const CERT_WORDS =
  /(^|[/._-])(ca|cacerts?|certs?|certificates?|chain|fullchain|bundle|crt|pub|public|root|intermediate|trust|truststore|dhparams?)([/._-]|$)/;

/** True when a file's name says it is public material (a certificate, public key or DH parameters), not a private key. */
export function publicMaterialName(path: string): boolean {
  const p = path.toLowerCase();
  const pem = p.endsWith('.pem');
  if (pem && PRIVATE_WORDS.test(p)) return false;
  if (pem && PUBLIC_WORDS.test(p)) return true;
  if (pem && KEY_WORDS.test(p)) return false;
  return PUBLIC_FILE.test(p) || (pem && CERT_WORDS.test(p));
}

/** A kind of credential file: what it holds, and (when its text can tell) the text that shows a credential in it. */
export interface CredentialKind {
  readonly what: string;
  /** Text showing a credential; when the file's text is known and this does not match, it holds none. */
  readonly content?: RegExp;
  /** Files that often hold only settings: without their text, reported only when they reach the shipped image. */
  readonly maybe?: boolean;
  /** `NAME=value` lines, judged as ENV values are when the text is known. */
  readonly settings?: boolean;
}

const KEY_FILE = { what: 'an SSH private key' };
const AWS = { what: 'AWS credentials', content: /\baws_(?:secret_access_key|session_token)[ \t]*=[ \t]*\S/i };
const DOCKER = {
  what: 'Docker registry credentials',
  content: /"(?:auth|identitytoken|registrytoken|password)"\s*:\s*"[^"]+"/,
};
const KUBE = {
  what: 'a kubeconfig with cluster credentials',
  content: /\b(?:client-key-data|token|password|auth-provider)[ \t]*:[ \t]*\S/,
};
const GCP = {
  what: 'a cloud service account or OAuth client secret',
  content: /"(?:private_key|client_secret|refresh_token)"\s*:\s*"[^"]/,
};
const NETRC = { what: 'a .netrc with login passwords', content: /\bpassword[ \t]+\S/ };
const PGPASS = { what: 'a .pgpass with database passwords', content: /^([^:\n]*:){4}.+/m };
const NPMRC = {
  what: 'an .npmrc, where registry tokens live',
  content: /(?:_authToken|_auth|_password)[ \t]*=[ \t]*\S/,
  maybe: true,
};

/** Credential files by path (a build-context source or an image destination), lower-cased. */
const CREDENTIAL_FILES: readonly (readonly [RegExp, CredentialKind])[] = [
  [/(^|\/)id_(rsa|dsa|ecdsa|ed25519)(_sk)?$/, KEY_FILE],
  // Any identity ssh is pointed at under ~/.ssh (`id_github`, `deploy_key`), public halves excepted.
  [/(^|\/)\.ssh\/(id_[^/]+|[^/]*(_key|\.key|_rsa|_ed25519|_ecdsa))$/, KEY_FILE],
  [/(^|\/)ssh_host_[a-z0-9]+_key$/, { what: 'an SSH host private key' }],
  [/\.(p12|pfx|jks|keystore)$/, { what: 'a key store with private keys' }],
  [/(^|\/)\.netrc$/, NETRC],
  [
    /(^|\/)\.pypirc$/,
    { what: 'a .pypirc with package index credentials', content: /^[ \t]*password[ \t]*[:=][ \t]*\S/m },
  ],
  [/(^|\/)\.git-credentials$/, { what: 'stored git credentials', content: /:\/\/[^\s:/]*:[^\s@/]+@/ }],
  [/(^|\/)\.pgpass$/, PGPASS],
  [/(^|\/)\.aws\/(credentials|config)$/, AWS],
  [/(^|\/)\.docker\/config\.json$/, DOCKER],
  [/(^|\/)(kubeconfig|[^/]*\.kubeconfig|\.kube\/config)$/, KUBE],
  [/(service[-_]?account|client[-_]secret)[^/]*\.json$/, GCP],
  [/(^|\/)\.config\/gcloud\/(application_default_credentials\.json|credentials\.db)$/, GCP],
  [/(^|\/)sasl_passwd$/, { what: 'a Postfix SASL password map', content: /^[ \t]*\S+[ \t]+[^\s:]+:\S+/m }],
  [/(^|\/)\.my\.cnf$/, { what: 'a MySQL client password file', content: /^[ \t]*password[ \t]*=[ \t]*\S/m }],
  [
    /(^|\/)\.s3cfg$|(^|\/)\.boto$/,
    { what: 'S3 client credentials', content: /\b(secret_key|aws_secret_access_key)[ \t]*=[ \t]*\S/ },
  ],
  [/(^|\/)\.gem\/credentials$/, { what: 'RubyGems credentials', content: /api_key[ \t]*:[ \t]*\S/ }],
  [
    /(^|\/)\.cargo\/credentials(\.toml)?$/,
    { what: 'a Cargo registry token', content: /\btoken[ \t]*=[ \t]*\S/ },
  ],
  [
    /(^|\/)\.config\/gh\/hosts\.ya?ml$/,
    { what: 'a GitHub CLI login', content: /oauth_token[ \t]*:[ \t]*\S/ },
  ],
  [
    /(^|\/)(\.composer|\.config\/composer)\/auth\.json$/,
    {
      what: 'Composer registry credentials',
      content: /"(github-oauth|gitlab-token|gitlab-oauth|http-basic|bearer)"/,
    },
  ],
  [
    /(^|\/)\.yarnrc\.yml$/,
    { what: 'a Yarn registry token', content: /npmAuth(Token|Ident)[ \t]*:[ \t]*\S/, maybe: true },
  ],
  [
    /(^|\/)\.m2\/settings\.xml$/,
    { what: 'Maven server passwords', content: /<password>\s*[^<\s$]/, maybe: true },
  ],
  [/(^|\/)\.npmrc$/, NPMRC],
  [
    /(^|\/)\.env(\.(?!example$|sample$|template$|dist$|defaults?$)[^/]+)?$/,
    { what: 'a .env file, where application secrets live', maybe: true, settings: true },
  ],
  [/(^|\/)\.(ssh|aws|gnupg|kube|docker)\/?$/, { what: 'a whole credentials directory' }],
];

/** The credential kind a file path names (`/root/.aws/credentials`, `id_ed25519`, `gcp/service-account.json`), if any. */
export function credentialFile(path: string): CredentialKind | undefined {
  const p = path.toLowerCase();
  if (publicMaterialName(p)) return undefined;
  return CREDENTIAL_FILES.find(([re]) => re.test(p))?.[1];
}

/** The ssh private key names (`id_rsa`, `ssh_host_ed25519_key`): a file by that name is the key, whatever it came from. */
export const PRIVATE_KEY_FILE =
  /(^|\/)(id_(rsa|dsa|ecdsa|ed25519)(_sk)?|ssh_host_[a-z0-9]+_key)$|(^|\/)\.ssh\/(id_(?![^/]*\.pub$)[^/]+|[^/]*(_key|\.key|_rsa|_ed25519|_ecdsa))$/;

// Variables whose value is the path a tool reads credentials from (`COPY creds $AWS_SHARED_CREDENTIALS_FILE`).
const CREDENTIAL_PATH_VARIABLES: Readonly<Record<string, CredentialKind>> = {
  AWS_SHARED_CREDENTIALS_FILE: AWS,
  AWS_CONFIG_FILE: AWS,
  GOOGLE_APPLICATION_CREDENTIALS: GCP,
  CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE: GCP,
  KUBECONFIG: KUBE,
  NETRC: NETRC,
  PGPASSFILE: PGPASS,
  NPM_CONFIG_USERCONFIG: NPMRC,
  BOTO_CONFIG: { what: 'S3 client credentials', content: /\baws_secret_access_key[ \t]*=[ \t]*\S/ },
};

/**
 * The credential a file at `$NAME` (or `$NAME/rest`) holds when NAME is a variable tools read credentials through:
 * AWS_SHARED_CREDENTIALS_FILE, GOOGLE_APPLICATION_CREDENTIALS, KUBECONFIG, `$DOCKER_CONFIG/config.json`,
 * and `*_PASSWORD_FILE`-style variables that name a secret's file.
 */
export function credentialVariable(name: string, rest = ''): CredentialKind | undefined {
  const upper = name.toUpperCase();
  if (upper === 'DOCKER_CONFIG') return /^\/*(config\.json)?$/.test(rest) ? DOCKER : undefined;
  if (rest.replace(/^\/+$/, '') !== '') return undefined;
  const known = CREDENTIAL_PATH_VARIABLES[upper];
  if (known) return known;
  const file = /^(.+)_FILE$/.exec(upper)?.[1];
  return file !== undefined && secretName(file)
    ? { what: `the secret ${name} names (read by the program from that file)` }
    : undefined;
}
