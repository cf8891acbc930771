import picomatch from 'picomatch';
import type { DockerfileModel, Instruction } from '../dockerfile/model.js';
import { expandText } from './build-variables.js';
import type { CopiedFile } from './rule.js';

/** Build-context files the gate read for the linter: context-relative path (`etc/sshd_config`) → UTF-8 text. */
export type ContextFiles = ReadonlyMap<string, string>;

/** What the linter would like to read from the build context to check copied files by their content. */
export interface ContextWants {
  /** Exact context-relative files named by COPY/ADD sources. */
  readonly files: readonly string[];
  /** Context-relative directories (or glob prefixes) whose files a COPY/ADD takes; `''` is the whole context. */
  readonly dirs: readonly string[];
}

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

/** COPY/ADD instructions that take files from the build context (no `--from`, no URL, not ONBUILD). */
function contextCopies(model: DockerfileModel): Instruction[] {
  return model.instructions.filter(
    (i) =>
      (i.keyword === 'COPY' || i.keyword === 'ADD') &&
      !i.onbuild &&
      !i.flags.some((f) => f.name.toLowerCase() === 'from'),
  );
}

function sourcesAndDest(inst: Instruction): { sources: string[]; dest: string } | undefined {
  const args = inst.json ?? inst.args;
  if (inst.heredocs.length > 0 || args.length < 2) return undefined;
  return { sources: args.slice(0, -1), dest: args.at(-1) ?? '' };
}

/** The files and directories of the build context the Dockerfile copies, so a gate can fetch them before linting. */
export function contextWants(model: DockerfileModel): ContextWants {
  const files = new Set<string>();
  const dirs = new Set<string>();
  for (const inst of contextCopies(model)) {
    const sd = sourcesAndDest(inst);
    if (!sd) continue;
    for (const raw of sd.sources) {
      if (URL_SOURCE.test(raw) || raw.includes('$')) continue;
      const path = contextPath(raw);
      const glob = path.search(/[*?[]/);
      if (glob >= 0) {
        dirs.add(path.slice(0, path.lastIndexOf('/', glob) + 1).replace(/\/$/, ''));
        continue;
      }
      // Without a listing a source may be a file or a directory: ask for both.
      files.add(path);
      dirs.add(path);
    }
  }
  return { files: [...files].sort(), dirs: [...dirs].sort() };
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
  if (dest.startsWith('/')) return dest;
  // Docker resolves a relative destination against WORKDIR, `/` when none is set in the image.
  if (workdir === undefined) return undefined;
  return `${workdir.replace(/\/$/, '')}/${dest}`;
}

function join(dir: string, rest: string): string {
  return `${dir.replace(/\/+$/, '')}/${rest}`;
}

/** Every file a COPY/ADD or COPY heredoc puts into the image, with its destination and (when known) its text. */
export function copiedFiles(model: DockerfileModel, files: ContextFiles | undefined): CopiedFile[] {
  const out: CopiedFile[] = [];
  const wd = workdirs(model);
  const known = files ? [...files.keys()].sort() : [];
  for (const inst of model.instructions) {
    if (inst.keyword !== 'COPY' && inst.keyword !== 'ADD') continue;
    if (inst.onbuild) continue;
    if (inst.keyword === 'COPY' && inst.heredocs.length > 0) {
      out.push(...heredocCopies(model, inst, wd.get(inst.index)));
      continue;
    }
    if (inst.flags.some((f) => f.name.toLowerCase() === 'from')) continue;
    const sd = sourcesAndDest(inst);
    if (!sd) continue;
    const expanded = expandText(model, inst, sd.dest);
    const dest = expanded === undefined ? undefined : absolute(expanded, wd.get(inst.index));
    const intoDir = sd.dest.endsWith('/') || sd.sources.length > 1;
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

function heredocCopies(model: DockerfileModel, inst: Instruction, workdir: string | undefined): CopiedFile[] {
  // Only the instruction line names the destination; the heredoc bodies follow it.
  const words = (inst.argsText.split('\n')[0] ?? '').trim().split(/\s+/);
  const written = words.at(-1) ?? '';
  if (written.startsWith('<<')) return [];
  const expanded = expandText(model, inst, written);
  const dest = expanded === undefined ? undefined : absolute(expanded, workdir);
  const intoDir = written.endsWith('/') || inst.heredocs.length > 1;
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
