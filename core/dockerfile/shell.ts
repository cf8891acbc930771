import type { Node } from 'mvdan-sh';
import type { Command, CommandContext, Redirect, ShellScript, Word } from './model.js';
import { shellParser } from './mvdan.js';
import type { SourceMap } from './source-map.js';

// mvdan/sh BinCmdOperator values for `|` and `|&`; heredoc redirect operators `<<` and `<<-`.
const PIPE_OPS = new Set([12, 13]);
const HEREDOC_OPS = new Set([61, 62]);
const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh', 'mksh', 'busybox']);

/** Where a script sits in the Dockerfile, so command positions can be reported there. */
export interface ScriptOrigin {
  readonly map: SourceMap;
  /** Offset in the Dockerfile of the script's first character; -1 when the script is not verbatim there. */
  readonly offset: number;
  /** Position to report when the script is not verbatim in the Dockerfile. */
  readonly fallback: number;
  readonly context: CommandContext;
  readonly parent?: Command;
  /**
   * Maps a script offset to its Dockerfile offset when the script is the RUN text with edits (values spliced in by
   * the stage's evaluation); without it, script offset + `offset`.
   */
  readonly remap?: (scriptOffset: number) => number;
}

interface Scan {
  readonly text: string;
  readonly byteToChar: ((byte: number) => number) | null;
  readonly origin: ScriptOrigin;
  readonly out: Command[];
  nextPipeline: { value: number };
}

/** What parseShell keeps of a script's syntax, so the stage evaluation need not parse it again. */
export interface ScriptSyntax {
  /** The mvdan/sh File node (GopherJS internal object). */
  readonly file: Node;
  /** For each top-level statement, the index in `commands` of its first command. */
  readonly firsts: readonly number[];
}

const syntaxes = new WeakMap<ShellScript, ScriptSyntax>();
const commandsByNode = new WeakMap<Node, Command>();

/** The command parseShell made of a CallExpr or DeclClause node of a tree syntaxOf gave. */
export function commandAt(node: Node): Command | undefined {
  return commandsByNode.get(node);
}

/** The syntax tree parseShell built for a script, when it parsed. */
export function syntaxOf(script: ShellScript): ScriptSyntax | undefined {
  return syntaxes.get(script);
}

/**
 * Parses a shell script into the commands it runs, including those in substitutions, `sh -c` and heredocs;
 * `firstStatement` numbers the statements when the script is one statement of a longer one.
 */
export function parseShell(
  text: string,
  origin: ScriptOrigin,
  pipelineCounter = { value: 0 },
  firstStatement = 0,
): ShellScript {
  return (
    plainCommand(text, origin, firstStatement) ??
    parseShellWithMvdan(text, origin, pipelineCounter, firstStatement)
  );
}

// A script of plain words only: no quote, expansion, escape, operator, glob, comment, brace or newline, so mvdan/sh
// would read it as one CallExpr of Lit words. A third of the RUNs in the bench corpus are such (`apt-get update`).
const PLAIN_SCRIPT = /^[ \t]*[A-Za-z0-9_./:,@%+^-][A-Za-z0-9_./:,@%+^=\t -]*$/;
// First words that mvdan/sh reads as a clause or declaration rather than a call.
const CLAUSE_WORDS = new Set([
  'if',
  'then',
  'elif',
  'else',
  'fi',
  'for',
  'in',
  'do',
  'done',
  'while',
  'until',
  'case',
  'esac',
  'select',
  'function',
  'time',
  'coproc',
  'let',
  'declare',
  'export',
  'local',
  'readonly',
  'typeset',
  'nameref',
]);

/**
 * The command of a script of one plain simple command, built without mvdan/sh (whose fixed cost per parse was most
 * of the parse time of such RUNs); undefined when the script is anything else. Gives the same Command mvdan's path
 * gives (test/core/dockerfile/shell.test.ts compares them); no syntax is kept, as the stage evaluation only parses
 * again scripts with a `$`.
 */
function plainCommand(text: string, origin: ScriptOrigin, statement: number): ShellScript | undefined {
  if (text.length > 2000 || !PLAIN_SCRIPT.test(text)) return undefined;
  const words: Word[] = [];
  let first = -1;
  let last = 0;
  for (let i = 0; i < text.length; ) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < text.length && text.charCodeAt(j) !== 32 && text.charCodeAt(j) !== 9) j++;
    const value = text.slice(i, j);
    words.push({ value, literal: true, quoted: false, raw: value });
    if (first < 0) first = i;
    last = j;
    i = j;
  }
  const name = words[0]?.value;
  // `A=1 cmd` starts with an assignment; `sh -c x` has a nested script: both go to mvdan/sh.
  if (name === undefined || name.includes('=') || CLAUSE_WORDS.has(name)) return undefined;
  const args = words.slice(1).map((w) => w.value);
  if (shellCString({ name, args }) !== undefined) return undefined;
  const start = toDocOffset(origin, first);
  const command: Command = {
    name,
    args,
    words: words.slice(1),
    assigns: [],
    redirects: [],
    loc: origin.map.locOf(start),
    start,
    end: origin.offset < 0 ? start : toDocOffset(origin, last),
    context: origin.context,
    statement,
    ...(origin.parent ? { parent: origin.parent } : {}),
  };
  return { source: text, commands: [command] };
}

/** parseShell, always through mvdan/sh (parseShell skips it for a plain simple command). */
export function parseShellWithMvdan(
  text: string,
  origin: ScriptOrigin,
  pipelineCounter = { value: 0 },
  firstStatement = 0,
): ShellScript {
  let file: Node;
  try {
    // Walk GopherJS's internal objects: the exported wrappers copy every field on every access,
    // which made walking ten times slower than parsing.
    file = shellParser().Parse(text, 'RUN').__internal_object__;
  } catch (err) {
    return { source: text, commands: [], error: shellError(err, text, origin) };
  }
  const scan: Scan = { text, byteToChar: byteMapper(text), origin, out: [], nextPipeline: pipelineCounter };
  const firsts = walkFile(file, scan, firstStatement);
  const script: ShellScript = { source: text, commands: scan.out };
  syntaxes.set(script, { file, firsts });
  return script;
}

/**
 * Builds the command of an exec-form RUN (`["apt-get", "install", "x"]`), parsing `sh -c` scripts inside it;
 * `pipelineCounter` is the file's, so pipeline ids stay unique across RUNs.
 */
export function execFormCommands(
  argv: readonly string[],
  origin: ScriptOrigin,
  pipelineCounter = { value: 0 },
): ShellScript {
  if (argv.length === 0) return { source: '', commands: [] };
  const loc = origin.map.locOf(origin.fallback);
  const words = argv.map((value) => ({ value, literal: true, quoted: true, raw: JSON.stringify(value) }));
  const cmd: Command = {
    name: argv[0] ?? '',
    args: argv.slice(1),
    words: words.slice(1),
    assigns: [],
    redirects: [],
    loc,
    start: origin.fallback,
    end: origin.fallback,
    context: 'exec-form',
    statement: 0,
  };
  const out: Command[] = [cmd];
  const script = shellCString(cmd);
  if (script !== undefined) {
    const nested = parseShell(
      script,
      { ...origin, offset: -1, context: 'sh-c', parent: cmd },
      pipelineCounter,
    );
    if (nested.error) return { source: argv.join(' '), commands: out, error: nested.error };
    out.push(...nested.commands);
  }
  return { source: argv.join(' '), commands: out };
}

function shellError(err: unknown, text: string, origin: ScriptOrigin) {
  // GopherJS throws a Go error value; its message reads "RUN:LINE:COL: what went wrong".
  const raw = errorText(err);
  const m = /^RUN:(\d+):(\d+): (.*)$/s.exec(raw);
  const message = m?.[3] ?? raw;
  if (!m || origin.offset < 0) return { message, loc: origin.map.locOf(origin.fallback) };
  const line = Number(m[1]);
  const col = Number(m[2]);
  let offset = 0;
  for (let l = 1; l < line; l++) offset = text.indexOf('\n', offset) + 1;
  return { message, loc: origin.map.locOf(toDocOffset(origin, offset + col - 1)) };
}

function errorText(err: unknown): string {
  if (err && typeof err === 'object') {
    const e = err as { Error?: () => string; message?: string };
    if (typeof e.Error === 'function') return e.Error();
    if (typeof e.message === 'string') return e.message;
  }
  return String(err);
}

export function byteMapper(text: string): ((byte: number) => number) | null {
  // mvdan/sh reports UTF-8 byte offsets; map them back to string indices for non-ASCII scripts.
  if (!hasNonAscii(text)) return null;
  const table: number[] = [];
  const enc = new TextEncoder();
  for (let i = 0; i < text.length; i++) {
    const cp = text.codePointAt(i) ?? 0;
    const bytes = enc.encode(String.fromCodePoint(cp)).length;
    for (let b = 0; b < bytes; b++) table.push(i);
    if (cp > 0xffff) i++;
  }
  return (byte) => (byte >= table.length ? text.length : (table[byte] ?? text.length));
}

export function hasNonAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 127) return true;
  return false;
}

function charOf(scan: Scan, byte: number): number {
  return scan.byteToChar ? scan.byteToChar(byte) : byte;
}

function slice(scan: Scan, node: Node): string {
  return scan.text.slice(charOf(scan, node.Pos().Offset()), charOf(scan, node.End().Offset()));
}

function docOffset(scan: Scan, node: Node): number {
  return toDocOffset(scan.origin, charOf(scan, node.Pos().Offset()));
}

/** The Dockerfile offset of a script offset, per the script's origin. */
function toDocOffset(origin: ScriptOrigin, at: number): number {
  if (origin.offset < 0) return origin.fallback;
  return origin.remap ? origin.remap(at) : origin.offset + at;
}

function walkFile(file: Node, scan: Scan, firstStatement: number): number[] {
  const firsts: number[] = [];
  for (const [i, stmt] of items(file.Stmts).entries()) {
    firsts.push(scan.out.length);
    walkStmt(stmt, scan, { statement: firstStatement + i });
  }
  return firsts;
}

/** The Go type name of an internal node (`CallExpr`), or undefined for a nil pointer or interface. */
export function kind(node: Node | null | undefined): string | undefined {
  const ctor = node?.constructor as { string?: string; nil?: unknown } | undefined;
  const type = ctor?.string;
  if (type === undefined || node === ctor?.nil) return undefined;
  return type.startsWith('*syntax.') ? type.slice(8) : type;
}

/** The elements of a GopherJS slice. */
export function items(slice: Node | null | undefined): Node[] {
  if (!slice?.$array) return [];
  return slice.$array.slice(slice.$offset, slice.$offset + slice.$length);
}

/** A Go string as JavaScript text (GopherJS keeps Go strings as UTF-8 bytes, one per char). */
export function goString(s: string): string {
  if (!hasNonAscii(s)) return s;
  const bytes = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i) & 0xff;
  return new TextDecoder().decode(bytes);
}

interface Ctx {
  readonly statement: number;
  readonly pipeline?: { id: number; position: number; length: number };
  readonly parent?: Command;
  readonly substitution?: boolean;
}

function walkStmts(stmts: Node | undefined, scan: Scan, ctx: Ctx): void {
  for (const s of items(stmts)) walkStmt(s, scan, ctx);
}

function walkStmt(stmt: Node | null | undefined, scan: Scan, ctx: Ctx): void {
  if (!kind(stmt)) return;
  const cmd: Node | null = kind(stmt?.Cmd) ? stmt?.Cmd : null;
  const redirs: Node[] = items(stmt?.Redirs);
  let made: Command | undefined;
  if (cmd) made = walkCmd(cmd, scan, ctx, redirs);
  for (const r of redirs) {
    if (kind(r.Word)) walkWord(r.Word, scan, { ...ctx, parent: made ?? ctx.parent });
    if (kind(r.Hdoc)) {
      walkWord(r.Hdoc, scan, { ...ctx, parent: made ?? ctx.parent });
      // A heredoc fed to a bare redirect or to a shell without -c is the script that runs.
      const feedsShell =
        !cmd || (made && SHELLS.has(baseName(made.name)) && shellCString(made) === undefined);
      if (HEREDOC_OPS.has(r.Op) && feedsShell) walkHeredocScript(r, scan, ctx, made);
    }
  }
}

function heredocBody(redir: Node, scan: Scan): string {
  const delimiter = kind(redir.Word) ? toWord(redir.Word, scan).value : '';
  // The heredoc node runs up to and including its delimiter line; the body is what comes before it.
  const lines = slice(scan, redir.Hdoc).split('\n');
  while (lines.length > 0 && ['', delimiter].includes((lines[lines.length - 1] ?? '').trim())) lines.pop();
  return lines.join('\n');
}

function toRedirect(r: Node, scan: Scan): Redirect {
  const target = kind(r.Word) ? toWord(r.Word, scan).value : '';
  const fd: string | undefined = kind(r.N) ? goString(r.N.Value) : undefined;
  const raw = kind(r.Hdoc) && HEREDOC_OPS.has(r.Op) ? heredocBody(r, scan) : undefined;
  // `<<-` strips leading tabs from every body line, as the shell does.
  const body = raw !== undefined && r.Op === 62 ? raw.replace(/^\t+/gm, '') : raw;
  return { op: redirOp(r.Op), target, ...(fd ? { fd } : {}), ...(body !== undefined ? { body } : {}) };
}

function walkHeredocScript(redir: Node, scan: Scan, ctx: Ctx, parent: Command | undefined): void {
  const hdoc: Node = redir.Hdoc;
  const body = heredocBody(redir, scan);
  const start = charOf(scan, hdoc.Pos().Offset());
  const outer = scan.origin;
  const remap = outer.remap;
  const origin: ScriptOrigin = {
    ...outer,
    offset: outer.offset < 0 ? -1 : outer.offset + start,
    context: 'heredoc',
    ...(parent ? { parent } : {}),
    ...(remap ? { remap: (at: number) => remap(start + at) } : {}),
  };
  const nested = parseShell(body, origin, scan.nextPipeline);
  for (const c of nested.commands) scan.out.push({ ...c, statement: c.statement + ctx.statement * 1000 });
}

function walkCmd(cmd: Node, scan: Scan, ctx: Ctx, redirs: Node[]): Command | undefined {
  switch (kind(cmd)) {
    case 'CallExpr':
      return walkCall(cmd, scan, ctx, redirs);
    case 'BinaryCmd': {
      if (PIPE_OPS.has(cmd.Op)) {
        const leaves: Node[] = [];
        flattenPipe(cmd, leaves);
        const id = ++scan.nextPipeline.value;
        for (const [position, leaf] of leaves.entries()) {
          walkStmt(leaf, scan, { ...ctx, pipeline: { id, position, length: leaves.length } });
        }
      } else {
        walkStmt(cmd.X, scan, ctx);
        walkStmt(cmd.Y, scan, ctx);
      }
      return undefined;
    }
    case 'Subshell':
    case 'Block':
      walkStmts(cmd.Stmts, scan, ctx);
      return undefined;
    case 'IfClause':
      walkIf(cmd, scan, ctx);
      return undefined;
    case 'WhileClause':
      walkStmts(cmd.Cond, scan, ctx);
      walkStmts(cmd.Do, scan, ctx);
      return undefined;
    case 'ForClause':
      walkLoop(cmd.Loop, scan, ctx);
      walkStmts(cmd.Do, scan, ctx);
      return undefined;
    case 'CaseClause':
      walkWord(cmd.Word, scan, ctx);
      for (const item of items(cmd.Items)) walkStmts(item.Stmts, scan, ctx);
      return undefined;
    case 'FuncDecl':
      walkStmt(cmd.Body, scan, ctx);
      return undefined;
    case 'TimeClause':
    case 'CoprocClause':
      walkStmt(cmd.Stmt, scan, ctx);
      return undefined;
    case 'DeclClause':
      return walkDecl(cmd, scan, ctx, redirs);
    default:
      return undefined;
  }
}

function walkIf(clause: Node | null | undefined, scan: Scan, ctx: Ctx): void {
  for (let c = clause; c && kind(c); c = c.Else) {
    walkStmts(c.Cond, scan, ctx);
    walkStmts(c.Then, scan, ctx);
  }
}

function walkLoop(loop: Node | null, scan: Scan, ctx: Ctx): void {
  if (kind(loop) !== 'WordIter') return;
  for (const w of items(loop?.Items)) walkWord(w, scan, ctx);
}

function flattenPipe(node: Node, out: Node[]): void {
  for (const side of [node.X, node.Y]) {
    const inner = side?.Cmd;
    if (kind(inner) === 'BinaryCmd' && PIPE_OPS.has(inner.Op) && items(side.Redirs).length === 0) {
      flattenPipe(inner, out);
    } else if (kind(side)) {
      out.push(side);
    }
  }
}

function walkCall(call: Node, scan: Scan, ctx: Ctx, redirs: Node[]): Command | undefined {
  const args: Node[] = items(call.Args);
  const assignNodes = items(call.Assigns);
  const assigns: string[] = assignNodes.map((a: Node) => slice(scan, a));
  const words = args.map((w) => toWord(w, scan));
  if (words.length === 0) {
    for (const a of assignNodes) if (kind(a.Value)) walkWord(a.Value, scan, ctx);
    return undefined;
  }
  const first = words[0]!;
  const command = addCommand(call, scan, ctx, redirs, {
    name: first.literal ? first.value : '',
    words: words.slice(1),
    assigns,
  });
  const start = command.start;
  for (const a of assignNodes) if (kind(a.Value)) walkWord(a.Value, scan, { ...ctx, parent: command });
  for (const w of args) walkWord(w, scan, { statement: ctx.statement, parent: command });
  const script = shellCString(command);
  if (script !== undefined) {
    const scriptWord = words[words.findIndex((w) => w.value === script)] ?? first;
    if (scriptWord.literal) {
      const nested = parseShell(
        script,
        { ...scan.origin, offset: -1, fallback: start, context: 'sh-c', parent: command },
        scan.nextPipeline,
      );
      for (const c of nested.commands) scan.out.push({ ...c, statement: ctx.statement });
    }
  }
  return command;
}

/** Records a command found at `node`, with its position, context, parent and pipeline. */
function addCommand(
  node: Node,
  scan: Scan,
  ctx: Ctx,
  redirs: Node[],
  what: { name: string; words: Word[]; assigns: string[] },
): Command {
  const start = docOffset(scan, node);
  const command: Command = {
    name: what.name,
    args: what.words.map((w) => w.value),
    words: what.words,
    assigns: what.assigns,
    redirects: redirs.map((r) => toRedirect(r, scan)),
    loc: scan.origin.map.locOf(start),
    start,
    end: scan.origin.offset < 0 ? start : toDocOffset(scan.origin, charOf(scan, node.End().Offset())),
    context: ctx.substitution ? 'substitution' : scan.origin.context,
    statement: ctx.statement,
    ...(ctx.parent ? { parent: ctx.parent } : scan.origin.parent ? { parent: scan.origin.parent } : {}),
    ...(ctx.pipeline ? { pipeline: ctx.pipeline } : {}),
  };
  scan.out.push(command);
  commandsByNode.set(node, command);
  return command;
}

/** `export A=1 B`, `declare -x C="d"`, `readonly E`: a command named for the builtin, one arg per assignment. */
function walkDecl(decl: Node, scan: Scan, ctx: Ctx, redirs: Node[]): Command {
  const args = items(decl.Args).map((a: Node) => {
    const name = kind(a.Name) ? goString(a.Name.Value) : '';
    const value = kind(a.Value) ? toWord(a.Value, scan).value : undefined;
    // Options (`-x`) come as nameless values; `export X` is a bare name; `X=` an empty value.
    if (!name) return value ?? slice(scan, a);
    if (value === undefined) return a.Naked ? name : `${name}=`;
    return `${name}=${value}`;
  });
  const command = addCommand(decl, scan, ctx, redirs, {
    name: kind(decl.Variant) ? goString(decl.Variant.Value) : 'declare',
    words: args.map((value) => ({ value, literal: true, quoted: false, raw: value })),
    assigns: [],
  });
  for (const a of items(decl.Args)) if (kind(a.Value)) walkWord(a.Value, scan, { ...ctx, parent: command });
  return command;
}

// 63–65 are the here-string `<<<` and bash's `&>` / `&>>` (stdout and stderr to a file).
const REDIR_OPS: Record<number, string> = {
  54: '>',
  55: '>>',
  56: '<',
  57: '<>',
  58: '<&',
  59: '>&',
  60: '>|',
  63: '<<<',
  64: '&>',
  65: '&>>',
};

function redirOp(op: number): string {
  return REDIR_OPS[op] ?? (HEREDOC_OPS.has(op) ? '<<' : `op${op}`);
}

/** Finds the script of `sh -c SCRIPT` (also `bash -ec`, `busybox sh -c`); undefined when not such a command. */
export function shellCString(cmd: Pick<Command, 'name' | 'args'>): string | undefined {
  let args = cmd.args;
  let name = baseName(cmd.name);
  if (name === 'busybox' && args[0] && SHELLS.has(args[0])) {
    name = args[0];
    args = args.slice(1);
  }
  if (!SHELLS.has(name) || name === 'busybox') return undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '--') return undefined;
    if (/^-[a-zA-Z]*c[a-zA-Z]*$/.test(a)) {
      // Options like `-o pipefail` take a value; skip past them to the script.
      for (let j = i + 1; j < args.length; j++) {
        const next = args[j] ?? '';
        if (next === '-o' || next === '+o') {
          j++;
          continue;
        }
        if (/^[-+][a-zA-Z]+$/.test(next)) continue;
        return next;
      }
      return undefined;
    }
    if (a === '-o' || a === '+o') i++;
    else if (!a.startsWith('-') && !a.startsWith('+')) return undefined;
  }
  return undefined;
}

/** The last path component of a command name (`/usr/bin/curl` → `curl`). */
export function baseName(name: string): string {
  const i = name.lastIndexOf('/');
  return i < 0 ? name : name.slice(i + 1);
}

function walkWord(word: Node | null | undefined, scan: Scan, ctx: Ctx): void {
  if (!kind(word)) return;
  for (const part of items(word?.Parts)) walkPart(part, scan, ctx);
}

/** Finds the command substitutions inside one word part, however deeply quoted or expanded. */
function walkPart(part: Node, scan: Scan, ctx: Ctx): void {
  switch (kind(part)) {
    case 'CmdSubst':
    case 'ProcSubst':
      walkStmts(part.Stmts, scan, { statement: ctx.statement, parent: ctx.parent, substitution: true });
      return;
    case 'DblQuoted':
      for (const p of items(part.Parts)) walkPart(p, scan, ctx);
      return;
    case 'ParamExp':
      if (kind(part.Exp) && kind(part.Exp.Word)) walkWord(part.Exp.Word, scan, ctx);
      if (kind(part.Repl)) {
        if (kind(part.Repl.Orig)) walkWord(part.Repl.Orig, scan, ctx);
        if (kind(part.Repl.With)) walkWord(part.Repl.With, scan, ctx);
      }
      return;
    case 'BraceExp':
      for (const w of items(part.Elems)) walkWord(w, scan, ctx);
      return;
    default:
      return;
  }
}

interface WordState {
  value: string;
  literal: boolean;
  quoted: boolean;
}

function toWord(word: Node, scan: Scan): Word {
  const parts = items(word.Parts);
  const only = parts.length === 1 ? parts[0] : undefined;
  // Most words are one unquoted literal: read it without the general walk.
  if (only && kind(only) === 'Lit') {
    const v = goString(only.Value);
    return { value: unescapeBare(v), literal: !GLOB.test(v), quoted: false, raw: slice(scan, word) };
  }
  const state: WordState = { value: '', literal: true, quoted: false };
  for (const part of parts) visitPart(part, false, scan, state);
  return { value: state.value, literal: state.literal, quoted: state.quoted, raw: slice(scan, word) };
}

const GLOB = /[*?[]/;

function visitPart(part: Node, inDouble: boolean, scan: Scan, state: WordState): void {
  switch (kind(part)) {
    case 'Lit': {
      const v = goString(part.Value);
      state.value += inDouble ? unescapeDouble(v) : unescapeBare(v);
      if (!inDouble && GLOB.test(v)) state.literal = false;
      break;
    }
    case 'SglQuoted':
      state.quoted = true;
      state.value += goString(part.Value);
      break;
    case 'DblQuoted':
      state.quoted = true;
      for (const p of items(part.Parts)) visitPart(p, true, scan, state);
      break;
    default:
      state.literal = false;
      state.value += slice(scan, part);
  }
}

/** An unquoted literal as the shell reads it (backslash escapes and line continuations removed). */
export function unescapeBare(s: string): string {
  return s.includes('\\') ? s.replace(/\\\n/g, '').replace(/\\(.)/gs, '$1') : s;
}

/** A literal inside double quotes as the shell reads it. */
export function unescapeDouble(s: string): string {
  return s.includes('\\') ? s.replace(/\\\n/g, '').replace(/\\([\\$`"])/g, '$1') : s;
}
