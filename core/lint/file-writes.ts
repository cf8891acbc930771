import { hasFlag, operands, toolOf } from '../dockerfile/command-args.js';
import type { Command, Instruction, Stage } from '../dockerfile/model.js';
import { baseName } from '../dockerfile/shell.js';
import type { Loc } from '../dockerfile/source-map.js';
import { expandText } from './build-variables.js';
import type { CopiedFile, RuleContext, RunCommand } from './rule.js';
import { parentStage } from './stage-lineage.js';

/** How a write changes its file: adds to the end, replaces the whole file, or edits it in place. */
export type WriteMode = 'append' | 'replace' | 'edit';

/** What put the text in the file. */
export type WriteVia =
  | 'redirect'
  | 'tee'
  | 'sed'
  | 'perl'
  | 'awk'
  | 'ed'
  | 'postconf'
  | 'dd'
  | 'cp'
  | 'mv'
  | 'install'
  | 'ln'
  | 'visudo'
  | 'copy'
  | 'copy-heredoc';

/**
 * One edit of an in-place editor (sed, perl -pi, awk, ed/ex): a substitution, a line added after (`a`), before (`i`)
 * or instead of (`c`) the lines an address selects, or `text` printed somewhere the linter cannot place.
 */
export interface FileEdit {
  readonly kind: 's' | 'a' | 'i' | 'c' | 'text';
  /** For `s`: the regular expression replaced; for a/i/c: the /re/ address, when one is given. */
  readonly pattern?: string;
  /** For `s`: the replacement as written (`\1`, `&`). */
  readonly replacement?: string;
  /** For `s`: its flags (`g`, `I`). */
  readonly flags?: string;
  /** For a/i/c: the address is `$` (the last line) or a line number. */
  readonly line?: '$' | number;
  /** POSIX extended (or Perl) syntax rather than basic. */
  readonly extended: boolean;
  /** The text the edit puts in: the replacement with back-references approximated, or the added line. */
  readonly text: string;
}

/** Text a RUN (or a COPY) puts into a file, as far as the Dockerfile and the pushed tree tell. */
export interface FileWrite {
  /** The file as written, expansions the stage's evaluation could not resolve kept (`/etc/sudoers.d/$USER`). */
  readonly path: string;
  /** The text written; for `edit`, only the new text, one line per edit (sed replacement or a/i/c line, postconf `name = value`). */
  // sed back-references are filled with an approximation of their group's text (`\1 yes` → `PermitRootLogin yes`).
  readonly content: string;
  readonly mode: WriteMode;
  readonly via: WriteVia;
  /** For sed edits, the regular expressions of the edits (`s` patterns and `/re/` addresses), one a line. */
  readonly pattern?: string;
  /** For `edit` writes of an editor, the edits one by one, in order. */
  readonly edits?: readonly FileEdit[];
  /** For cp, mv, install, ln, dd and COPY: the file the text came from. */
  readonly source?: string;
  readonly loc: Loc;
  readonly instruction: Instruction;
  /** The command that writes; absent for COPY. */
  readonly command?: Command;
}

/** What fileWrites may read: the stage's resolved commands, the COPYs, the stages. */
export type FileWritesContext = Pick<
  RuleContext,
  'model' | 'commands' | 'resolved' | 'instructions' | 'stages' | 'nonPosixShell' | 'copiedFiles'
>;

const STDOUT_OPS: Readonly<Record<string, WriteMode>> = {
  '>': 'replace',
  '>|': 'replace',
  '&>': 'replace',
  '>>': 'append',
  '&>>': 'append',
};
const NOT_FILES = /^\/dev\/(null|stdout|stderr|tty|fd\/\d+)$/;
const STDIN_FILES = new Set(['-', '/dev/stdin', '/proc/self/fd/0', '/dev/fd/0']);

// Rules reach the shared helper through this module too.
export { toolOf };

/**
 * Every file write whose text the Dockerfile (or, for COPY, the pushed tree) shows, in build order, with ENV/ARG
 * values and the script's own variables resolved (`ctx.resolved()`): echo/printf/cat heredoc redirected, tee, sed -i,
 * perl -pi, awk/sed/perl output moved over a file, ed/ex, postconf, dd, visudo with EDITOR=tee, cp/mv/install/ln of a
 * file whose text is known (written earlier in the stage or in the stage it is built FROM, or COPYed), and COPY
 * heredocs. With `copies`, files COPYed from the build context with known text are `replace` writes too (via
 * `copy`); without it they are left out, for rules that read `ctx.copiedFiles()` themselves.
 * Writes of unknown text (`curl > file`) are left out.
 */
export function fileWrites(ctx: FileWritesContext, opts: { copies?: boolean } = {}): FileWrite[] {
  const found = computed(ctx);
  return opts.copies ? found.writes : found.withoutCopies;
}

interface Computed {
  readonly writes: FileWrite[];
  readonly withoutCopies: FileWrite[];
  readonly inputs: WeakMap<Command, Output>;
}

// Several rules ask for the same file's writes; the answer depends only on the parse and the pushed tree.
const cache = new WeakMap<object, Computed>();

function computed(ctx: FileWritesContext): Computed {
  const key = ctx.copiedFiles();
  let found = cache.get(key);
  if (!found) {
    found = new Tracker(ctx).run();
    cache.set(key, found);
  }
  return found;
}

/** A file a RUN command creates or replaces, whether or not the Dockerfile shows its text. */
export interface FileTarget {
  /** The file as written, expansions kept. */
  readonly path: string;
  readonly via: 'redirect' | 'tee' | 'cp' | 'mv' | 'install' | 'dd';
  /** For cp, mv, install and dd: the file put in place. */
  readonly source?: string;
  readonly loc: Loc;
  readonly instruction: Instruction;
  readonly command: Command;
}

// install's and cp's options that take the next argument as their value.
const PUT_VALUE_FLAGS = ['m', 'mode', 'o', 'owner', 'g', 'group', 'S', 'suffix', 't', 'target-directory'];

/**
 * Every file a RUN command writes (`>`/`>>` redirects, tee, dd of=) or puts in place (cp, mv, install), text
 * known or not, read from `ctx.resolved()`; see fileWrites for the text. When a cp/mv/install destination may be a
 * directory (one source, no trailing slash), both the destination and the file inside it are listed.
 */
export function fileTargets(ctx: Pick<RuleContext, 'resolved' | 'nonPosixShell'>): FileTarget[] {
  const out: FileTarget[] = [];
  for (const { command, instruction } of ctx.resolved()) {
    if (ctx.nonPosixShell(instruction)) continue;
    const at = { loc: command.loc, instruction, command };
    for (const r of command.redirects) {
      if (r.op in STDOUT_OPS && (r.fd === undefined || r.fd === '1') && !NOT_FILES.test(r.target)) {
        out.push({ path: r.target, via: 'redirect', ...at });
      }
    }
    const { name, args } = toolOf(command);
    if (name === 'tee') {
      for (const path of teeFiles(args)) out.push({ path, via: 'tee', ...at });
    } else if (
      name === 'cp' ||
      name === 'mv' ||
      (name === 'install' && !hasFlag({ args }, 'd', 'directory'))
    ) {
      const via: FileTarget['via'] = name === 'cp' ? 'cp' : name === 'mv' ? 'mv' : 'install';
      out.push(...putTargets(args).map((t) => ({ ...t, via, ...at })));
    } else if (name === 'dd') {
      const dd = ddArgs(args);
      if (dd.of && !NOT_FILES.test(dd.of))
        out.push({ path: dd.of, via: 'dd', ...(dd.if ? { source: dd.if } : {}), ...at });
    }
  }
  return out;
}

function teeFiles(args: readonly string[]): string[] {
  return args.filter((a) => !a.startsWith('-') && !NOT_FILES.test(a));
}

function putTargets(args: readonly string[]): { path: string; source: string }[] {
  const ops = operands({ args }, PUT_VALUE_FLAGS);
  let dir: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '--') break;
    if (a === '-t' || a === '--target-directory') dir = args[i + 1];
    else if (a.startsWith('--target-directory=')) dir = a.slice('--target-directory='.length);
    else if (/^-t./.test(a)) dir = a.slice(2);
  }
  const sources = dir === undefined ? ops.slice(0, -1) : ops;
  const dest = dir ?? ops.at(-1);
  if (dest === undefined || sources.length === 0) return [];
  const inside = (source: string) =>
    `${dest.replace(/\/+$/, '')}/${source.replace(/\/+$/, '').split('/').at(-1) ?? ''}`;
  // `-T` (no target directory) says the destination is the file itself.
  const noDir = args.some((a) => a === '-T' || a === '--no-target-directory');
  if (dir !== undefined || sources.length > 1 || dest.endsWith('/')) {
    return sources.map((source) => ({ path: inside(source), source }));
  }
  const [source = ''] = sources;
  return noDir
    ? [{ path: dest, source }]
    : [
        { path: dest, source },
        { path: inside(source), source },
      ];
}

/**
 * The text a RUN command reads on standard input (its heredoc, its here-string, a file redirected in whose text is
 * known, or what the stage before it in a pipeline prints), when the Dockerfile shows it:
 * `echo 'root:x' | chpasswd` → `root:x\n`. Pass a command of `ctx.resolved()` to see through variables.
 */
export function commandInput(ctx: FileWritesContext, run: RunCommand): string | undefined {
  const seen = computed(ctx).inputs.get(run.command);
  if (seen) return textOf(seen);
  // A command of `ctx.commands()` when the evaluation parsed its RUN again: read it on its own.
  const siblings = ctx
    .commands()
    .filter((r) => r.instruction === run.instruction)
    .map((r) => r.command);
  const input = stdinOf(run.command, siblings, () => undefined);
  return input && textOf(input);
}

// ---------------------------------------------------------------------------------------------------------------
// What the build knows of each file as it goes: the writes since the file's text was last wholly known.

type Segment = Omit<FileWrite, 'path'>;

/** What a command prints, or what a file holds, as far as known. */
interface Output {
  /** Set when the text starts with text the Dockerfile does not show: that file's path, or `?`. */
  readonly origin?: string;
  readonly segments: readonly Segment[];
}

type Files = Map<string, Output>;

function textOf(o: Output): string | undefined {
  return o.segments.length === 0 && o.origin !== undefined
    ? undefined
    : o.segments.map((s) => s.content).join('');
}

function normalize(path: string): string {
  if (!path.includes('/')) return path;
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '.' || (part === '' && parts.length > 0)) continue;
    // `..` above a part the linter knows; a variable or `..` at the start stays.
    if (part === '..' && parts.length > 0 && parts.at(-1) !== '..' && parts.at(-1) !== '') {
      if (!parts.at(-1)?.includes('$')) {
        parts.pop();
        continue;
      }
    }
    parts.push(part);
  }
  const out = parts.join('/');
  return out === '' ? '/' : out;
}

// Directories a cp/install destination almost always is, when the command does not say.
const KNOWN_DIRS =
  /^\/(etc|root|tmp|etc\/ssh|etc\/sudoers\.d|etc\/ssh\/sshd_config\.d|etc\/postfix|etc\/apt(\/[a-z.]+\.d)?|etc\/yum\.repos\.d|usr\/(local\/)?s?bin|s?bin)\/?$/;

class Tracker {
  private readonly out: FileWrite[] = [];
  private readonly inputs = new WeakMap<Command, Output>();
  private readonly byStage = new Map<number, Files>();
  private readonly links = new Map<number, Map<string, Set<string>>>();
  private readonly byInstruction = new Map<Instruction, Command[]>();
  private readonly copies = new Map<Instruction, CopiedFile[]>();

  constructor(private readonly ctx: FileWritesContext) {
    for (const { command, instruction } of ctx.resolved()) {
      const list = this.byInstruction.get(instruction) ?? [];
      list.push(command);
      this.byInstruction.set(instruction, list);
    }
    for (const c of ctx.copiedFiles()) {
      const list = this.copies.get(c.instruction) ?? [];
      list.push(c);
      this.copies.set(c.instruction, list);
    }
  }

  run(): Computed {
    this.computeWorkdirs();
    for (const instruction of this.ctx.instructions) {
      if (instruction.keyword === 'RUN') this.runInstruction(instruction);
      else if (instruction.keyword === 'COPY' || instruction.keyword === 'ADD')
        this.copyInstruction(instruction);
    }
    return {
      writes: this.out,
      withoutCopies: this.out.filter((w) => w.via !== 'copy'),
      inputs: this.inputs,
    };
  }

  // The WORKDIR at each instruction (inherited FROM a stage; `/` at the start of a stage from an image, whose
  // own WORKDIR is not known but almost always `/` for the files these rules read).
  private computeWorkdirs(): void {
    const last = new Map<number, string | undefined>();
    for (const inst of this.ctx.instructions) {
      if (!last.has(inst.stage)) {
        const s: Stage | undefined = this.ctx.stages[inst.stage];
        const parent = s && parentStage(this.ctx.stages, s);
        last.set(inst.stage, parent ? last.get(parent.index) : '/');
      }
      const current = last.get(inst.stage);
      if (current !== undefined) this.workdirs.set(inst.index, current);
      if (inst.keyword !== 'WORKDIR' || inst.onbuild) continue;
      const written = expandText(this.ctx.model, inst, inst.argsText.trim());
      const next =
        written === undefined
          ? undefined
          : written.startsWith('/')
            ? normalize(written)
            : current === undefined
              ? undefined
              : normalize(`${current}/${written}`);
      last.set(inst.stage, next);
    }
  }

  private files(stage: number): Files {
    let files = this.byStage.get(stage);
    if (!files) {
      const s: Stage | undefined = this.ctx.stages[stage];
      const parent = s && parentStage(this.ctx.stages, s);
      // A stage built FROM another starts with that stage's files.
      files = new Map(parent ? this.byStage.get(parent.index) : undefined);
      this.byStage.set(stage, files);
    }
    return files;
  }

  /** The working directory of the command being read: the WORKDIR, then `cd`; undefined when not known. */
  private cwd: string | undefined = '/';
  private readonly workdirs = new Map<number, string | undefined>();

  // A path as the command names it, made absolute against the working directory when that is known.
  private abs(path: string): string {
    if (path.startsWith('/') || path.startsWith('$') || path.startsWith('~') || this.cwd === undefined) {
      return normalize(path);
    }
    return normalize(`${this.cwd}/${path}`);
  }

  private stateOf(files: Files, path: string): Output {
    const key = this.abs(path);
    return files.get(key) ?? { origin: key, segments: [] };
  }

  /** Puts `what` into `path` (replacing it, or appending to it) as `carrier` does, and records the writes. */
  private put(
    files: Files,
    path: string,
    what: Output,
    append: boolean,
    carrier: Omit<Segment, 'content' | 'mode'> & { via: WriteVia },
    stage: number,
  ): void {
    const key = this.abs(path);
    const before = files.get(key);
    let segments = what.segments;
    let origin: string | undefined;
    let modeOf = (s: Segment): WriteMode => s.mode;
    if (append) {
      origin = before ? before.origin : key;
      modeOf = (s) => (s.mode === 'edit' ? 'edit' : 'append');
    } else if (what.origin === undefined) {
      origin = undefined;
    } else if (what.origin === key) {
      origin = key;
    } else {
      // Known lines of a file whose beginning the Dockerfile does not show: where they land is not known.
      origin = '?';
      modeOf = () => 'edit';
    }
    // `sed … f > t && mv t f` puts back f's own earlier writes: only the new ones are writes.
    if (before && !append && startsWith(segments, before.segments) && what.origin === before.origin) {
      segments = segments.slice(before.segments.length);
      origin = before.origin;
    }
    const written: Segment[] = [];
    for (const s of segments) {
      const editor = s.via === 'sed' || s.via === 'perl' || s.via === 'awk' || s.via === 'ed';
      const seg: Segment = {
        ...s,
        mode: modeOf(s),
        via: editor ? s.via : carrier.via,
        loc: carrier.loc,
        instruction: carrier.instruction,
        ...(carrier.command ? { command: carrier.command } : {}),
        ...(carrier.source !== undefined ? { source: carrier.source } : {}),
      };
      written.push(seg);
    }
    const previous =
      append || (before && origin === before.origin && segments !== what.segments)
        ? (before?.segments ?? [])
        : [];
    const state: Output = {
      ...(origin !== undefined ? { origin } : {}),
      segments: [...previous, ...written],
    };
    files.set(key, state);
    for (const target of [key, ...(this.links.get(stage)?.get(key) ?? [])]) {
      if (target !== key) files.set(target, state);
      for (const seg of written) this.out.push({ path: target, ...seg });
    }
  }

  private forget(files: Files, path: string): void {
    files.set(this.abs(path), { origin: '?', segments: [] });
  }

  private runInstruction(instruction: Instruction): void {
    // Under pwsh or cmd the script was not written for a POSIX shell, so its parse says nothing.
    if (this.ctx.nonPosixShell(instruction)) return;
    const commands = this.byInstruction.get(instruction) ?? [];
    const files = this.files(instruction.stage);
    const stage = instruction.stage;
    const read = (path: string) => this.stateOf(files, path);
    this.cwd = this.workdirs.get(instruction.index) ?? '/';
    if (!this.workdirs.has(instruction.index)) this.cwd = undefined;
    for (const command of commands) {
      const carrier = { loc: command.loc, instruction, command };
      // Most commands read nothing and write nothing: only those that do are looked at further.
      const input =
        command.redirects.length > 0 || (command.pipeline?.position ?? 0) > 0
          ? stdinOf(command, commands, read)
          : undefined;
      if (input) this.inputs.set(command, input);
      const { name, args } = toolOf(command);
      if (name === 'cd' || name === 'pushd') {
        const dir = args.find((a) => !a.startsWith('-'));
        this.cwd = dir === undefined || dir.startsWith('~') || dir.includes('$') ? undefined : this.abs(dir);
        if (this.cwd !== undefined && !this.cwd.startsWith('/')) this.cwd = undefined;
      }
      const redirect =
        command.redirects.length === 0
          ? undefined
          : command.redirects
              .filter((r) => r.op in STDOUT_OPS && (r.fd === undefined || r.fd === '1'))
              .at(-1);
      if (redirect && !NOT_FILES.test(redirect.target)) {
        const stdout = stdoutOf(command, commands, read);
        if (stdout) {
          this.put(
            files,
            redirect.target,
            stdout,
            STDOUT_OPS[redirect.op] === 'append',
            { ...carrier, via: 'redirect' },
            stage,
          );
        } else {
          this.forget(files, redirect.target);
        }
      }
      if (name === 'tee') {
        const append = args.some((a) => a === '--append' || /^-[a-z]*a/.test(a));
        for (const path of teeFiles(args)) {
          if (input) this.put(files, path, input, append, { ...carrier, via: 'tee' }, stage);
          else this.forget(files, path);
        }
      } else if (name === 'sed' || name === 'perl' || name === 'awk' || name === 'gawk') {
        const edit = editorCall(name, args, read);
        if (edit?.inPlace) {
          for (const path of edit.files) this.edit(files, path, edit.segment, carrier, stage);
        }
      } else if (name === 'ed' || name === 'ex' || name === 'vi' || name === 'vim') {
        const { commands: script, files: targets } = exArgs(name, args);
        const edits = edScript(name, script, input && textOf(input));
        if (edits.length > 0) {
          for (const path of targets) this.edit(files, path, editSegment('ed', edits), carrier, stage);
        }
      } else if (name === 'postconf') {
        const write = postconfWrite(args);
        if (write) this.edit(files, write.path, write, carrier, stage);
      } else if (name === 'cp' || name === 'mv' || name === 'install' || name === 'ln') {
        if (name === 'install' && hasFlag({ args }, 'd', 'directory')) continue;
        for (const { path, source } of this.destinations(files, args)) {
          const from = STDIN_FILES.has(source) ? (input ?? { origin: '?', segments: [] }) : read(source);
          const via: WriteVia = name;
          this.put(files, path, from, false, { ...carrier, via, source }, stage);
          if (name === 'ln' && !STDIN_FILES.has(source)) this.link(stage, source, path);
          if (name === 'mv') this.forget(files, source);
        }
      } else if (name === 'dd') {
        const dd = ddArgs(args);
        if (dd.of && !NOT_FILES.test(dd.of)) {
          const from = dd.if && !STDIN_FILES.has(dd.if) ? read(dd.if) : input;
          if (from) {
            const carry = { ...carrier, via: 'dd' as const, ...(dd.if ? { source: dd.if } : {}) };
            this.put(files, dd.of, from, dd.append, carry, stage);
          } else this.forget(files, dd.of);
        }
      } else if (name === 'visudo') {
        this.visudo(files, command, args, input, carrier, stage);
      }
    }
  }

  private edit(
    files: Files,
    path: string,
    segment: Omit<Segment, 'loc' | 'instruction' | 'command'>,
    carrier: Omit<Segment, 'content' | 'mode' | 'via'>,
    stage: number,
  ): void {
    const before = this.stateOf(files, path);
    const seg: Segment = { ...carrier, ...segment };
    this.put(
      files,
      path,
      { ...before, segments: [...before.segments, seg] },
      false,
      { ...carrier, via: segment.via },
      stage,
    );
  }

  private link(stage: number, source: string, path: string): void {
    let map = this.links.get(stage);
    if (!map) {
      map = new Map();
      this.links.set(stage, map);
    }
    const key = this.abs(source);
    const set = map.get(key) ?? new Set<string>();
    set.add(this.abs(path));
    map.set(key, set);
  }

  // Where cp/mv/install/ln put each source: one interpretation, the directory when it is known to be one.
  private destinations(files: Files, args: readonly string[]): { path: string; source: string }[] {
    const all = putTargets(args);
    if (all.length !== 2 || all[0]?.source !== all[1]?.source) return all;
    const [asFile, inside] = all as [{ path: string; source: string }, { path: string; source: string }];
    const dir = this.abs(asFile.path).replace(/\/$/, '');
    const isDir = KNOWN_DIRS.test(dir) || [...files.keys()].some((k) => k.startsWith(`${dir}/`));
    return [isDir ? inside : asFile];
  }

  // `EDITOR='tee -a' visudo -f FILE`: visudo runs the editor on the file, so tee writes its stdin there.
  private visudo(
    files: Files,
    command: Command,
    args: readonly string[],
    input: Output | undefined,
    carrier: Omit<Segment, 'content' | 'mode' | 'via'>,
    stage: number,
  ): void {
    const assigns = [...command.assigns, ...command.args.filter((a) => /^[A-Z_]+=/.test(a))];
    const editor = assigns
      .map((a) => /^(?:SUDO_EDITOR|VISUAL|EDITOR)=(.*)$/s.exec(a)?.[1])
      .find((v) => v !== undefined);
    const words = (editor ?? '').replace(/["']/g, '').trim().split(/\s+/);
    if (baseName(words[0] ?? '') !== 'tee' || !input) return;
    const append = words.slice(1).some((w) => w === '--append' || /^-[a-z]*a/.test(w));
    let file = '/etc/sudoers';
    for (let i = 0; i < args.length; i++) {
      const a = args[i] ?? '';
      if (a === '-f' || a === '--file') file = args[i + 1] ?? file;
      else if (a.startsWith('--file=')) file = a.slice(7);
      else if (/^-[a-z]*f$/.test(a)) file = args[i + 1] ?? file;
      else if (!a.startsWith('-')) file = a;
    }
    this.put(files, file, input, append, { ...carrier, via: 'visudo' }, stage);
  }

  private copyInstruction(instruction: Instruction): void {
    if (instruction.onbuild) return;
    const files = this.files(instruction.stage);
    const from = instruction.flags.find((f) => f.name.toLowerCase() === 'from')?.value;
    if (from) {
      this.copyFromStage(instruction, files, from);
      return;
    }
    const copied = this.copies.get(instruction);
    if (!copied && instruction.keyword === 'COPY' && instruction.heredocs.length > 0) {
      // The destination depends on a value the linter does not know: keep the path as written.
      for (const w of copyHeredocWrites(instruction)) {
        this.out.push(w);
        files.set(normalize(w.path), { segments: [w] });
      }
      return;
    }
    for (const c of copied ?? []) {
      const heredoc = c.source.startsWith('<<');
      const written = heredoc ? undefined : c.destination;
      const raw = heredoc
        ? copyHeredocWrites(instruction).find((w) => `<<${heredocName(w)}` === c.source)
        : undefined;
      const path = c.destination ?? raw?.path;
      if (path === undefined) continue;
      if (c.content === undefined) {
        this.forget(files, path);
        continue;
      }
      const loc = instruction.heredocs.find((h) => `<<${h.name}` === c.source)?.loc ?? instruction.loc;
      const via: WriteVia = heredoc ? 'copy-heredoc' : 'copy';
      const carrier = { loc, instruction, via, ...(heredoc ? {} : { source: c.source }) };
      const text: Segment = { content: c.content, mode: 'replace', via, loc, instruction };
      this.put(files, written ?? path, { segments: [text] }, false, carrier, instruction.stage);
    }
  }

  // `COPY --from=cfg /etc/x /etc/sudoers.d/`: the file as the other stage left it.
  private copyFromStage(instruction: Instruction, files: Files, from: string): void {
    const source = this.ctx.stages.find((s) => s.name === from.toLowerCase() || String(s.index) === from);
    const theirs = source && source.index < instruction.stage ? this.byStage.get(source.index) : undefined;
    const words = instruction.json ?? instruction.args;
    const dest = words.at(-1);
    if (!theirs || !dest?.startsWith('/') || words.length < 2) return;
    const sources = words.slice(0, -1);
    const intoDir = dest.endsWith('/') || sources.length > 1;
    for (const raw of sources) {
      const src = normalize(raw).replace(/\/$/, '');
      for (const [path, state] of theirs) {
        if (path !== src && !path.startsWith(`${src}/`)) continue;
        const rest = path === src ? (src.split('/').at(-1) ?? '') : path.slice(src.length + 1);
        const target = path === src && !intoDir ? dest : `${dest.replace(/\/$/, '')}/${rest}`;
        const carrier = { loc: instruction.loc, instruction, via: 'copy' as const, source: path };
        this.put(files, target, state, false, carrier, instruction.stage);
      }
    }
  }
}

function heredocName(w: FileWrite): string {
  return w.instruction.heredocs.find((h) => h.loc === w.loc)?.name ?? '';
}

function startsWith(a: readonly Segment[], prefix: readonly Segment[]): boolean {
  if (prefix.length === 0 || prefix.length > a.length) return false;
  return prefix.every((s, i) => a[i] === s);
}

function ddArgs(args: readonly string[]): { if?: string; of?: string; append: boolean } {
  const out: { if?: string; of?: string; append: boolean } = { append: false };
  for (const a of args) {
    const [k = '', v = ''] = a.split(/=(.*)/s);
    if (k === 'if') out.if = v;
    else if (k === 'of') out.of = v;
    else if ((k === 'conv' && /notrunc/.test(v)) || (k === 'oflag' && /append/.test(v))) out.append = true;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// What commands print and read.

type Reader = (path: string) => Output | undefined;

function text(content: string): Output {
  return { segments: [{ content, mode: 'replace', via: 'redirect', loc: DUMMY_LOC, instruction: DUMMY }] };
}

// Placeholders for text not yet written anywhere; `put` gives every written segment its carrier's place.
const DUMMY_LOC: Loc = { line: 0, column: 0 };
const DUMMY = { index: -1 } as Instruction;

function concat(parts: readonly Output[]): Output | undefined {
  if (parts.length === 0) return undefined;
  const [first, ...rest] = parts as [Output, ...Output[]];
  const segments = [...first.segments];
  let origin = first.origin;
  for (const p of rest) {
    // Unknown text in the middle: what follows lands somewhere not known.
    if (p.origin !== undefined) origin ??= '?';
    for (const s of p.segments) {
      const last = segments.at(-1);
      // Text printed one piece after another is one write: `{ echo a; echo b; } | tee f`.
      if (last && last.mode !== 'edit' && s.mode !== 'edit' && last.via === s.via) {
        segments[segments.length - 1] = { ...last, content: last.content + s.content };
      } else segments.push(s.mode === 'replace' ? { ...s, mode: 'append' } : s);
    }
  }
  return origin === undefined ? { segments } : { origin, segments };
}

// What a command prints, when its arguments, its input or the files it reads tell; undefined when unknown.
function stdoutOf(
  command: Command,
  siblings: readonly Command[],
  read: Reader,
  depth = 0,
): Output | undefined {
  const { name, args } = toolOf(command);
  if (name === 'echo') return text(echoText(args));
  if (name === 'printf') return printfText(args);
  if (depth >= 5) return undefined;
  if (name === 'cat' || name === 'tee' || name === 'dd') {
    if (name === 'tee') return stdinOf(command, siblings, read, depth + 1);
    if (name === 'dd') {
      const dd = ddArgs(args);
      if (dd.of) return undefined;
      return dd.if && !STDIN_FILES.has(dd.if) ? read(dd.if) : stdinOf(command, siblings, read, depth + 1);
    }
    const files = args.filter((a) => !a.startsWith('-') || a === '-');
    // cat prints its stdin only when it has no file operands other than `-`.
    if (files.length === 0) return stdinOf(command, siblings, read, depth + 1);
    const parts = files.map((f) =>
      STDIN_FILES.has(f) ? stdinOf(command, siblings, read, depth + 1) : read(f),
    );
    return parts.every((p): p is Output => p !== undefined) ? concat(parts) : undefined;
  }
  if (name === 'base64' || name === 'xxd') {
    const decode = name === 'base64' ? hasFlag({ args }, 'd', 'decode', 'D') : hasFlag({ args }, 'r');
    const input = decode ? stdinOf(command, siblings, read, depth + 1) : undefined;
    const raw = input?.origin === undefined ? input && textOf(input) : undefined;
    const decoded = raw === undefined ? undefined : name === 'base64' ? fromBase64(raw) : fromHex(raw);
    return decoded === undefined ? undefined : text(decoded);
  }
  if (name === 'sed' || name === 'perl' || name === 'awk' || name === 'gawk') {
    const call = editorCall(name, args, read);
    if (!call || call.inPlace) return undefined;
    if (call.printed !== undefined) return text(call.printed);
    const ins = call.files.map((f) =>
      STDIN_FILES.has(f) ? stdinOf(command, siblings, read, depth + 1) : read(f),
    );
    const input =
      call.files.length === 0
        ? stdinOf(command, siblings, read, depth + 1)
        : ins.every((p): p is Output => p !== undefined)
          ? concat(ins)
          : undefined;
    const base = input ?? { origin: '?', segments: [] };
    const seg: Segment = { ...call.segment, loc: command.loc, instruction: DUMMY, command };
    return { ...base, segments: [...base.segments, seg] };
  }
  return undefined;
}

// What a command reads: its heredoc or here-string, a file redirected in, or what the previous stage of its pipeline prints.
function stdinOf(
  command: Command,
  siblings: readonly Command[],
  read: Reader,
  depth = 0,
): Output | undefined {
  const own = command.redirects
    .filter((r) => r.op === '<<' || r.op === '<<-' || r.op === '<<<' || r.op === '<')
    .at(-1);
  if (own) {
    if (own.op === '<') return read(own.target);
    return text(own.op === '<<<' ? `${own.target}\n` : `${own.body ?? ''}\n`);
  }
  const p = command.pipeline;
  if (!p || p.position === 0) return undefined;
  // A `{ echo a; echo b; } | tee f` stage has several commands at one position; their output joins.
  const texts = (pipelines(siblings).get(p.id) ?? [])
    .filter((c) => c.pipeline?.position === p.position - 1 && c.context === command.context)
    .map((c) => stdoutOf(c, siblings, read, depth));
  const known = texts.filter((t): t is Output => t !== undefined);
  return known.length > 0 ? concat(known) : undefined;
}

// The commands of each pipeline of a RUN, so finding a stage's predecessor does not scan the whole RUN.
function pipelines(siblings: readonly Command[]): Map<number, Command[]> {
  let index = pipelineIndex.get(siblings);
  if (!index) {
    index = new Map();
    for (const c of siblings) {
      if (!c.pipeline) continue;
      const list = index.get(c.pipeline.id) ?? [];
      list.push(c);
      index.set(c.pipeline.id, list);
    }
    pipelineIndex.set(siblings, index);
  }
  return index;
}
const pipelineIndex = new WeakMap<readonly Command[], Map<number, Command[]>>();

function fromBase64(s: string): string | undefined {
  const clean = s.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(clean)) return undefined;
  try {
    const bytes = Uint8Array.from(atob(clean.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
    return new TextDecoder().decode(bytes);
  } catch {
    return undefined;
  }
}

function fromHex(s: string): string | undefined {
  const clean = s.replace(/\s+/g, '');
  if (!/^([0-9a-fA-F]{2})*$/.test(clean)) return undefined;
  const bytes = Uint8Array.from(clean.match(/../g) ?? [], (h) => Number.parseInt(h, 16));
  return new TextDecoder().decode(bytes);
}

function echoText(args: readonly string[]): string {
  let i = 0;
  while (i < args.length && /^-[neE]+$/.test(args[i] ?? '')) i++;
  const noNewline = args.slice(0, i).some((a) => a.includes('n'));
  // dash's echo always reads backslash escapes; bash's does with -e: reading them suits both for matching.
  const { text: body, stop } = unescapeC(args.slice(i).join(' '), 'echo');
  return body + (noNewline || stop ? '' : '\n');
}

function printfText(args: readonly string[]): Output {
  const [format = '', ...values] = args;
  let out = '';
  const rest = [...values];
  // printf reuses its format until every argument is consumed.
  do {
    let used = 0;
    out += unescapeC(format, 'printf').text.replace(/%(%|[-+ #0-9.]*[sbdiuxXoc])/g, (spec, kind: string) => {
      if (kind === '%') return '%';
      used++;
      const v = rest.shift() ?? '';
      return spec.endsWith('b') ? unescapeC(v, 'echo').text : v;
    });
    if (used === 0) break;
  } while (rest.length > 0);
  return text(out);
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  t: '\t',
  r: '\r',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  e: '\x1b',
  E: '\x1b',
  '\\': '\\',
  '"': '"',
  "'": "'",
};

// Backslash escapes as echo -e (`\0NNN`, `\c` stops) and printf (`\NNN`) read them, `\xHH` in both.
function unescapeC(s: string, style: 'echo' | 'printf'): { text: string; stop: boolean } {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i] ?? '';
    if (ch !== '\\' || i + 1 >= s.length) {
      out += ch;
      continue;
    }
    const next = s[i + 1] ?? '';
    if (next === 'c' && style === 'echo') return { text: out, stop: true };
    if (next in SIMPLE_ESCAPES && !(style === 'echo' && (next === '"' || next === "'"))) {
      out += SIMPLE_ESCAPES[next];
      i++;
    } else if (next === 'x' && /^[0-9a-fA-F]/.test(s[i + 2] ?? '')) {
      const hex = /^[0-9a-fA-F]{1,2}/.exec(s.slice(i + 2))?.[0] ?? '';
      out += String.fromCharCode(Number.parseInt(hex, 16));
      i += 1 + hex.length;
    } else if (/[0-7]/.test(next)) {
      const octal = style === 'echo' && next === '0' ? /^0[0-7]{0,3}/ : /^[0-7]{1,3}/;
      const digits = octal.exec(s.slice(i + 1))?.[0] ?? '';
      out += String.fromCharCode(Number.parseInt(digits, 8));
      i += digits.length;
    } else {
      out += ch;
    }
  }
  return { text: out, stop: false };
}

// ---------------------------------------------------------------------------------------------------------------
// Editors: sed, perl, awk, ed/ex.

interface EditorCall {
  readonly inPlace: boolean;
  readonly files: readonly string[];
  readonly segment: Omit<Segment, 'loc' | 'instruction' | 'command'>;
  /** For `awk 'BEGIN { print … }'` with no input: what it prints. */
  readonly printed?: string;
}

function editSegment(
  via: WriteVia,
  edits: readonly FileEdit[],
): Omit<Segment, 'loc' | 'instruction' | 'command'> {
  const patterns = edits.map((e) => e.pattern).filter((p): p is string => p !== undefined);
  return {
    content: edits.map((e) => e.text).join('\n'),
    mode: 'edit',
    via,
    edits,
    ...(patterns.length > 0 ? { pattern: patterns.join('\n') } : {}),
  };
}

function editorCall(name: string, args: readonly string[], read: Reader): EditorCall | undefined {
  if (name === 'sed') return sedCall(args, read);
  if (name === 'perl') return perlCall(args);
  return awkCall(args);
}

// sed's options that take the next argument as their value.
const SED_VALUE_FLAGS = new Set(['f', 'l', 'file', 'line-length']);

function sedCall(args: readonly string[], read: Reader): EditorCall | undefined {
  const scripts: string[] = [];
  const files: string[] = [];
  let inPlace = false;
  let extended = false;
  let unknownScript = false;
  const scriptFile = (path: string) => {
    const known = STDIN_FILES.has(path) ? undefined : read(path);
    const body = known && known.origin === undefined ? textOf(known) : undefined;
    if (body === undefined) unknownScript = true;
    else scripts.push(body);
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '--') {
      files.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const [name = '', value] = a.slice(2).split(/=(.*)/s);
      if (name === 'expression') scripts.push(value ?? args[++i] ?? '');
      else if (name === 'file') scriptFile(value ?? args[++i] ?? '');
      else if (name === 'in-place') inPlace = true;
      else if (name === 'regexp-extended') extended = true;
      else if (SED_VALUE_FLAGS.has(name) && value === undefined) i++;
    } else if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const ch = a[j] ?? '';
        // -i takes the rest of the word as a backup suffix; -e and -f take the rest or the next argument.
        if (ch === 'i') {
          inPlace = true;
          break;
        }
        if (ch === 'E' || ch === 'r') extended = true;
        if (ch === 'e' || ch === 'f') {
          const value = j + 1 < a.length ? a.slice(j + 1) : (args[++i] ?? '');
          if (ch === 'e') scripts.push(value);
          else scriptFile(value);
          break;
        }
        if (ch === 'l') {
          if (j + 1 === a.length) i++;
          break;
        }
      }
    } else {
      files.push(a);
    }
  }
  if (scripts.length === 0 && !unknownScript && files.length > 0) scripts.push(files.shift() ?? '');
  const edits = scripts.flatMap((s) => sedEdits(s, extended));
  if (edits.length === 0) return undefined;
  return { inPlace, files, segment: editSegment('sed', edits) };
}

// perl's options that take the rest of their word (or nothing) and end a cluster.
const PERL_REST_FLAGS = new Set(['F', 'M', 'm', 'I', 'x', 'C', 'd', 'D', 'V']);

function perlCall(args: readonly string[]): EditorCall | undefined {
  const code: string[] = [];
  const files: string[] = [];
  let inPlace = false;
  let loop = false;
  let scriptFile = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '--') {
      files.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith('-') && a.length > 1 && !a.startsWith('--')) {
      for (let j = 1; j < a.length; j++) {
        const ch = a[j] ?? '';
        if (ch === 'i') {
          inPlace = true;
          break;
        }
        if (ch === 'p' || ch === 'n') loop = true;
        if (ch === 'e' || ch === 'E') {
          code.push(j + 1 < a.length ? a.slice(j + 1) : (args[++i] ?? ''));
          break;
        }
        if (ch === '0') {
          while (/[0-9a-fA-Fx]/.test(a[j + 1] ?? '')) j++;
        } else if (PERL_REST_FLAGS.has(ch)) break;
      }
    } else if (code.length === 0 && !scriptFile) {
      // Without -e the first operand is the program's file.
      scriptFile = true;
    } else {
      files.push(a);
    }
  }
  if (!loop || code.length === 0) return undefined;
  const edits = code.flatMap(perlEdits);
  if (edits.length === 0) return undefined;
  return { inPlace, files, segment: editSegment('perl', edits) };
}

const PERL_CLOSE: Readonly<Record<string, string>> = { '{': '}', '(': ')', '[': ']', '<': '>' };

// The substitutions (`s/re/text/flags`, `s{re}{text}`) and the quoted strings a perl -p program puts in.
function perlEdits(code: string): FileEdit[] {
  const edits: FileEdit[] = [];
  let rest = '';
  let i = 0;
  const n = code.length;
  const until = (close: string, open?: string): string => {
    let s = '';
    let nest = 0;
    while (i < n) {
      const ch = code[i] ?? '';
      if (ch === '\\' && i + 1 < n) {
        s += code.slice(i, i + 2);
        i += 2;
        continue;
      }
      if (open && ch === open) nest++;
      else if (ch === close) {
        if (nest === 0) break;
        nest--;
      }
      s += ch;
      i++;
    }
    i++;
    return s;
  };
  while (i < n) {
    const ch = code[i] ?? '';
    const prev = code[i - 1] ?? '';
    if ((ch === 's' || ch === 'y') && !/[\w$@%&]/.test(prev) && /[^\w\s;]/.test(code[i + 1] ?? '')) {
      const open = code[i + 1] ?? '/';
      i += 2;
      const close = PERL_CLOSE[open] ?? open;
      const pattern = until(close, PERL_CLOSE[open] ? open : undefined);
      let replacement: string;
      if (PERL_CLOSE[open]) {
        while (i < n && /\s/.test(code[i] ?? '')) i++;
        const open2 = code[i] ?? '{';
        i++;
        replacement = until(PERL_CLOSE[open2] ?? open2, PERL_CLOSE[open2] ? open2 : undefined);
      } else {
        replacement = until(close);
      }
      const flags = /^[a-z]*/.exec(code.slice(i))?.[0] ?? '';
      i += flags.length;
      if (ch === 'y' || flags.includes('e')) continue;
      // Perl's `$1` and `${1}` are sed's `\1`; its `$&` is sed's `&`, and a bare `&` is literal.
      const sedLike = replacement
        .replace(/&/g, '\\&')
        .replace(/\$\\&/g, '&')
        .replace(/\$\{?([1-9])\}?/g, '\\$1');
      edits.push({
        kind: 's',
        pattern,
        replacement: sedLike,
        flags: flags.replace('i', 'I'),
        extended: true,
        text: fillReplacement(pattern, sedLike, true),
      });
      continue;
    }
    rest += ch;
    i++;
  }
  for (const m of rest.matchAll(/"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'/g)) {
    const literal = m[1] !== undefined ? unescapeC(m[1], 'printf').text : (m[2] ?? '');
    const t = literal.replace(/\n$/, '');
    if (t.trim() !== '') edits.push({ kind: 'text', extended: true, text: t });
  }
  return edits;
}

function awkCall(args: readonly string[]): EditorCall | undefined {
  let program: string | undefined;
  const files: string[] = [];
  let inPlace = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '-i' || a === '--include') {
      if (/^inplace(\.awk)?$/.test(args[i + 1] ?? '')) inPlace = true;
      i++;
    } else if (/^--include=inplace/.test(a) || /^-iinplace/.test(a)) inPlace = true;
    else if (a === '-F' || a === '-v' || a === '-f' || a === '--assign' || a === '--file') {
      // A program read from a file is not known here.
      if (a === '-f' || a === '--file') return undefined;
      i++;
    } else if (a.startsWith('-') && a.length > 1 && program === undefined) {
      if (/^-f/.test(a)) return undefined;
    } else if (program === undefined) program = a;
    else if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(a)) files.push(a);
  }
  if (program === undefined) return undefined;
  const edits: FileEdit[] = [];
  for (const m of program.matchAll(
    /\b(g?sub)\s*\(\s*(\/(?:[^/\\]|\\.)*\/|"(?:[^"\\]|\\.)*")\s*,\s*"((?:[^"\\]|\\.)*)"/g,
  )) {
    const re = (m[2] ?? '').slice(1, -1);
    // awk strings unescape once before the regular expression sees them.
    const pattern = (m[2] ?? '').startsWith('"') ? re.replace(/\\\\/g, '\\') : re;
    const replacement = (m[3] ?? '').replace(/\\\\&/g, '\\&');
    edits.push({
      kind: 's',
      pattern,
      replacement,
      flags: m[1] === 'gsub' ? 'g' : '',
      extended: true,
      text: fillReplacement(pattern, replacement, true),
    });
  }
  const printed: string[] = [];
  for (const m of program.matchAll(/\bprintf?\b\s*\(?([^;}\n]*)/g)) {
    const parts = splitTopLevel(m[1] ?? '', ',').map((part) =>
      [...part.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((s) => unescapeC(s[1] ?? '', 'printf').text).join(''),
    );
    const line = parts
      .filter((p) => p !== '')
      .join(' ')
      .replace(/%[-+ #0-9.]*[sdicxXoeEfgG]/g, '')
      .replace(/\n$/, '');
    if (line.trim() !== '') {
      printed.push(line);
      edits.push({ kind: 'text', extended: true, text: line });
    }
  }
  // A program of BEGIN blocks only reads no input: it prints its text.
  const beginOnly = program.replace(/BEGIN\s*\{(?:[^{}]|\{[^{}]*\})*\}/g, '').trim() === '';
  if (beginOnly && files.length === 0 && !inPlace) {
    return { inPlace, files, segment: editSegment('awk', edits), printed: `${printed.join('\n')}\n` };
  }
  if (edits.length === 0 && inPlace) return undefined;
  return { inPlace, files, segment: editSegment('awk', edits) };
}

function splitTopLevel(s: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = false;
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i] ?? '';
    if (ch === '\\' && quote) {
      cur += s.slice(i, i + 2);
      i++;
      continue;
    }
    if (ch === '"') quote = !quote;
    else if (!quote && ch === '(') depth++;
    else if (!quote && ch === ')') depth--;
    if (!quote && depth === 0 && ch === sep) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

// ex/vim's commands (`-c CMD`, `-sc CMD`, `+CMD`) and files; ed takes only files (and -p PROMPT).
function exArgs(name: string, args: readonly string[]): { commands: string[]; files: string[] } {
  const commands: string[] = [];
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (name !== 'ed' && /^-[a-zA-Z]*c$/.test(a)) commands.push(args[++i] ?? '');
    else if (name !== 'ed' && a.startsWith('+')) commands.push(a.slice(1));
    else if (/^-[SuiTwWp]$/.test(a)) i++;
    else if (!a.startsWith('-') || a === '-') files.push(a);
  }
  return { commands, files: files.filter((f) => f !== '-') };
}

// The edits of an ed script (stdin) or of ex/vim commands (`-c`, `+cmd`, stdin with -s).
function edScript(name: string, commands: readonly string[], stdin: string | undefined): FileEdit[] {
  const parts = [...commands];
  if (stdin !== undefined) parts.push(stdin);
  const lines = parts
    .join('\n')
    .split('\n')
    .flatMap((l) => (name === 'ed' ? [l] : l.split('|')));
  const edits: FileEdit[] = [];
  const address = /^\s*:?\s*((?:[0-9$.,%;+-]|\/(?:[^/\\]|\\.)*\/)*)\s*/;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const addr = address.exec(line)?.[1] ?? '';
    let cmd = line.slice((address.exec(line)?.[0] ?? '').length);
    let global: string | undefined;
    const g = /^g\/((?:[^/\\]|\\.)*)\/(.*)$/.exec(cmd);
    if (g) {
      global = g[1];
      cmd = g[2] ?? '';
    }
    if (/^[aic]$/.test(cmd)) {
      const body: string[] = [];
      while (++i < lines.length && lines[i] !== '.') body.push(lines[i] ?? '');
      const re = /\/((?:[^/\\]|\\.)*)\//.exec(addr)?.[1] ?? global;
      const at = /^\$$/.test(addr) ? '$' : /^\d+$/.test(addr) ? Number(addr) : undefined;
      edits.push({
        kind: cmd as 'a' | 'i' | 'c',
        ...(re !== undefined ? { pattern: re } : {}),
        ...(at !== undefined ? { line: at } : {}),
        extended: false,
        text: body.join('\n'),
      });
    } else if (/^s\W/.test(cmd)) {
      for (const e of sedEdits(cmd, false)) {
        edits.push(
          e.kind === 's' && e.pattern === '' && global !== undefined ? { ...e, pattern: global } : e,
        );
      }
    }
  }
  return edits;
}

// The text a sed script puts in: replacements of `s`, and the lines of `a`, `i` and `c`.
function sedEdits(script: string, extended: boolean): FileEdit[] {
  const edits: FileEdit[] = [];
  let i = 0;
  const n = script.length;
  // Reads up to an unescaped `delim`, leaving `i` after it.
  const until = (delim: string): string => {
    let s = '';
    while (i < n && script[i] !== delim) {
      if (script[i] === '\\' && i + 1 < n) {
        s += script[i + 1] === delim ? delim : script.slice(i, i + 2);
        i += 2;
      } else {
        s += script[i++];
      }
    }
    i++;
    return s;
  };
  while (i < n) {
    while (i < n && /[\s;{}!]/.test(script[i] ?? '')) i++;
    let address: string | undefined;
    let line: '$' | number | undefined;
    // Addresses: line numbers, `$`, /re/ or \cREc, optionally a range and `!`.
    for (let part = 0; part < 2 && i < n; part++) {
      const ch = script[i] ?? '';
      if (/[0-9$+~]/.test(ch)) {
        const start = i;
        while (i < n && /[0-9$+~]/.test(script[i] ?? '')) i++;
        const written = script.slice(start, i);
        if (part === 0) line = written === '$' ? '$' : /^\d+$/.test(written) ? Number(written) : undefined;
      } else if (ch === '/') {
        i++;
        address = until('/');
        while (i < n && /[IM]/.test(script[i] ?? '')) i++;
      } else if (ch === '\\' && i + 1 < n) {
        const delim = script[i + 1] ?? '';
        i += 2;
        address = until(delim);
      } else {
        break;
      }
      if (script[i] !== ',') break;
      // A range: where the added text lands is not one line.
      line = undefined;
      i++;
    }
    while (i < n && /[\s!]/.test(script[i] ?? '')) i++;
    const cmd = script[i++] ?? '';
    if (cmd === 's' && i < n) {
      const delim = script[i++] ?? '/';
      const pattern = until(delim);
      const replacement = until(delim);
      const start = i;
      while (i < n && !/[;\n}]/.test(script[i] ?? '')) i++;
      edits.push({
        kind: 's',
        pattern,
        replacement,
        flags: script.slice(start, i).trim(),
        extended,
        text: fillReplacement(pattern, replacement, extended),
      });
    } else if (cmd === 'y' && i < n) {
      const delim = script[i++] ?? '/';
      until(delim);
      until(delim);
    } else if (cmd === 'a' || cmd === 'i' || cmd === 'c') {
      edits.push({
        kind: cmd,
        ...(address !== undefined ? { pattern: address } : {}),
        ...(line !== undefined ? { line } : {}),
        extended,
        text: sedText(script, i, (end) => (i = end)),
      });
    } else if (cmd !== '{' && cmd !== '}') {
      while (i < n && script[i] !== ';' && script[i] !== '\n') i++;
    }
  }
  return edits;
}

// The text of `a text`, `a\text` or `a\` followed by lines ending in `\`.
function sedText(script: string, start: number, advance: (end: number) => void): string {
  let i = start;
  while (i < script.length && (script[i] === ' ' || script[i] === '\t')) i++;
  if (script[i] === '\\') {
    i++;
    if (script[i] === '\n') i++;
  }
  const lines: string[] = [];
  for (;;) {
    const nl = script.indexOf('\n', i);
    const line = nl < 0 ? script.slice(i) : script.slice(i, nl);
    i = nl < 0 ? script.length : nl + 1;
    if (line.endsWith('\\') && nl >= 0) {
      lines.push(line.slice(0, -1));
      continue;
    }
    lines.push(line);
    break;
  }
  advance(i);
  return unescapeC(lines.join('\n').replace(/\\(?![nt\\])/g, ''), 'printf').text;
}

// Fills `&` and `\1`…`\9` of a replacement with an approximation of what they match.
function fillReplacement(pattern: string, replacement: string, extended: boolean): string {
  const groups = regexGroups(pattern, extended);
  let out = '';
  for (let i = 0; i < replacement.length; i++) {
    const ch = replacement[i] ?? '';
    if (ch === '&') out += approximate(pattern, extended);
    else if (ch === '\\' && i + 1 < replacement.length) {
      const next = replacement[++i] ?? '';
      if (/[1-9]/.test(next)) out += approximate(groups[Number(next) - 1] ?? '', extended);
      else out += next === 'n' ? '\n' : next === 't' ? '\t' : next;
    } else out += ch;
  }
  return out;
}

// The texts of a regular expression's groups, in the order their openings appear.
function regexGroups(re: string, extended: boolean): string[] {
  const groups: string[] = [];
  const open: { index: number; start: number }[] = [];
  for (let i = 0; i < re.length; i++) {
    const escaped = re[i] === '\\';
    const ch = escaped ? re[i + 1] : re[i];
    // BRE groups are `\(…\)`, ERE groups `(…)`.
    if ((ch === '(' || ch === ')') && escaped !== extended) {
      if (ch === '(') {
        groups.push('');
        // `(?:…)` in Perl does not count.
        if (extended && re[i + 1] === '?') {
          groups.pop();
          open.push({ index: -1, start: i + 1 });
        } else open.push({ index: groups.length - 1, start: i + (escaped ? 2 : 1) });
      } else {
        const g = open.pop();
        if (g && g.index >= 0) groups[g.index] = re.slice(g.start, i);
      }
    }
    if (escaped) i++;
  }
  return groups;
}

// A plain-text stand-in for what a regular expression matches: quantifiers, anchors and groups
// dropped, whitespace classes read as one space, other classes as their first character.
function approximate(re: string, extended: boolean): string {
  let out = '';
  for (let i = 0; i < re.length; i++) {
    const ch = re[i] ?? '';
    if (ch === '\\' && i + 1 < re.length) {
      const next = re[++i] ?? '';
      if (next === 's') out += ' ';
      else if (next === 't') out += '\t';
      else if (!'()+?{}|'.includes(next) || extended) out += next;
      else if (next === '{') i = re.indexOf('}', i) < 0 ? re.length : re.indexOf('}', i);
    } else if (ch === '[') {
      const end = classEnd(re, i);
      const cls = re.slice(i + 1, end);
      out += /\s|\\t|:space:|:blank:/.test(cls) ? ' ' : cls.startsWith('^') ? '' : (cls[0] ?? '');
      i = end;
    } else if (ch === '.' || ch === '*' || ch === '^' || ch === '$') {
      // matches anything or nothing in particular
    } else if (extended && '()+?|'.includes(ch)) {
      // grouping and quantifiers
    } else if (extended && ch === '{') {
      i = re.indexOf('}', i) < 0 ? re.length : re.indexOf('}', i);
    } else {
      out += ch;
    }
  }
  return out.replace(/ {2,}/g, ' ');
}

// Index of the `]` closing the bracket expression opened at `open` (`[[:space:]]`, `[]a]`).
function classEnd(re: string, open: number): number {
  let i = open + 1;
  if (re[i] === '^') i++;
  if (re[i] === ']') i++;
  while (i < re.length && re[i] !== ']') {
    if (re[i] === '[' && re[i + 1] === ':') {
      const close = re.indexOf(':]', i + 2);
      i = close < 0 ? re.length : close + 2;
    } else {
      i++;
    }
  }
  return Math.min(i, re.length);
}

const POSIX_CLASSES: Readonly<Record<string, string>> = {
  space: '\\s',
  blank: ' \\t',
  alpha: 'a-zA-Z',
  digit: '0-9',
  alnum: 'a-zA-Z0-9',
  upper: 'A-Z',
  lower: 'a-z',
  xdigit: '0-9a-fA-F',
  punct: '!-\\/:-@\\[-`{-~',
  print: ' -~',
  graph: '!-~',
  cntrl: '\\x00-\\x1f',
};

/** A sed (BRE/ERE) or Perl pattern as a JavaScript regular expression; undefined when it cannot be read. */
export function editRegex(pattern: string, extended: boolean, ignoreCase = false): RegExp | undefined {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] ?? '';
    if (ch === '\\' && i + 1 < pattern.length) {
      const next = pattern[++i] ?? '';
      if ('(){}+?|'.includes(next)) out += extended ? `\\${next}` : next;
      else if (next === '<' || next === '>') out += '\\b';
      else if (next === '`') out += '^';
      else if (next === "'") out += '$';
      else if (/[nt]/.test(next)) out += `\\${next}`;
      else if (/[sSwWbBdD1-9]/.test(next)) out += `\\${next}`;
      else if (/[A-Za-z0-9]/.test(next)) out += next;
      else out += `\\${next}`;
    } else if (ch === '[') {
      const end = classEnd(pattern, i);
      let cls = pattern.slice(i + 1, end);
      const negate = cls.startsWith('^');
      if (negate) cls = cls.slice(1);
      const lead = cls.startsWith(']') ? '\\]' : '';
      if (lead) cls = cls.slice(1);
      cls = cls.replace(/\[:([a-z]+):\]/g, (_m, name: string) => POSIX_CLASSES[name] ?? '');
      out += `[${negate ? '^' : ''}${lead}${cls.replace(/(?<!\\)\[/g, '\\[')}]`;
      i = end;
    } else if (!extended && '(){}+?|'.includes(ch)) {
      out += `\\${ch}`;
    } else if (!extended && ch === '*' && (out === '' || out === '^' || out.endsWith('('))) {
      out += '\\*';
    } else {
      out += ch;
    }
  }
  try {
    return new RegExp(out, ignoreCase ? 'i' : '');
  } catch {
    return undefined;
  }
}

// Fills a sed replacement from one match: `&`, `\1`…`\9`, `\n`.
function replaceWith(replacement: string, m: readonly (string | undefined)[]): string {
  let out = '';
  for (let i = 0; i < replacement.length; i++) {
    const ch = replacement[i] ?? '';
    if (ch === '&') out += m[0] ?? '';
    else if (ch === '\\' && i + 1 < replacement.length) {
      const next = replacement[++i] ?? '';
      if (/[0-9]/.test(next)) out += m[Number(next)] ?? '';
      else out += next === 'n' ? '\n' : next === 't' ? '\t' : next;
    } else out += ch;
  }
  return out;
}

/**
 * A file's lines after the edits, as sed/perl/awk/ed would leave them; undefined when an edit cannot be replayed
 * (a pattern the linter cannot read, text printed somewhere it cannot place).
 */
export function applyEdits(lines: readonly string[], edits: readonly FileEdit[]): string[] | undefined {
  let current = [...lines];
  for (const e of edits) {
    if (e.kind === 'text') return undefined;
    const re =
      e.pattern === undefined ? undefined : editRegex(e.pattern, e.extended, /[Ii]/.test(e.flags ?? ''));
    if (e.pattern !== undefined && !re) return undefined;
    if (e.kind === 's') {
      if (!re) return undefined;
      const global = (e.flags ?? '').includes('g');
      const all = new RegExp(re.source, `${re.flags}${global ? 'g' : ''}`);
      current = current.flatMap((l) =>
        l.replace(all, (...m) => replaceWith(e.replacement ?? '', m.slice(0, -2) as string[])).split('\n'),
      );
      continue;
    }
    const selected = (l: string, index: number): boolean =>
      e.line === '$'
        ? index === current.length - 1
        : typeof e.line === 'number'
          ? index === e.line - 1
          : re
            ? re.test(l)
            : true;
    const added = e.text.split('\n');
    if (e.line === '$' && current.length === 0 && e.kind !== 'c') {
      current = added;
      continue;
    }
    current = current.flatMap((l, index) => {
      if (!selected(l, index)) return [l];
      return e.kind === 'a' ? [l, ...added] : e.kind === 'i' ? [...added, l] : added;
    });
  }
  return current;
}

function postconfWrite(
  args: readonly string[],
): (Omit<Segment, 'loc' | 'instruction' | 'command'> & { path: string }) | undefined {
  let dir = '/etc/postfix';
  let file = 'main.cf';
  const settings: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '-c') dir = args[++i] ?? dir;
    else if (a.startsWith('-c') && a.length > 2) dir = a.slice(2);
    else if (a.startsWith('-') && /[MPF]/.test(a)) file = 'master.cf';
    else if (a.startsWith('-') && /X|#/.test(a)) return undefined;
    else if (!a.startsWith('-') && a.includes('=')) {
      const [name = '', value = ''] = a.split(/=(.*)/s);
      settings.push(`${name.trim()} = ${value.trim()}`);
    }
  }
  if (settings.length === 0) return undefined;
  return {
    path: `${dir.replace(/\/$/, '')}/${file}`,
    content: settings.join('\n'),
    mode: 'edit',
    via: 'postconf',
  };
}

function copyHeredocWrites(instruction: Instruction): FileWrite[] {
  if (instruction.heredocs.length === 0) return [];
  // Only the instruction line names the destination; the heredoc bodies follow it.
  const words = (instruction.argsText.split('\n')[0] ?? '').trim().split(/\s+/);
  const dest = words.at(-1) ?? '';
  if (dest.startsWith('<<')) return [];
  const intoDir = dest.endsWith('/') || instruction.heredocs.length > 1;
  return instruction.heredocs.map((h) => ({
    path: intoDir ? `${dest.replace(/\/?$/, '/')}${h.name}` : dest,
    content: `${stripsTabs(words, h.name) ? h.body.replace(/^\t+/gm, '') : h.body}\n`,
    mode: 'replace' as const,
    via: 'copy-heredoc' as const,
    loc: h.loc,
    instruction,
  }));
}

// `<<-NAME` (also quoted) strips leading tabs from the body, as in the shell.
function stripsTabs(words: readonly string[], name: string): boolean {
  return words.some((w) => w.startsWith('<<-') && w.slice(3).replace(/^["']|["']$/g, '') === name);
}
