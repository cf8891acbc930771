import { isCommand, operands, transferArgs } from '../../dockerfile/command-args.js';
import type { Instruction } from '../../dockerfile/model.js';
import { type FileTarget, type FileWrite, fileTargets, fileWrites } from '../file-writes.js';
import { type CopiedFile, defineRule, type RuleContext, type RuleFinding } from '../rule.js';
import { ephemeralMountTargets } from '../run-mounts.js';
import {
  type CredentialKind,
  credentialFile,
  credentialVariable,
  PRIVATE_KEY_BLOCK,
  PRIVATE_KEY_FILE,
  publicMaterialName,
  publicMaterialText,
  valueSecretReason,
} from '../secrets.js';
import { shippedStages } from '../stage-lineage.js';

// Repository signing keys are public, and so are keys copied to where package managers read them.
const SIGNING_KEY = /signing|gpg|pgp|release|repo|archive|keyring|pub|public/;
const KEYRING_DIRS = /^\/(etc\/apt|usr\/share\/keyrings|etc\/pki\/rpm-gpg|etc\/apk\/keys)(\/|$)/;
// A .pem or .key judged by its name; its text, when known, decides.
const PEM_KEY: CredentialKind = {
  what: 'a .pem file not named as a certificate, so likely a private key',
  content: PRIVATE_KEY_BLOCK,
};
const KEY: CredentialKind = { what: 'a private key', content: PRIVATE_KEY_BLOCK };

function keyByName(source: string, dest: string | undefined): CredentialKind | undefined {
  const path = source.toLowerCase();
  if (publicMaterialName(path)) return undefined;
  if (path.endsWith('.pem')) return PEM_KEY;
  if (path.endsWith('.key') && !SIGNING_KEY.test(path) && !KEYRING_DIRS.test(dest ?? '')) return KEY;
  return undefined;
}

// A whole PEM private key (header, body, footer): in a file whose name says nothing, only a real block counts,
// not a source file or test that mentions the header.
const WHOLE_PRIVATE_KEY =
  /-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY-----\r?\n(?:[\w-]+:.*\r?\n)*(?:\r?\n)?(?:[A-Za-z0-9+/=]{16,}\r?\n)+[A-Za-z0-9+/=]*\r?\n?-----END \1PRIVATE KEY-----/;
const CONTENT_HINT = /PRIVATE KEY|service_account|aws_secret_access_key|client-key-data|"auths"/;

// What a file's text shows it to be, whatever it is called.
function credentialByContent(text: string): CredentialKind | undefined {
  if (!CONTENT_HINT.test(text)) return undefined;
  if (WHOLE_PRIVATE_KEY.test(text)) return { what: 'a private key' };
  if (/"type"\s*:\s*"service_account"/.test(text) && /"private_key"\s*:\s*"-----BEGIN/.test(text)) {
    return { what: 'a cloud service account key' };
  }
  if (/^\s*aws_secret_access_key\s*=\s*[A-Za-z0-9/+]{20,}/m.test(text)) return { what: 'AWS credentials' };
  if (/^kind:\s*Config\b/m.test(text) && /^\s*(client-key-data|token)\s*:\s*\S{16,}/m.test(text)) {
    return { what: 'a kubeconfig with cluster credentials' };
  }
  if (/"auths"\s*:/.test(text) && /"(auth|identitytoken)"\s*:\s*"[^"$]{8,}"/.test(text)) {
    return { what: 'Docker registry credentials' };
  }
  return undefined;
}

// The path every credential-path variable (`GOOGLE_APPLICATION_CREDENTIALS=/secrets/sa.json`) is set to.
function credentialPathValues(ctx: RuleContext): Map<string, CredentialKind> {
  const out = new Map<string, CredentialKind>();
  for (const inst of ctx.of('ENV', 'ARG')) {
    for (const p of inst.properties) {
      const kind = credentialVariable(p.name);
      const value = p.value?.replace(/^["']|["']$/g, '');
      if (kind && value?.startsWith('/') && !value.includes('$')) out.set(normalise(value), kind);
    }
  }
  return out;
}

function normalise(path: string): string {
  return path.replace(/\/+/g, '/').replace(/(.)\/$/, '$1');
}

// The destination as written, when it starts with a variable: `$AWS_CONFIG_FILE`, `${DOCKER_CONFIG}/config.json`.
function variableDestination(inst: Instruction): CredentialKind | undefined {
  const dest = transferArgs(inst)?.dest ?? '';
  const m = /^\$(?:\{([A-Za-z_]\w*)\}|([A-Za-z_]\w*))(.*)$/.exec(dest);
  return m ? credentialVariable(m[1] ?? m[2] ?? '', m[3] ?? '') : undefined;
}

// Where a file lands as the Dockerfile spells it, when only the build knows the value (`${HOME}/.aws/credentials`).
function writtenDestination(file: CopiedFile): string {
  const args = transferArgs(file.instruction);
  if (!args) return '';
  const name = file.source.split('/').at(-1) ?? file.source;
  return args.dest.endsWith('/') || args.sources.length > 1
    ? `${args.dest}${args.dest.endsWith('/') ? '' : '/'}${name}`
    : args.dest;
}

interface Judged {
  readonly kind: CredentialKind;
  readonly sure: boolean;
}

function judge(
  file: CopiedFile,
  byVariable: CredentialKind | undefined,
  pathValues: Map<string, CredentialKind>,
): Judged | undefined {
  const dest = file.destination;
  const named =
    byVariable ??
    (dest === undefined
      ? credentialFile(writtenDestination(file))
      : (pathValues.get(normalise(dest)) ?? credentialFile(dest))) ??
    credentialFile(file.source) ??
    keyByName(file.source, dest);
  const text = file.content;
  if (text === undefined) return named && { kind: named, sure: !named.maybe };
  // The text is known: it decides. A private key is one whatever its name; public material never is.
  if (PRIVATE_KEY_BLOCK.test(text) && (named || WHOLE_PRIVATE_KEY.test(text))) {
    return {
      kind: named?.content === PRIVATE_KEY_BLOCK || !named ? { what: 'a private key' } : named,
      sure: true,
    };
  }
  // Most copied files (`COPY . /app`) have no credential name: only a cheap look at their text.
  if (!named) {
    const shown = credentialByContent(text);
    return shown && { kind: shown, sure: true };
  }
  if (publicMaterialText(text)) return undefined;
  // `${NPM_TOKEN}` in a copied .npmrc is the tool's own reference to its environment, not a token.
  const literalText = text.includes('$') ? text.replace(/\$\{[^}\n]*\}|\$[A-Za-z_]\w*/g, '') : text;
  if (named.content) return named.content.test(literalText) ? { kind: named, sure: true } : undefined;
  if (named.settings) return settingsSecret(text) ? { kind: named, sure: true } : undefined;
  return { kind: named, sure: !named.maybe };
}

// A .env file holds a secret when one of its `NAME=value` lines would be one as an ENV.
function settingsSecret(text: string): boolean {
  for (const line of text.split('\n')) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][\w.-]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (m && valueSecretReason(m[1] ?? '', (m[2] ?? '').replace(/^(["'])(.*)\1$/, '$2'))) return true;
  }
  return false;
}

function copiedCredentials(ctx: RuleContext): RuleFinding[] {
  const shipped = shippedStages(ctx.stages);
  const pathValues = credentialPathValues(ctx);
  const out: RuleFinding[] = [];
  const seen = new Set<string>();
  const byVariable = new Map<Instruction, CredentialKind | undefined>();
  const files: CopiedFile[] = [...ctx.copiedFiles(), ...onbuildCopies(ctx)];
  for (const file of files) {
    const inst = file.instruction;
    if (file.source.startsWith('<<')) continue;
    if (!byVariable.has(inst)) byVariable.set(inst, variableDestination(inst));
    const judged = judge(file, byVariable.get(inst), pathValues);
    // Files that often hold only settings count, without their text, only when they reach the shipped image.
    if (!judged || (!judged.sure && !shipped.has(inst.stage))) continue;
    const key = `${inst.index}:${file.source}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const at = file.destination && file.destination !== `/${file.source}` ? ` at ${file.destination}` : '';
    out.push(
      ctx.finding(
        inst,
        `${inst.keyword} ${file.source} puts ${judged.kind.what} into an image layer${at}, readable by anyone who can pull the image even if deleted later; use RUN --mount=type=secret (or type=ssh) at build time and a mounted secret at run time`,
      ),
    );
  }
  return out;
}

// ONBUILD COPY runs in the images built FROM this one; copiedFiles leaves it out, so judge its names here.
function onbuildCopies(ctx: RuleContext): CopiedFile[] {
  return ctx.of('COPY', 'ADD').flatMap((inst) => {
    if (!inst.onbuild || inst.flags.some((f) => f.name.toLowerCase() === 'from')) return [];
    const args = transferArgs(inst);
    if (!args) return [];
    const single = args.sources.length === 1 && !args.dest.endsWith('/');
    return args.sources
      .filter((s) => !/^[a-z][a-z0-9+.-]*:\/\/|^git@/i.test(s))
      .map((source) => ({
        instruction: inst,
        source,
        destination: args.dest.startsWith('/')
          ? single
            ? args.dest
            : `${args.dest.replace(/\/+$/, '')}/${source.split('/').at(-1) ?? source}`
          : undefined,
      }));
  });
}

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
    const pem = PRIVATE_KEY_BLOCK.test(w.content);
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

// Credential files a RUN (or a COPY heredoc) writes, when their text holds a credential.
function writtenCredentials(ctx: RuleContext): RuleFinding[] {
  return fileWrites(ctx).flatMap((w) => {
    const kind = credentialFile(w.path);
    if (!kind?.content?.test(w.content) || kind.content === PRIVATE_KEY_BLOCK || removedInSameRun(ctx, w))
      return [];
    const what = kind.what.replace(/, where .*$/, ' with a credential');
    return [
      ctx.finding(
        w.loc,
        `${w.path} is written with ${what} in it, so the credential stays in an image layer for anyone who can pull the image; use RUN --mount=type=secret to provide it during the build instead`,
      ),
    ];
  });
}

export const credentialFileInImage = defineRule({
  id: 'DD112',
  level: 'error',
  title: 'Private key or credential file copied or written into the image',
  rationale:
    'A file COPY or ADD brings in from the build context becomes a layer: anyone who can pull the image can extract it, and deleting it in a later instruction leaves it in the earlier layer. Credential files are recognised by source name, by where they land (`~/.aws/credentials`, `~/.docker/config.json`, `~/.ssh/id_*`, `.netrc`, a path named by `$GOOGLE_APPLICATION_CREDENTIALS`, `$KUBECONFIG` or a `*_PASSWORD_FILE` variable) and, when the gate has the file, by its text: a private key is one whatever its name, certificates, public keys and DH parameters never are. Files that often hold only settings (.npmrc, .env) count only in the shipped image unless their text shows a token; a credential file a RUN writes counts when its text holds a credential and the same RUN does not delete it. Use `RUN --mount=type=secret` (or `type=ssh`) and mounted secrets at run time.',
  check: (ctx) =>
    [...copiedCredentials(ctx), ...writtenCredentials(ctx), ...writtenPrivateKeys(ctx)].sort(
      (a, b) => a.line - b.line || a.column - b.column,
    ),
});
