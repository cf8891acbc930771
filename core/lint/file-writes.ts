import { hasFlag, operands, unwrap } from '../dockerfile/command-args.js';
import type { Command, Instruction } from '../dockerfile/model.js';
import type { Loc } from '../dockerfile/source-map.js';
import type { RuleContext, RunCommand } from './rule.js';

/** How a write changes its file: adds to the end, replaces the whole file, or edits it in place. */
export type WriteMode = 'append' | 'replace' | 'edit';

/** What put the text in the file. */
export type WriteVia = 'redirect' | 'tee' | 'sed' | 'postconf' | 'copy-heredoc';

/** Text a RUN (or a COPY heredoc) puts into a file, as far as the Dockerfile alone tells. */
export interface FileWrite {
  /** The file as written, expansions kept (`/etc/sudoers.d/$USER`). */
  readonly path: string;
  /** The text written; for `edit`, only the new text, one line per edit (sed replacement or a/i/c line, postconf `name = value`). */
  // sed back-references are filled with an approximation of their group's text (`\1 yes` → `PermitRootLogin yes`).
  readonly content: string;
  readonly mode: WriteMode;
  readonly via: WriteVia;
  /** For sed edits, the regular expressions of the edits (`s` patterns and `/re/` addresses), one a line. */
  readonly pattern?: string;
  readonly loc: Loc;
  readonly instruction: Instruction;
  /** The command that writes; absent for COPY heredocs. */
  readonly command?: Command;
}

const STDOUT_OPS: Readonly<Record<string, WriteMode>> = {
  '>': 'replace',
  '>|': 'replace',
  '&>': 'replace',
  '>>': 'append',
  '&>>': 'append',
};
const NOT_FILES = /^\/dev\/(null|stdout|stderr|tty|fd\/\d+)$/;

/**
 * Every file write whose text the Dockerfile shows (echo/printf/cat heredoc redirected, tee, sed -i,
 * postconf, COPY heredoc), in instruction order; writes of unknown text (`curl > file`) are left out.
 */
export function fileWrites(
  ctx: Pick<RuleContext, 'commands' | 'instructions' | 'nonPosixShell'>,
): FileWrite[] {
  // Several rules ask for the same file's writes; the answer depends only on the parse, so keep it.
  const key = ctx.commands();
  let found = cache.get(key);
  if (!found) {
    found = computeFileWrites(ctx);
    cache.set(key, found);
  }
  return found;
}

const cache = new WeakMap<object, FileWrite[]>();

function computeFileWrites(
  ctx: Pick<RuleContext, 'commands' | 'instructions' | 'nonPosixShell'>,
): FileWrite[] {
  const out: FileWrite[] = [];
  const runs = ctx.commands();
  for (const { command, instruction } of runs) {
    // Under pwsh or cmd the script was not written for a POSIX shell, so its parse says nothing.
    if (ctx.nonPosixShell(instruction)) continue;
    const siblings = runs.filter((r) => r.instruction === instruction).map((r) => r.command);
    const at = { loc: command.loc, instruction, command };
    const stdout = stdoutOf(command, siblings);
    const redirect = command.redirects
      .filter((r) => r.op in STDOUT_OPS && (r.fd === undefined || r.fd === '1'))
      .at(-1);
    if (stdout !== undefined && redirect && !NOT_FILES.test(redirect.target)) {
      const mode = STDOUT_OPS[redirect.op] ?? 'replace';
      out.push({ path: redirect.target, content: stdout, mode, via: 'redirect', ...at });
    }
    const { name, args } = unwrap(command);
    if (name === 'tee') {
      const input = stdinOf(command, siblings);
      if (input === undefined) continue;
      const append = args.some((a) => a === '--append' || /^-[a-z]*a/.test(a));
      for (const path of args.filter((a) => !a.startsWith('-') && !NOT_FILES.test(a))) {
        out.push({ path, content: input, mode: append ? 'append' : 'replace', via: 'tee', ...at });
      }
    } else if (name === 'sed') {
      out.push(...sedWrites(args).map((w) => ({ ...w, ...at })));
    } else if (name === 'postconf') {
      const write = postconfWrite(args);
      if (write) out.push({ ...write, ...at });
    }
  }
  for (const instruction of ctx.instructions) {
    if (instruction.keyword === 'COPY') out.push(...copyHeredocWrites(instruction));
  }
  return out.sort((a, b) => a.instruction.index - b.instruction.index);
}

/** A file a RUN command creates or replaces, whether or not the Dockerfile shows its text. */
export interface FileTarget {
  /** The file as written, expansions kept. */
  readonly path: string;
  readonly via: 'redirect' | 'tee' | 'cp' | 'mv' | 'install';
  /** For cp, mv and install: the file put in place. */
  readonly source?: string;
  readonly loc: Loc;
  readonly instruction: Instruction;
  readonly command: Command;
}

// install's and cp's options that take the next argument as their value.
const PUT_VALUE_FLAGS = ['m', 'mode', 'o', 'owner', 'g', 'group', 'S', 'suffix', 't', 'target-directory'];

/**
 * Every file a RUN command writes (`>`/`>>` redirects, tee) or puts in place (cp, mv, install),
 * text known or not; see fileWrites for the text. When a cp/mv/install destination may be a
 * directory (one source, no trailing slash), both the destination and the file inside it are listed.
 */
export function fileTargets(ctx: Pick<RuleContext, 'commands' | 'nonPosixShell'>): FileTarget[] {
  const out: FileTarget[] = [];
  for (const { command, instruction } of ctx.commands()) {
    if (ctx.nonPosixShell(instruction)) continue;
    const at = { loc: command.loc, instruction, command };
    for (const r of command.redirects) {
      if (r.op in STDOUT_OPS && (r.fd === undefined || r.fd === '1') && !NOT_FILES.test(r.target)) {
        out.push({ path: r.target, via: 'redirect', ...at });
      }
    }
    const { name, args } = unwrap(command);
    if (name === 'tee') {
      for (const path of args.filter((a) => !a.startsWith('-') && !NOT_FILES.test(a))) {
        out.push({ path, via: 'tee', ...at });
      }
    } else if (
      name === 'cp' ||
      name === 'mv' ||
      (name === 'install' && !hasFlag({ args }, 'd', 'directory'))
    ) {
      const via: FileTarget['via'] = name === 'cp' ? 'cp' : name === 'mv' ? 'mv' : 'install';
      out.push(...putTargets(args).map((t) => ({ ...t, via, ...at })));
    }
  }
  return out;
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
 * The text a RUN command reads on standard input (its heredoc, its here-string, or what the stage
 * before it in a pipeline prints), when the Dockerfile shows it: `echo 'root:x' | chpasswd` → `root:x\n`.
 */
export function commandInput(ctx: Pick<RuleContext, 'commands'>, run: RunCommand): string | undefined {
  const siblings = ctx
    .commands()
    .filter((r) => r.instruction === run.instruction)
    .map((r) => r.command);
  return stdinOf(run.command, siblings);
}

// What a command prints, when its arguments or its heredoc tell; undefined when unknown.
function stdoutOf(command: Command, siblings: readonly Command[], depth = 0): string | undefined {
  const { name, args } = unwrap(command);
  if (name === 'echo') return echoText(args);
  if (name === 'printf') return printfText(args);
  if (depth < 5 && (name === 'cat' || name === 'tee')) {
    // cat prints its stdin only when it has no file operands other than `-`; tee always does.
    if (name === 'cat' && args.some((a) => !a.startsWith('-'))) return undefined;
    return stdinOf(command, siblings, depth + 1);
  }
  return undefined;
}

// What a command reads: its heredoc or here-string, or what the previous stage of its pipeline prints.
function stdinOf(command: Command, siblings: readonly Command[], depth = 0): string | undefined {
  const own = command.redirects.filter((r) => r.op === '<<' || r.op === '<<<').at(-1);
  if (own) return own.op === '<<' ? `${own.body ?? ''}\n` : `${own.target}\n`;
  const p = command.pipeline;
  if (!p || p.position === 0) return undefined;
  // A `{ echo a; echo b; } | tee f` stage has several commands at one position; their output joins.
  const texts = siblings
    .filter(
      (c) =>
        c.pipeline?.id === p.id && c.pipeline.position === p.position - 1 && c.context === command.context,
    )
    .map((c) => stdoutOf(c, siblings, depth));
  const known = texts.filter((t): t is string => t !== undefined);
  return known.length > 0 ? known.join('') : undefined;
}

function echoText(args: readonly string[]): string {
  let i = 0;
  while (i < args.length && /^-[neE]+$/.test(args[i] ?? '')) i++;
  const noNewline = args.slice(0, i).some((a) => a.includes('n'));
  // dash's echo always reads backslash escapes; bash's does with -e: reading them suits both for matching.
  return unescapeC(args.slice(i).join(' ')) + (noNewline ? '' : '\n');
}

function printfText(args: readonly string[]): string {
  const [format = '', ...values] = args;
  let out = '';
  const rest = [...values];
  // printf reuses its format until every argument is consumed.
  do {
    let used = 0;
    out += unescapeC(format).replace(/%(%|[-+ #0-9.]*[sbdiuxXoc])/g, (spec, kind: string) => {
      if (kind === '%') return '%';
      used++;
      const v = rest.shift() ?? '';
      return spec.endsWith('b') ? unescapeC(v) : v;
    });
    if (used === 0) break;
  } while (rest.length > 0);
  return out;
}

function unescapeC(s: string): string {
  return s.replace(/\\([nt\\])/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : '\\'));
}

// sed's options that take the next argument as their value.
const SED_VALUE_FLAGS = new Set(['f', 'l', 'file', 'line-length']);

function sedWrites(args: readonly string[]): Omit<FileWrite, 'loc' | 'instruction' | 'command'>[] {
  const scripts: string[] = [];
  const files: string[] = [];
  let inPlace = false;
  let extended = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '--') {
      files.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const [name = '', value] = a.slice(2).split(/=(.*)/s);
      if (name === 'expression') scripts.push(value ?? args[++i] ?? '');
      else if (name === 'in-place') inPlace = true;
      else if (name === 'regexp-extended') extended = true;
      else if (SED_VALUE_FLAGS.has(name) && value === undefined) i++;
    } else if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const ch = a[j] ?? '';
        // -i takes the rest of the word as a backup suffix; -e takes the rest or the next argument.
        if (ch === 'i') {
          inPlace = true;
          break;
        }
        if (ch === 'E' || ch === 'r') extended = true;
        if (ch === 'e') {
          scripts.push(j + 1 < a.length ? a.slice(j + 1) : (args[++i] ?? ''));
          break;
        }
        if (SED_VALUE_FLAGS.has(ch)) {
          if (j + 1 === a.length) i++;
          break;
        }
      }
    } else {
      files.push(a);
    }
  }
  if (!inPlace) return [];
  if (scripts.length === 0 && files.length > 0) scripts.push(files.shift() ?? '');
  const edits = scripts.flatMap((s) => sedEdits(s, extended));
  if (edits.length === 0) return [];
  const content = edits.map((e) => e.text).join('\n');
  const patterns = edits.map((e) => e.pattern).filter((p): p is string => p !== undefined);
  return files.map((path) => ({
    path,
    content,
    mode: 'edit' as const,
    via: 'sed' as const,
    ...(patterns.length > 0 ? { pattern: patterns.join('\n') } : {}),
  }));
}

interface SedEdit {
  readonly pattern?: string;
  readonly text: string;
}

// The text a sed script puts in: replacements of `s`, and the lines of `a`, `i` and `c`.
function sedEdits(script: string, extended: boolean): SedEdit[] {
  const edits: SedEdit[] = [];
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
    // Addresses: line numbers, `$`, /re/ or \cREc, optionally a range and `!`.
    for (let part = 0; part < 2 && i < n; part++) {
      const ch = script[i] ?? '';
      if (/[0-9$+~]/.test(ch)) {
        while (i < n && /[0-9$+~]/.test(script[i] ?? '')) i++;
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
      i++;
    }
    while (i < n && /[\s!]/.test(script[i] ?? '')) i++;
    const cmd = script[i++] ?? '';
    if (cmd === 's' && i < n) {
      const delim = script[i++] ?? '/';
      const pattern = until(delim);
      const replacement = until(delim);
      while (i < n && !/[;\n}]/.test(script[i] ?? '')) i++;
      edits.push({ pattern, text: fillReplacement(pattern, replacement, extended) });
    } else if (cmd === 'y' && i < n) {
      const delim = script[i++] ?? '/';
      until(delim);
      until(delim);
    } else if (cmd === 'a' || cmd === 'i' || cmd === 'c') {
      edits.push({
        ...(address !== undefined ? { pattern: address } : {}),
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
  return unescapeC(lines.join('\n').replace(/\\(?![nt\\])/g, ''));
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
        open.push({ index: groups.length - 1, start: i + (escaped ? 2 : 1) });
      } else {
        const g = open.pop();
        if (g) groups[g.index] = re.slice(g.start, i);
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

function postconfWrite(
  args: readonly string[],
): Omit<FileWrite, 'loc' | 'instruction' | 'command'> | undefined {
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
