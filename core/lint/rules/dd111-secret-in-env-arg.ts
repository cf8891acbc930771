import { flagValue, unwrap } from '../../dockerfile/command-args.js';
import type { Command, Instruction } from '../../dockerfile/model.js';
import { expandText } from '../build-variables.js';
import { commandInput, fileWrites } from '../file-writes.js';
import { defineRule, type RuleContext, type RuleFinding, type RunCommand } from '../rule.js';
import {
  credentialFile,
  looksRandom,
  notASecret,
  PLACEHOLDER,
  secretName,
  secretShape,
  URL_PASSWORD,
  urlWithPassword,
  valueSecretReason,
} from '../secrets.js';

function where(keyword: string): string {
  if (keyword === 'ENV') {
    return 'ENV values are stored in the image config, readable by anyone who can pull the image (docker inspect)';
  }
  if (keyword === 'ARG') {
    return 'an ARG default is recorded in the image history of every RUN that uses it (docker history)';
  }
  if (keyword === 'LABEL')
    return 'labels are stored in the image config, readable by anyone who can pull the image';
  return `${keyword} lines are kept in the image config or history, readable by anyone who can pull the image`;
}

const ADVICE = 'pass it at run time or through a build secret (RUN --mount=type=secret) instead';

// A literal the shell would pass as is: no expansion left, not a placeholder or a switch.
function literalSecret(value: string | undefined): value is string {
  return value !== undefined && !/[$`]/.test(value) && !value.startsWith('-') && !notASecret(value);
}

// A value that lives only while the build runs (a RUN's assignment or option) counts when it reads like a real
// credential: build-only stand-ins (`SECRET_KEY=collectstatic-only`, `-proot` against a throwaway server) do not.
function credentialLike(value: string | undefined): value is string {
  if (!literalSecret(value)) return false;
  return (
    looksRandom(value) ||
    (value.length >= 8 && /\d/.test(value) && /[A-Za-z]/.test(value) && !/\s/.test(value))
  );
}

// Headers that carry a credential; the scheme word (Bearer, Basic, token) is not the secret.
const AUTH_HEADER =
  /^(?:--header=)?\s*(?:proxy-)?(?:authorization|x-api-key|api-key|apikey|x-auth-token|x-access-token|private-token|job-token|x-vault-token)\s*:\s*(?:(?:bearer|basic|token|digest|apikey|api-key|key)\s+)?(\S.*)$/i;
// Long options whose value is a secret, on any command (`docker login --password`, `kubeadm join --token`).
const SECRET_FLAGS = [
  'password',
  'passwd',
  'pass',
  'token',
  'api-key',
  'apikey',
  'secret',
  'client-secret',
  'access-token',
  'auth-token',
  'secret-key',
  'http-password',
  'ftp-password',
  'proxy-password',
];
const LOGIN_TOOLS = new Set([
  'docker',
  'podman',
  'buildah',
  'skopeo',
  'helm',
  'oras',
  'nerdctl',
  'crane',
  'regctl',
]);
const MYSQL_TOOLS = new Set(['mysql', 'mysqladmin', 'mysqldump', 'mariadb', 'mariadb-admin', 'mariadb-dump']);
// `npm config set //registry/:_authToken x`, `git config http.extraHeader "…"`, `poetry config pypi-token.pypi x`.
const CONFIG_TOOLS = new Set([
  'npm',
  'pnpm',
  'yarn',
  'git',
  'poetry',
  'composer',
  'aws',
  'pip',
  'pip3',
  'bundle',
  'gem',
]);
const SECRET_CONFIG_KEY =
  /(?:^|[:./])(?:_authtoken|_auth|_password|npmauthtoken|npmauthident|password|token|aws_secret_access_key|aws_session_token|extraheader)$|^(?:http-basic|github-oauth|gitlab-token|gitlab-oauth|bearer|pypi-token)\./i;

// Why a command line of a RUN (as the shell would run it) carries a secret, or undefined.
function commandSecret(cmd: Command): string | undefined {
  const { name, args } = unwrap(cmd);
  for (const a of cmd.assigns) {
    const [n = '', v = ''] = a.split(/=(.*)/s);
    if (secretName(n) && credentialLike(unquoteAll(v))) return `sets ${n} to a literal value`;
  }
  if (['export', 'declare', 'typeset', 'readonly', 'local', 'env'].includes(name)) {
    for (const a of args) {
      const m = /^([A-Za-z_]\w*)=(.*)$/s.exec(a);
      if (m && secretName(m[1] ?? '') && credentialLike(m[2])) return `sets ${m[1]} to a literal value`;
    }
  }
  for (const a of args) {
    if (urlWithPassword(a)) return 'passes a URL with a password in it';
    const header = AUTH_HEADER.exec(a)?.[1]?.trim();
    if (header !== undefined && header.length >= 8 && literalSecret(header)) {
      return 'sends a credential in a request header';
    }
  }
  if (name === 'curl') {
    const user = flagValue({ args }, 'u', 'user', 'U', 'proxy-user');
    const password = user?.split(/:(.*)/s)[1];
    // A password sent to a server over the network is a real one, whatever it reads like.
    if (literalSecret(password)) return `gives curl a user and password (${password.length} characters)`;
  }
  if (name === 'wget') {
    const password = flagValue({ args }, 'password', 'http-password', 'ftp-password', 'proxy-password');
    if (literalSecret(password)) return `gives wget a password (${password.length} characters)`;
  }
  const flagged = flagValue({ args }, ...SECRET_FLAGS);
  // `--secret id=npm,src=/x` (BuildKit) and `--password env:X`/`file:/x`/`@file` name where the secret is.
  if (credentialLike(flagged) && !PLACEHOLDER.test(flagged) && !/^(\w+=|(env|file|fd):|@)/.test(flagged))
    return `passes ${name} a secret option with a literal value`;
  if (
    (LOGIN_TOOLS.has(name) && args.includes('login')) ||
    name === 'sshpass' ||
    (name === 'redis-cli' && args.includes('-a'))
  ) {
    const p = flagValue({ args }, name === 'redis-cli' ? 'a' : 'p');
    if (literalSecret(p)) return `passes ${name} a password on the command line`;
  }
  if (MYSQL_TOOLS.has(name)) {
    const p = args.find((a) => /^-p./.test(a))?.slice(2);
    if (credentialLike(p)) return `passes ${name} a password on the command line`;
  }
  if (CONFIG_TOOLS.has(name)) return configSecret(name, args);
  return undefined;
}

// `echo pw | docker login --password-stdin`: the password is on the command line of the RUN all the same.
function stdinLogin(ctx: RuleContext, run: RunCommand): string | undefined {
  const { name, args } = unwrap(run.command);
  if (!LOGIN_TOOLS.has(name) || !args.includes('login') || !args.includes('--password-stdin'))
    return undefined;
  const input = commandInput(ctx, run)?.trim();
  return input !== undefined && !input.includes('\n') && literalSecret(input) && input.length >= 4
    ? `pipes a literal password into ${name} login --password-stdin`
    : undefined;
}

function unquoteAll(v: string): string {
  return /^(["']).*\1$/s.test(v) ? v.slice(1, -1) : v;
}

// `<tool> config set KEY VALUE` (or `KEY=VALUE`) where the key is a credential setting.
function configSecret(name: string, args: readonly string[]): string | undefined {
  const plain = args.filter((a) => !a.startsWith('-'));
  for (let i = 0; i < plain.length; i++) {
    const word = plain[i] ?? '';
    const [key = '', inline] = word.includes('=') && !word.includes('://') ? word.split(/=(.*)/s) : [word];
    if (!SECRET_CONFIG_KEY.test(key)) continue;
    // http-basic takes a user and a password: the password is the last of the two.
    const value = inline ?? (/^http-basic\./i.test(key) ? plain[i + 2] : plain[i + 1]);
    const header = value === undefined ? undefined : (AUTH_HEADER.exec(value)?.[1] ?? value);
    if (credentialLike(header?.trim())) return `stores a credential setting (${key}) with ${name} config`;
  }
  return undefined;
}

// An assignment in a script (`export TOKEN=…`, `TOKEN=… cmd`, a bare `TOKEN=…`), found in the RUN's text so
// that bare assignments, which run no command, count too.
const ASSIGNMENT =
  /(?:^|[\s;&|(`"'])(?:(?:export|readonly|local|typeset|declare)\s+(?:-[a-zA-Z]+\s+)*)?([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\\n]|\\.)*"|'[^'\n]*'|[^\s;&|)'"`]*)/g;
const NAME_HINT = /pass|pwd|psw|secret|token|key|auth|cred|salt|pat\b|psk/i;

function scriptAssignment(text: string): string | undefined {
  if (!text.includes('=') || !NAME_HINT.test(text)) return undefined;
  for (const m of text.matchAll(ASSIGNMENT)) {
    const name = m[1] ?? '';
    const value = unquoteAll(m[2] ?? '');
    if (!secretName(name) || !credentialLike(value)) continue;
    return `sets ${name} to a literal value (${value.length} characters)`;
  }
  return undefined;
}

// A file named for a secret (`/run/secrets/db_password`, `~/.vault-token`) written with literal text.
function writtenSecrets(ctx: RuleContext, seen: Set<number>): RuleFinding[] {
  return fileWrites(ctx).flatMap((w) => {
    // Credential files by their kind (.netrc, sasl_passwd, .aws/credentials) are DD112's to report.
    if (w.mode === 'edit' || seen.has(w.instruction.index) || credentialFile(w.path)) return [];
    const base = (w.path.split('/').at(-1) ?? '').replace(/\.(txt|key|secret)$/, '').replace(/^\./, '');
    const text = w.content.trim();
    if (!secretName(base) || text.includes('\n') || !literalSecret(text) || text.length < 4) return [];
    return [
      ctx.finding(
        w.loc,
        `${w.instruction.keyword} writes a literal secret (${text.length} characters) into ${w.path}: it stays in an image layer, and the command line in the image history; ${ADVICE}`,
      ),
    ];
  });
}

function propertyFindings(ctx: RuleContext): RuleFinding[] {
  return ctx.of('ENV', 'ARG', 'LABEL').flatMap((inst) =>
    inst.properties.flatMap((prop) => {
      if (prop.value === null) return [];
      let why = valueSecretReason(prop.name, prop.value);
      // The builder joins ENV/ARG values (`ENV T=${A}rest`): the image config holds the whole, so judge that too.
      if (!why && prop.value.includes('$')) {
        const whole = expandText(ctx.model, inst, prop.value);
        if (whole !== undefined && whole !== prop.value) why = valueSecretReason(prop.name, whole);
      }
      if (!why) return [];
      return [
        ctx.finding(prop.loc, `${inst.keyword} ${prop.name} ${why}: ${where(inst.keyword)}; ${ADVICE}`),
      ];
    }),
  );
}

// Instructions whose text is judged by the shape of what it holds (RUN, CMD, ADD URLs, COPY heredocs, …).
function textFindings(ctx: RuleContext, seen: Set<number>): RuleFinding[] {
  const out: RuleFinding[] = [];
  for (const inst of ctx.instructions) {
    if (inst.keyword === 'ENV' || inst.keyword === 'ARG' || inst.keyword === 'LABEL') continue;
    // A command of this instruction already said what it holds, more precisely.
    if (seen.has(inst.index)) continue;
    const text = inst.argsText;
    const shape = secretShape(text);
    const why =
      (shape && `holds ${shape}`) ??
      (URL_PASSWORD.test(text) && urlWithPassword(text) ? 'holds a URL with a password in it' : undefined) ??
      (inst.keyword === 'RUN' && !ctx.nonPosixShell(inst) ? scriptAssignment(text) : undefined);
    if (why) report(ctx, out, seen, inst, inst, why);
  }
  return out;
}

function report(
  ctx: RuleContext,
  out: RuleFinding[],
  seen: Set<number>,
  inst: Instruction,
  at: Instruction | Command,
  why: string,
): void {
  // One finding per instruction: the secret is the same whichever of its commands shows it.
  if (seen.has(inst.index)) return;
  seen.add(inst.index);
  out.push(ctx.finding(at, `${inst.keyword} ${why}: ${where(inst.keyword)}; ${ADVICE}`));
}

export const secretInEnvArg = defineRule({
  id: 'DD111',
  level: 'error',
  title: 'Secret written into the Dockerfile (ENV, ARG, LABEL or RUN)',
  rationale:
    'ENV and LABEL values live in the image config, ARG values and RUN command lines in its history, so whoever can pull the image can read them, and removing them later does not take them out of older layers; a default password is as bad as a real one. Values are judged by shape (provider tokens, private keys, chat webhooks, URLs with a password, JWTs) and by name with a literal value, in ENV/ARG/LABEL, in RUN scripts as the shell runs them (assignments, `curl -u`, `Authorization:` headers, `--password`, `npm config set …:_authToken`) and in files a RUN names for a secret. Paths (`*_FILE=/run/secrets/x`, `GOOGLE_APPLICATION_CREDENTIALS=./key.json`), placeholders and `${VAR}` references are not secrets; an ARG without a default is not reported (DL3064 warns on its name).',
  check: (ctx) => {
    const seen = new Set<number>();
    const out: RuleFinding[] = propertyFindings(ctx);
    for (const { command, instruction } of [...ctx.resolved(), ...ctx.startCommands()]) {
      const why = commandSecret(command) ?? stdinLogin(ctx, { command, instruction });
      if (why) report(ctx, out, seen, instruction, command, why);
    }
    out.push(...textFindings(ctx, seen), ...writtenSecrets(ctx, seen));
    return out.sort((a, b) => a.line - b.line || a.column - b.column);
  },
});
