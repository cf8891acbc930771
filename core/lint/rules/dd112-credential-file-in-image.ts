import { isCommand, operands, transferArgs } from '../../dockerfile/command-args.js';
import type { Instruction } from '../../dockerfile/model.js';
import { type FileTarget, type FileWrite, fileTargets, fileWrites } from '../file-writes.js';
import { defineRule, type RuleContext, type RuleFinding } from '../rule.js';
import { ephemeralMountTargets } from '../run-mounts.js';
import { shippedStages } from '../stage-lineage.js';

// Files that hold a credential by their nature; matched against the source path, lower-cased.
const CREDENTIAL_FILES: readonly (readonly [RegExp, string])[] = [
  [/(^|\/)id_(rsa|dsa|ecdsa|ed25519)(_sk)?$/, 'an SSH private key'],
  [/(^|\/)ssh_host_[a-z0-9]+_key$/, 'an SSH host private key'],
  [/\.(p12|pfx|jks|keystore)$/, 'a key store with private keys'],
  [/(^|\/)\.netrc$/, 'a .netrc with login passwords'],
  [/(^|\/)\.pypirc$/, 'a .pypirc with package index credentials'],
  [/(^|\/)\.git-credentials$/, 'stored git credentials'],
  [/(^|\/)\.pgpass$/, 'a .pgpass with database passwords'],
  [/(^|\/)\.aws\/credentials$/, 'AWS credentials'],
  [/(^|\/)\.docker\/config\.json$/, 'Docker registry credentials'],
  [/(^|\/)(kubeconfig|[^/]*\.kubeconfig|\.kube\/config)$/, 'a kubeconfig with cluster credentials'],
  [
    /(^|\/)(service[-_]?account|client[-_]secret)[^/]*\.json$/,
    'a cloud service account or OAuth client secret',
  ],
  [/(^|\/)sasl_passwd$/, 'a Postfix SASL password map'],
  [/(^|\/)\.(ssh|aws|gnupg|kube|docker)\/?$/, 'a whole credentials directory'],
];
// Files that often hold only settings; reported when they reach the shipped image.
const MAYBE_CREDENTIAL_FILES: readonly (readonly [RegExp, string])[] = [
  [/(^|\/)\.npmrc$/, 'an .npmrc, where registry tokens live'],
  [
    /(^|\/)\.env(\.(?!example$|sample$|template$|dist$|defaults?$)[^/]+)?$/,
    'a .env file, where application secrets live',
  ],
];

const CERT_WORDS =
  /(^|[/._-])(ca|cacerts?|certs?|certificates?|chain|fullchain|bundle|crt|pub|public|root|intermediate|trust|truststore|dhparams?)([/._-]|$)/;
const KEY_WORDS = /(^|[/._-])(keys?|privkey|private|priv|secrets?)([/._-]|$)/;
// Repository signing keys are public, and so are keys copied to where package managers read them.
const SIGNING_KEY = /signing|gpg|pgp|release|repo|archive|keyring|pub|public/;
const KEYRING_DIRS = /^\/(etc\/apt|usr\/share\/keyrings|etc\/pki\/rpm-gpg|etc\/apk\/keys)(\/|$)/;

function credentialKind(source: string, dest: string): string | undefined {
  const path = source.toLowerCase();
  for (const [re, what] of CREDENTIAL_FILES) if (re.test(path)) return what;
  if (path.endsWith('.pem') && (KEY_WORDS.test(path) || !CERT_WORDS.test(path))) {
    return 'a .pem file not named as a certificate, so likely a private key';
  }
  if (path.endsWith('.key') && !SIGNING_KEY.test(path) && !KEYRING_DIRS.test(dest)) return 'a private key';
  return undefined;
}

function maybeCredentialKind(source: string): string | undefined {
  const path = source.toLowerCase();
  return MAYBE_CREDENTIAL_FILES.find(([re]) => re.test(path))?.[1];
}

// Credential files a RUN writes, with what their text holds when it carries a credential.
const WRITTEN_CREDENTIALS: readonly (readonly [RegExp, RegExp, string])[] = [
  [/(^|\/)sasl_passwd$/, /^\s*\S+\s+[^\s:]+:\S+/m, 'a Postfix SASL password map'],
  [/(^|\/)\.netrc$/, /\bpassword\s+\S/, 'a .netrc with login passwords'],
  [/(^|\/)\.git-credentials$/, /:\/\/[^\s:/]+:[^\s@/]+@/, 'stored git credentials'],
  [/(^|\/)\.pypirc$/, /^\s*password\s*[:=]\s*\S/m, 'a .pypirc with package index credentials'],
  [/(^|\/)\.pgpass$/, /^([^:\n]*:){4}.+/m, 'a .pgpass with database passwords'],
  [/(^|\/)\.aws\/credentials$/, /aws_secret_access_key\s*=\s*\S/i, 'AWS credentials'],
  [/(^|\/)\.docker\/config\.json$/, /"auth"\s*:\s*"[^"]+"/, 'Docker registry credentials'],
  [/(^|\/)\.npmrc$/, /(_authToken|_auth|_password)\s*=\s*\S/, 'an npm registry token'],
];

// A RUN that writes a credential file and deletes it again leaves nothing in its layer, and
// neither does one that writes it into a cache or tmpfs mount.
function removedInSameRun(ctx: RuleContext, w: Pick<FileWrite, 'path' | 'instruction' | 'command'>): boolean {
  const name = w.path.split('/').at(-1) ?? w.path;
  const mounted = ephemeralMountTargets(w.instruction).some(
    (m) => w.path === m || w.path.startsWith(`${m.replace(/\/$/, '')}/`),
  );
  return (
    mounted ||
    ctx
      .commands()
      .some(
        (r) =>
          r.instruction === w.instruction &&
          (w.command === undefined || r.command.start > w.command.start) &&
          isCommand(r.command, 'rm', 'shred') &&
          operands(r.command).some((p) => p === w.path || p.endsWith(`/${name}`) || p === name),
      )
  );
}

// The names ssh and sshd give private keys: a file by that name is the key, whatever it came from.
const PRIVATE_KEY_FILE = /(^|\/)(id_(rsa|dsa|ecdsa|ed25519)(_sk)?|ssh_host_[a-z0-9]+_key)$/;
const PEM_PRIVATE_KEY = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/;
const isPrivateKeyFile = (path: string): boolean => PRIVATE_KEY_FILE.test(path.toLowerCase());

const HOW: Readonly<Record<string, string>> = {
  redirect: 'written',
  tee: 'written',
  cp: 'copied',
  mv: 'moved',
  install: 'installed',
  'copy-heredoc': 'written',
};

/**
 * Private keys a RUN or a COPY heredoc puts into a layer: text holding a PEM private key, wherever
 * it goes, and anything but known harmless text (empty, no key) put at a private key's name,
 * since a value from a build argument or a copied file is the key itself.
 */
function writtenPrivateKeys(ctx: RuleContext): RuleFinding[] {
  const writes = fileWrites(ctx);
  const hits = new Map<string, RuleFinding>();
  const report = (w: Pick<FileWrite, 'path' | 'loc' | 'instruction' | 'command'>, via: string) => {
    if (removedInSameRun(ctx, w)) return;
    const f = ctx.finding(
      w.loc,
      `${w.path} is ${HOW[via] ?? 'written'} with a private key in it, so the key stays in an image layer for anyone who can pull the image; use RUN --mount=type=ssh (or type=secret) during the build instead`,
    );
    hits.set(`${f.line}:${f.column}:${w.path}`, f);
  };
  for (const w of writes) {
    const pem = PEM_PRIVATE_KEY.test(w.content);
    const computed = /[$`]/.test(w.content);
    if (pem || (isPrivateKeyFile(w.path) && computed && w.mode !== 'edit')) report(w, w.via);
  }
  for (const t of fileTargets(ctx)) {
    if (!isPrivateKeyFile(t.path)) continue;
    // Text the Dockerfile shows and that holds no key (`: > id_rsa`, `echo '' > id_rsa`) is not one.
    const known = writes.filter((w) => w.command === t.command && w.path === t.path);
    if (known.length > 0 || (t.via === 'redirect' && writesNothing(t.command))) continue;
    report(t, t.via);
  }
  return [...hits.values()];
}

// A redirect of a command that prints nothing (`: > f`, `true > f`, `> f`).
function writesNothing(command: FileTarget['command']): boolean {
  return command.name === '' || command.name === ':' || command.name === 'true';
}

function writtenCredentials(ctx: RuleContext): RuleFinding[] {
  return fileWrites(ctx).flatMap((w) => {
    const hit = WRITTEN_CREDENTIALS.find(
      ([path, content]) => path.test(w.path.toLowerCase()) && content.test(w.content),
    );
    if (!hit || removedInSameRun(ctx, w)) return [];
    return [
      ctx.finding(
        w.loc,
        `${w.path} is written with ${hit[2]} in it, so the credential stays in an image layer for anyone who can pull the image; use RUN --mount=type=secret to provide it during the build instead`,
      ),
    ];
  });
}

function fromContext(inst: Instruction): boolean {
  return !inst.flags.some((f) => f.name.toLowerCase() === 'from');
}

export const credentialFileInImage = defineRule({
  id: 'DD112',
  level: 'error',
  title: 'Private key or credential file copied or written into the image',
  rationale:
    'A file COPY or ADD brings in from the build context becomes a layer: anyone who can pull the image can extract it, and deleting it in a later instruction leaves it in the earlier layer. Keys and credential files belong in the build only as `RUN --mount=type=secret` or `--mount=type=ssh`, and at run time as mounted secrets. Files that often hold only settings (.npmrc, .env) are reported only when they reach the shipped image; a credential file a RUN writes is reported when its text holds a credential and the same RUN does not delete it.',
  check: (ctx) => {
    const shipped = shippedStages(ctx.stages);
    const copied = ctx.of('COPY', 'ADD').flatMap((inst) => {
      const args = fromContext(inst) ? transferArgs(inst) : undefined;
      if (!args) return [];
      const sources = args.sources.filter(
        (s) => !s.startsWith('<<') && !/^[a-z][a-z0-9+.-]*:\/\/|^git@/i.test(s),
      );
      // One source into a destination not spelled as a directory lands under the destination's name.
      const renamed = args.sources.length === 1 && !args.dest.endsWith('/') ? args.dest : undefined;
      return sources.flatMap((source) => {
        const sure = credentialKind(source, args.dest);
        const maybe = sure ? undefined : shipped.has(inst.stage) ? maybeCredentialKind(source) : undefined;
        const what = sure ?? maybe;
        if (what) {
          return [
            ctx.finding(
              inst,
              `${inst.keyword} ${source} puts ${what} into an image layer, readable by anyone who can pull the image even if deleted later; use RUN --mount=type=secret (or type=ssh) at build time and a mounted secret at run time`,
            ),
          ];
        }
        if (renamed === undefined || !isPrivateKeyFile(renamed)) return [];
        return [
          ctx.finding(
            inst,
            `${inst.keyword} ${source} puts a file at ${renamed}, where ssh reads a private key, into an image layer readable by anyone who can pull the image even if deleted later; use RUN --mount=type=ssh at build time and a mounted secret at run time`,
          ),
        ];
      });
    });
    return [...copied, ...writtenCredentials(ctx), ...writtenPrivateKeys(ctx)].sort(
      (a, b) => a.line - b.line || a.column - b.column,
    );
  },
});
