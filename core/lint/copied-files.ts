import picomatch from 'picomatch';
import type { DockerfileModel, Instruction } from '../dockerfile/model.js';
import { expandText } from './build-variables.js';
import type { CopiedFile } from './rule.js';

/** Build-context files the gate read for the linter: context-relative path (`etc/sshd_config`) → UTF-8 text. */
export type ContextFiles = ReadonlyMap<string, string>;

const URL_SOURCE = /^(https?|git|ssh):\/\/|^git@/i;

/** A source as a context path: leading `./` and `/` removed (Docker reads absolute sources from the context). */
export function contextPath(source: string): string {
  const parts: string[] = [];
  for (const part of source.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return parts.join('/');
}

function sourcesAndDest(inst: Instruction): { sources: string[]; dest: string } | undefined {
  const args = inst.json ?? inst.args;
  if (inst.heredocs.length > 0 || args.length < 2) return undefined;
  return { sources: args.slice(0, -1), dest: args.at(-1) ?? '' };
}

/** The WORKDIR in effect at each instruction of a stage (undefined when the base image decides it). */
function workdirs(model: DockerfileModel): Map<number, string | undefined> {
  const out = new Map<number, string | undefined>();
  for (const stage of model.stages) {
    let dir: string | undefined;
    for (const inst of stage.instructions) {
      out.set(inst.index, dir);
      if (inst.keyword !== 'WORKDIR' || inst.onbuild) continue;
      const written = expandText(model, inst, inst.argsText.trim());
      if (written === undefined) dir = undefined;
      else if (written.startsWith('/')) dir = written;
      else dir = dir === undefined ? undefined : `${dir.replace(/\/$/, '')}/${written}`;
    }
  }
  return out;
}

function absolute(dest: string, workdir: string | undefined): string | undefined {
  if (dest.startsWith('/')) return normalize(dest);
  // Docker resolves a relative destination against WORKDIR, `/` when none is set in the image.
  if (workdir === undefined) return undefined;
  return normalize(`${workdir.replace(/\/$/, '')}/${dest}`);
}

function join(dir: string, rest: string): string {
  return normalize(`${dir.replace(/\/+$/, '')}/${rest}`);
}

// `/app/./x`, `/a//b` and `/a/b/../c` name the same file as the image holds it; a trailing slash is kept.
function normalize(path: string): string {
  const slash = path.endsWith('/') ? '/' : '';
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}${parts.length > 0 ? slash : ''}`;
}

// Directories every base image, or the package that owns the file, has: `COPY x.repo /etc/yum.repos.d` (no
// trailing slash) puts x.repo inside an existing directory, so a one-file copy there is read as such.
const STOCK_DIRS = new Set([
  '/',
  '/bin',
  '/sbin',
  '/usr/bin',
  '/usr/sbin',
  '/usr/local/bin',
  '/usr/local/sbin',
  '/usr/local/etc',
  '/etc',
  '/etc/apt',
  '/etc/apt/apt.conf.d',
  '/etc/apt/sources.list.d',
  '/etc/apt/preferences.d',
  '/etc/apt/trusted.gpg.d',
  '/etc/apk',
  '/etc/yum.repos.d',
  '/etc/zypp/repos.d',
  '/etc/dnf',
  '/etc/pki/rpm-gpg',
  '/etc/ssh',
  '/etc/ssh/sshd_config.d',
  '/etc/sudoers.d',
  '/etc/doas.d',
  '/etc/profile.d',
  '/etc/pam.d',
  '/etc/security',
  '/etc/cron.d',
  '/etc/postfix',
  '/etc/exim4',
  '/etc/nginx',
  '/etc/nginx/conf.d',
  '/etc/ld.so.conf.d',
  '/etc/sysctl.d',
  '/etc/default',
  '/etc/pip',
  '/root',
  '/root/.ssh',
  '/root/.aws',
  '/root/.docker',
  '/home',
  '/tmp',
  '/opt',
  '/srv',
  '/var',
]);

/** Directories the image has when a COPY runs: stock ones, WORKDIRs and `mkdir` operands of earlier RUNs. */
function madeDirs(model: DockerfileModel, wd: Map<number, string | undefined>): Set<string> {
  const dirs = new Set(STOCK_DIRS);
  for (const inst of model.instructions) {
    const w = wd.get(inst.index);
    if (w !== undefined) dirs.add(normalize(w));
    for (const cmd of inst.shell?.commands ?? []) {
      if (cmd.name !== 'mkdir' && !cmd.name.endsWith('/mkdir')) continue;
      for (const a of cmd.args) if (a.startsWith('/')) dirs.add(normalize(a));
    }
  }
  return dirs;
}

/** Every file a COPY/ADD or COPY heredoc puts into the image, with its destination and (when known) its text. */
export function copiedFiles(model: DockerfileModel, files: ContextFiles | undefined): CopiedFile[] {
  const out: CopiedFile[] = [];
  const wd = workdirs(model);
  let dirs: Set<string> | undefined;
  const isDir = (path: string): boolean => {
    dirs ??= madeDirs(model, wd);
    return dirs.has(path);
  };
  const known = files ? [...files.keys()].sort() : [];
  for (const inst of model.instructions) {
    if (inst.keyword !== 'COPY' && inst.keyword !== 'ADD') continue;
    if (inst.onbuild) continue;
    if (inst.keyword === 'COPY' && inst.heredocs.length > 0) {
      out.push(...heredocCopies(model, inst, wd.get(inst.index), isDir));
      continue;
    }
    if (inst.flags.some((f) => f.name.toLowerCase() === 'from')) continue;
    const sd = sourcesAndDest(inst);
    if (!sd) continue;
    const expanded = expandText(model, inst, sd.dest);
    const dest = expanded === undefined ? undefined : absolute(expanded, wd.get(inst.index));
    const intoDir = sd.dest.endsWith('/') || sd.sources.length > 1 || (dest !== undefined && isDir(dest));
    for (const raw of sd.sources) {
      if (URL_SOURCE.test(raw)) continue;
      const path = contextPath(raw);
      const isMatch = /[*?[]/.test(path) ? picomatch(path, { dot: true }) : undefined;
      const matches = isMatch ? known.filter((k) => isMatch(k)) : [];
      const under = known.filter((k) => path === '' || k.startsWith(`${path}/`));
      if (matches.length > 0) {
        for (const m of matches)
          out.push(entry(inst, m, dest && join(dest, m.split('/').at(-1) ?? m), files));
      } else if (under.length > 0 && !files?.has(path)) {
        // A directory source copies its contents (not the directory itself) into the destination.
        for (const k of under) out.push(entry(inst, k, dest && join(dest, k.slice(path.length + 1)), files));
      } else {
        const name = path.split('/').at(-1) ?? path;
        out.push(entry(inst, path, dest && (intoDir ? join(dest, name) : dest), files));
      }
    }
  }
  return out;
}

function entry(
  instruction: Instruction,
  source: string,
  destination: string | undefined,
  files: ContextFiles | undefined,
): CopiedFile {
  const content = files?.get(source);
  return { instruction, source, destination, ...(content !== undefined ? { content } : {}) };
}

function heredocCopies(
  model: DockerfileModel,
  inst: Instruction,
  workdir: string | undefined,
  isDir: (path: string) => boolean,
): CopiedFile[] {
  // Only the instruction line names the destination; the heredoc bodies follow it.
  const words = (inst.argsText.split('\n')[0] ?? '').trim().split(/\s+/);
  const written = words.at(-1) ?? '';
  if (written.startsWith('<<')) return [];
  const expanded = expandText(model, inst, written);
  const dest = expanded === undefined ? undefined : absolute(expanded, workdir);
  const intoDir = written.endsWith('/') || inst.heredocs.length > 1 || (dest !== undefined && isDir(dest));
  return inst.heredocs.map((h) => {
    const strips = words.some(
      (w) => w.startsWith('<<-') && w.slice(3).replace(/^["']|["']$/g, '') === h.name,
    );
    return {
      instruction: inst,
      source: `<<${h.name}`,
      destination: dest && (intoDir ? join(dest, h.name) : dest),
      content: `${strips ? h.body.replace(/^\t+/gm, '') : h.body}\n`,
    };
  });
}

/** How much of a build context the gate reads to check copied files by content: bounded, whatever the push holds. */
export const CONTEXT_LIMITS = {
  /** Files read per definition. */
  maxFiles: 64,
  /** Largest file read; a bigger one is checked by name and destination only. */
  maxBytes: 64 * 1024,
} as const;

// Where a copied file changes how the image behaves (system and account configuration), and names that are
// credentials or configuration wherever they land: these are read first, the rest only while the budget lasts.
const SENSITIVE_DESTINATION = /^\/(etc|root|home\/[^/]+)\/|^\/usr\/local\/etc\//;
const SENSITIVE_NAME =
  /(^|\/)(\.?[a-z]*rc|\.netrc|\.pgpass|\.git-credentials|\.npmrc|\.pypirc|config\.json|credentials|[^/]*\.(repo|list|sources|cf|conf|cfg|ini|pem|key|json|ya?ml|sh))$|(^|\/)(sshd_config|passwd|shadow|sudoers|id_[a-z0-9]+|authorized_keys)$/i;

/**
 * The build-context files worth reading for a definition, from a listing of its context (context-relative paths):
 * copied files whose destination is system or account configuration or whose name is a credential or a config
 * first, then other copied scripts and configs, at most `maxFiles`.
 */
export function pickContextFiles(
  model: DockerfileModel,
  listing: readonly string[],
  maxFiles: number = CONTEXT_LIMITS.maxFiles,
): string[] {
  const placeholder = new Map(listing.map((p) => [p, '']));
  const first: string[] = [];
  const then: string[] = [];
  for (const f of copiedFiles(model, placeholder)) {
    if (f.source.startsWith('<<') || !placeholder.has(f.source)) continue;
    if (f.destination !== undefined && SENSITIVE_DESTINATION.test(f.destination)) first.push(f.source);
    else if (SENSITIVE_NAME.test(f.source)) then.push(f.source);
  }
  return [...new Set([...first, ...then])].slice(0, maxFiles);
}

/** Decodes a context file's bytes as the linter reads them: UTF-8 text without NUL bytes, within the size limit. */
export function contextText(
  bytes: Uint8Array,
  maxBytes: number = CONTEXT_LIMITS.maxBytes,
): string | undefined {
  if (bytes.length > maxBytes || bytes.includes(0)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
