import type { Node } from 'mvdan-sh';
import { type Env, isKnown, MAX_VALUE_CHARS, type Segment, type Value, valueText } from './expand.js';
import type { Command, ShellScript, Word } from './model.js';
import { shellParser } from './mvdan.js';
import {
  baseName,
  byteMapper,
  commandAt,
  goString,
  items,
  kind,
  parseShell,
  type ScriptOrigin,
  type ScriptSyntax,
  shellCString,
  syntaxOf,
  unescapeBare,
  unescapeDouble,
} from './shell.js';

// mvdan/sh ParExpOperator values: + :+ - :- ? :? = :=
const ALT_UNSET = 68;
const ALT_UNSET_OR_NULL = 69;
const DEFAULT_UNSET = 70;
const DEFAULT_UNSET_OR_NULL = 71;
const ASSIGN_UNSET = 74;
const ASSIGN_UNSET_OR_NULL = 75;
// BinCmdOperator: || | |&
const OR = 11;
// RedirOperator: << <<-
const HEREDOC_OPS = new Set([61, 62]);
const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh', 'mksh']);
// Commands that run their arguments as a command or as shell text.
const RUNNERS = new Set(['busybox', 'eval', 'exec', 'command', 'env', 'sudo', 'nohup', 'xargs', 'time']);
const SUBSTITUTION = /\$\(|`|[<>]\(/;
const SAFE_OPERAND = /^[A-Za-z0-9_.,:/@%+=-]*$/;
const PIPES = new Set([12, 13]);

/** How deep `sh -c 'sh -c "…"'` scripts are resolved inside each other. */
const MAX_NESTING = 4;
/** A resolved script may be this much longer than the one written, then it is left as written. */
const MAX_GROWTH_CHARS = 65_536;

const UNKNOWN = Symbol('unknown');
type Bound = Value | typeof UNKNOWN;

/** A name's meaning at a point of the script: a value, unknown (set at run time), or unset as far as the file says. */
type Lookup =
  | { readonly kind: 'value'; readonly value: Value }
  | { readonly kind: 'unknown' }
  | { readonly kind: 'free' };

interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
  /**
   * Set when the edit only changes the value of one argument of a command (a value spliced into an argument word
   * without splitting it): the command's words can then be patched without parsing again.
   */
  readonly patch?: { readonly call: Node; readonly part: Node; readonly value: Value };
}

interface Walk {
  /**
   * True while visiting a word whose text the shell may run as code (a command name, an argument of `sh -c`,
   * `eval`): only there is a `$(…)` a value holds spliced as the substitution it was assigned from.
   */
  code: boolean;
  readonly text: string;
  readonly charOf: (byte: number) => number;
  readonly env: Env;
  readonly edits: Edit[];
  readonly depth: number;
}

/** Where a word sits decides how a value spliced into it behaves: split into fields, or one piece of text. */
type Quoting = 'split' | 'nosplit' | 'double';

/** A script with edits applied, and the way back from an offset in it to the offset in the script as written. */
interface Spliced {
  readonly text: string;
  readonly toOriginal: (at: number) => number;
}

/** Applies edits (offsets relative to `base`) to `text`; undefined when the result grows past MAX_GROWTH_CHARS. */
function splice(text: string, edits: readonly Edit[], base = 0): Spliced | undefined {
  // An outer edit (a whole `sh -c` script) wins over edits inside it.
  const sorted = [...edits].sort((x, y) => x.start - y.start || y.end - x.end);
  let out = '';
  let at = 0;
  const newStarts: number[] = [];
  const kept: Edit[] = [];
  for (const e of sorted) {
    const start = e.start - base;
    if (start < at) continue;
    out += text.slice(at, start);
    newStarts.push(out.length);
    out += e.text;
    at = e.end - base;
    kept.push({ start, end: at, text: e.text });
  }
  out += text.slice(at);
  if (out.length > text.length + MAX_GROWTH_CHARS) return undefined;
  const toOriginal = (offset: number): number => {
    // The last edit starting at or before the offset decides: inside it, its start; after it, shifted by its growth.
    let lo = 0;
    let hi = newStarts.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((newStarts[mid] as number) <= offset) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (found < 0) return offset;
    const e = kept[found] as Edit;
    const newStart = newStarts[found] as number;
    if (offset < newStart + e.text.length) return e.start;
    return e.end + (offset - newStart - e.text.length);
  };
  return { text: out, toOriginal };
}

/** Walks a parsed script in order, collecting the edits each top-level statement needs. */
function collect(file: Node, text: string, env: Env, depth: number): { walk: Walk; bounds: number[] } {
  const walk: Walk = { code: false, text, charOf: byteMapper(text) ?? ((b) => b), env, edits: [], depth };
  const state = new Map<string, Bound>();
  const bounds = [0];
  for (const s of items(file.Stmts)) {
    stmt(s, walk, state, false);
    bounds.push(walk.edits.length);
  }
  return { walk, bounds };
}

function parseText(text: string): Node | undefined {
  try {
    return shellParser().Parse(text, 'RUN').__internal_object__;
  } catch {
    return undefined;
  }
}

/**
 * The script as the shell would run it with `env`'s values and its own assignments substituted, or undefined when
 * nothing resolves (or the result would grow past the caps). Values are spliced as quoted data, so a `|` or `$(…)`
 * inside one stays data; an unquoted value is split into fields as the shell splits it.
 */
export function resolveScriptText(text: string, env: Env, depth = 0): Spliced | undefined {
  const edits = scriptEdits(text, env, depth);
  return edits ? splice(text, edits) : undefined;
}

function scriptEdits(text: string, env: Env, depth: number): Edit[] | undefined {
  if (depth > MAX_NESTING) return undefined;
  const file = parseText(text);
  if (!file) return undefined;
  const { walk } = collect(file, text, env, depth);
  return walk.edits.length === 0 ? undefined : walk.edits;
}

/**
 * The commands of a parsed RUN script with the stage's values substituted (see resolveScriptText), or undefined when
 * nothing resolves. Only the top-level statements that change are parsed again; the others keep their command
 * objects. Positions map back into the RUN; `pipelines` is the file's counter, so new pipeline ids stay unique.
 */
export function resolveScript(
  script: ShellScript,
  origin: ScriptOrigin,
  env: Env,
  pipelines: { value: number },
): ShellScript | undefined {
  const text = script.source;
  const syntax = syntaxOf(script);
  const file = syntax?.file ?? parseText(text);
  if (!file) return undefined;
  const { walk, bounds } = collect(file, text, env, 0);
  if (walk.edits.length === 0) return undefined;
  const docOf = (at: number): number => (origin.remap ? origin.remap(at) : origin.offset + at);
  const statements = items(file.Stmts);
  // A heredoc body follows its line, not its statement: such scripts are parsed again whole.
  if (!syntax || text.includes('<<')) {
    const whole = splice(text, walk.edits);
    if (!whole) return undefined;
    const parsed = parseShell(
      whole.text,
      { ...origin, remap: (at) => docOf(whole.toOriginal(at)) },
      pipelines,
    );
    return parsed.error ? undefined : parsed;
  }
  const commands: Command[] = [];
  let source = '';
  for (const [i, s] of statements.entries()) {
    const from = i === 0 ? 0 : walk.charOf(s.Pos().Offset());
    const next = statements[i + 1];
    const to = next ? walk.charOf(next.Pos().Offset()) : text.length;
    const edits = walk.edits.slice(bounds[i], bounds[i + 1]);
    if (edits.length === 0) {
      commands.push(
        ...script.commands.slice(syntax.firsts[i], syntax.firsts[i + 1] ?? script.commands.length),
      );
      source += text.slice(from, to);
      continue;
    }
    const patched = edits.every((e) => e.patch) ? patchCommands(script, syntax, i, edits, walk) : undefined;
    if (patched) {
      commands.push(...patched);
      source += text.slice(from, to);
      continue;
    }
    const part = splice(text.slice(from, to), edits, from);
    if (!part) return undefined;
    const parsed = parseShell(
      part.text,
      { ...origin, remap: (at) => docOf(from + part.toOriginal(at)) },
      pipelines,
      i,
    );
    if (parsed.error) return undefined;
    commands.push(...parsed.commands);
    source += part.text;
  }
  return { source, commands };
}

/**
 * The commands of top-level statement `i` with argument words patched, when every edit only changes an argument's
 * value: the same words a second parse would give, without parsing. Undefined when a command is not found.
 */
function patchCommands(
  script: ShellScript,
  syntax: ScriptSyntax,
  i: number,
  edits: readonly Edit[],
  walk: Walk,
): Command[] | undefined {
  const byCall = new Map<Node, Map<Node, Edit>>();
  for (const e of edits) {
    const patch = e.patch;
    if (!patch) return undefined;
    let parts = byCall.get(patch.call);
    if (!parts) {
      parts = new Map();
      byCall.set(patch.call, parts);
    }
    parts.set(patch.part, e);
  }
  const replaced = new Map<Command, Command>();
  for (const [callNode, parts] of byCall) {
    const old = commandAt(callNode);
    if (!old) return undefined;
    const words = items(callNode.Args)
      .slice(1)
      .map((w) => patchedWord(w, parts, walk));
    replaced.set(old, { ...old, args: words.map((w) => w.value), words });
  }
  const own = script.commands.slice(syntax.firsts[i], syntax.firsts[i + 1] ?? script.commands.length);
  if ([...replaced.keys()].some((c) => !own.includes(c))) return undefined;
  return own.map((c) => replaced.get(c) ?? c);
}

/** A word as shell.ts reads it (see toWord there), with the spliced values in place of their expansions. */
function patchedWord(w: Node, parts: ReadonlyMap<Node, Edit>, walk: Walk): Word {
  let value = '';
  let literal = true;
  let quoted = false;
  const visit = (part: Node, inDouble: boolean): void => {
    const edit = parts.get(part);
    if (edit?.patch) {
      value += valueText(edit.patch.value);
      if (!isKnown(edit.patch.value)) literal = false;
      // The splice quotes known text, as a second parse would see it.
      if (edit.text.includes("'")) quoted = true;
      return;
    }
    switch (kind(part)) {
      case 'Lit': {
        const v = goString(part.Value);
        value += inDouble ? unescapeDouble(v) : unescapeBare(v);
        if (!inDouble && /[*?[]/.test(v)) literal = false;
        return;
      }
      case 'SglQuoted':
        quoted = true;
        value += goString(part.Value);
        return;
      case 'DblQuoted':
        quoted = true;
        for (const p of items(part.Parts)) visit(p, true);
        return;
      default:
        literal = false;
        value += slice(walk, part);
    }
  };
  for (const part of items(w.Parts)) visit(part, false);
  // The raw text is the word with the values spliced, as a second parse would see it.
  const from = start(walk, w);
  let raw = '';
  let at = from;
  for (const e of [...parts.values()].sort((a, b) => a.start - b.start)) {
    if (e.start < at || e.end > end(walk, w)) continue;
    raw += walk.text.slice(at, e.start) + e.text;
    at = e.end;
  }
  raw += walk.text.slice(at, end(walk, w));
  return { value, literal, quoted, raw };
}

/** Splices the values into `sh -c` scripts of an exec form (`["sh", "-c", "curl … | $S"]`); undefined when none. */
export function resolveExecForm(argv: readonly string[], env: Env): string[] | undefined {
  const script = shellCString({ name: argv[0] ?? '', args: argv.slice(1) });
  if (script === undefined || !script.includes('$')) return undefined;
  const at = argv.lastIndexOf(script);
  const resolved = resolveScriptText(script, env, 1);
  if (!resolved || at < 1) return undefined;
  return argv.map((a, i) => (i === at ? resolved.text : a));
}

function lookup(name: string, walk: Walk, state: Map<string, Bound>): Lookup {
  const s = state.get(name);
  if (s === UNKNOWN) return { kind: 'unknown' };
  if (s) return { kind: 'value', value: s };
  const v = walk.env.get(name);
  return v ? { kind: 'value', value: v } : { kind: 'free' };
}

function slice(walk: Walk, node: Node): string {
  return walk.text.slice(start(walk, node), end(walk, node));
}

function start(walk: Walk, node: Node): number {
  return walk.charOf(node.Pos().Offset());
}

function end(walk: Walk, node: Node): number {
  return walk.charOf(node.End().Offset());
}

function stmts(list: Node[], walk: Walk, state: Map<string, Bound>, cond: boolean): void {
  for (const s of list) stmt(s, walk, state, cond);
}

function stmt(s: Node | null | undefined, walk: Walk, state: Map<string, Bound>, cond: boolean): void {
  if (!kind(s)) return;
  const node = s as Node;
  const cmd: Node | null = kind(node.Cmd) ? node.Cmd : null;
  walk.code = false;
  if (cmd) command(cmd, walk, state, cond);
  walk.code = false;
  for (const r of items(node.Redirs)) {
    if (kind(r.Hdoc)) {
      // A heredoc that is the script a shell runs (`RUN <<EOF`, `bash <<EOF`) is resolved as a script; other heredoc
      // bodies are data and stay as written.
      if (HEREDOC_OPS.has(r.Op) && feedsShell(cmd)) heredocScript(r, walk);
    } else if (kind(r.Word)) word(r.Word, walk, state, 'nosplit');
  }
}

function feedsShell(cmd: Node | null): boolean {
  if (!cmd) return true;
  if (kind(cmd) !== 'CallExpr') return false;
  const argv = items(cmd.Args).map(literalOf);
  const name = argv[0];
  if (name === undefined || argv.some((a) => a === undefined)) return false;
  return SHELLS.has(baseName(name)) && shellCString({ name, args: argv.slice(1) as string[] }) === undefined;
}

function heredocScript(redir: Node, walk: Walk): void {
  const delimiter = kind(redir.Word) ? (literalOf(redir.Word) ?? '') : '';
  const from = start(walk, redir.Hdoc);
  const lines = walk.text.slice(from, end(walk, redir.Hdoc)).split('\n');
  while (lines.length > 0 && ['', delimiter].includes((lines[lines.length - 1] ?? '').trim())) lines.pop();
  const body = lines.join('\n');
  // The body is verbatim in the script: its edits apply in place, so its commands keep their lines.
  for (const e of scriptEdits(body, walk.env, walk.depth + 1) ?? []) {
    walk.edits.push({ start: from + e.start, end: from + e.end, text: e.text });
  }
}

function command(cmd: Node, walk: Walk, state: Map<string, Bound>, cond: boolean): void {
  switch (kind(cmd)) {
    case 'CallExpr':
      call(cmd, walk, state, cond);
      return;
    case 'DeclClause':
      for (const a of items(cmd.Args)) assign(a, walk, state, cond, true);
      return;
    case 'BinaryCmd':
      if (PIPES.has(cmd.Op)) {
        // Each side of a pipe runs in a subshell: its assignments do not last.
        stmt(cmd.X, walk, new Map(state), cond);
        stmt(cmd.Y, walk, new Map(state), cond);
      } else {
        stmt(cmd.X, walk, state, cond);
        // The right side of `||` may not run: what it assigns is unknown after it.
        stmt(cmd.Y, walk, state, cond || cmd.Op === OR);
      }
      return;
    case 'Subshell':
      stmts(items(cmd.Stmts), walk, new Map(state), cond);
      return;
    case 'Block':
      stmts(items(cmd.Stmts), walk, state, cond);
      return;
    case 'IfClause':
      for (let c: Node | null = cmd; c && kind(c); c = c.Else) {
        stmts(items(c.Cond), walk, state, true);
        stmts(items(c.Then), walk, state, true);
      }
      return;
    case 'WhileClause':
      forget(cmd, state);
      stmts(items(cmd.Cond), walk, state, true);
      stmts(items(cmd.Do), walk, state, true);
      return;
    case 'ForClause': {
      forget(cmd, state);
      const loop = cmd.Loop;
      if (kind(loop) === 'WordIter') {
        state.set(goString(loop.Name.Value), UNKNOWN);
        for (const w of items(loop.Items)) word(w, walk, state, 'split');
      }
      stmts(items(cmd.Do), walk, state, true);
      return;
    }
    case 'CaseClause':
      word(cmd.Word, walk, state, 'nosplit');
      for (const item of items(cmd.Items)) stmts(items(item.Stmts), walk, state, true);
      return;
    case 'FuncDecl':
      // A function body runs when called, with whatever the variables are then: its assignments make them unknown.
      forget(cmd, state);
      stmt(cmd.Body, walk, new Map(state), true);
      return;
    case 'TimeClause':
    case 'CoprocClause':
      stmt(cmd.Stmt, walk, state, cond);
      return;
    case 'TestClause':
      test(cmd.X, walk, state);
      return;
    default:
      // Arithmetic and `let` may assign: forget what they touch.
      forget(cmd, state);
  }
}

function test(node: Node | null | undefined, walk: Walk, state: Map<string, Bound>): void {
  switch (kind(node)) {
    case 'Word':
      word(node as Node, walk, state, 'nosplit');
      return;
    case 'BinaryTest':
      test(node?.X, walk, state);
      test(node?.Y, walk, state);
      return;
    case 'UnaryTest':
    case 'ParenTest':
      test(node?.X, walk, state);
      return;
    default:
  }
}

/** Marks every name a compound command may assign (assignments, `read`, loop variables) as unknown. */
function forget(node: Node, state: Map<string, Bound>): void {
  const visit = (n: Node | null | undefined, depth: number): void => {
    if (!n || depth > 200 || typeof n !== 'object') return;
    const k = kind(n);
    if (k === 'Assign' && kind(n.Name)) state.set(goString(n.Name.Value), UNKNOWN);
    if (k === 'WordIter' && kind(n.Name)) state.set(goString(n.Name.Value), UNKNOWN);
    if (k === 'CallExpr') readNames(n, state);
    if (k === 'Lit' || k === 'SglQuoted') return;
    for (const key of Object.keys(n)) {
      const v = n[key];
      // `$val` is GopherJS's pointer to the struct itself.
      if (key.startsWith('$') || !v || typeof v !== 'object') continue;
      if (v.$array) for (const item of items(v)) visit(item, depth + 1);
      else if (kind(v)) visit(v, depth + 1);
    }
  };
  visit(node, 0);
}

const READERS = new Set(['read', 'readarray', 'mapfile', 'getopts', 'unset', 'printf']);

/** `read X`, `unset X`, `printf -v X`: the names they set become unknown. */
function readNames(callNode: Node, state: Map<string, Bound>): void {
  const args = items(callNode.Args);
  const first = args[0];
  const name = first ? literalOf(first) : undefined;
  if (!name || !READERS.has(name)) return;
  for (const a of args.slice(1)) {
    const v = literalOf(a);
    if (v && /^[A-Za-z_][A-Za-z0-9_]*$/.test(v)) state.set(v, UNKNOWN);
  }
}

/** The value of a word made only of literal text and quotes, or undefined. */
function literalOf(w: Node): string | undefined {
  let out = '';
  for (const p of items(w.Parts)) {
    const k = kind(p);
    if (k === 'Lit') out += unescapeBare(goString(p.Value));
    else if (k === 'SglQuoted' && !p.Dollar) out += goString(p.Value);
    else if (k === 'DblQuoted') {
      for (const q of items(p.Parts)) {
        if (kind(q) !== 'Lit') return undefined;
        out += unescapeDouble(goString(q.Value));
      }
    } else return undefined;
  }
  return out;
}

function call(node: Node, walk: Walk, state: Map<string, Bound>, cond: boolean): void {
  const args = items(node.Args);
  if (args.length === 0) {
    for (const a of items(node.Assigns)) assign(a, walk, state, cond, true);
    return;
  }
  // `X=1 cmd` sets X for cmd only; the words of cmd still see the old X.
  const saved = walk.code;
  walk.code = false;
  for (const a of items(node.Assigns)) assign(a, walk, state, cond, false);
  // Arguments of a command that is not a shell (whose `-c` script would need parsing) may be patched in place.
  const name = args[0] ? literalOf(args[0]) : undefined;
  const base = name === undefined ? '' : baseName(name);
  const patchable = name !== undefined && !SHELLS.has(base) && base !== 'busybox';
  const runsArguments = SHELLS.has(base) || RUNNERS.has(base);
  for (const [i, w] of args.entries()) {
    walk.code = i === 0 || runsArguments;
    word(w, walk, state, 'split', patchable && i > 0 ? node : undefined);
  }
  walk.code = saved;
  readNames(node, state);
  nestedScript(args, walk);
}

/** `sh -c 'curl … | $S'`: the inner shell sees the stage's (exported) values, so its script is resolved too. */
function nestedScript(args: Node[], walk: Walk): void {
  const values = args.map(literalOf);
  if (values.some((v) => v === undefined)) return;
  const argv = values as string[];
  const script = shellCString({ name: argv[0] ?? '', args: argv.slice(1) });
  if (script === undefined || !script.includes('$')) return;
  const at = argv.lastIndexOf(script);
  const target = args[at];
  if (at < 1 || !target) return;
  const resolved = resolveScriptText(script, walk.env, walk.depth + 1);
  if (!resolved) return;
  walk.edits.push({ start: start(walk, target), end: end(walk, target), text: singleQuote(resolved.text) });
}

function assign(a: Node, walk: Walk, state: Map<string, Bound>, cond: boolean, lasting: boolean): void {
  const name = kind(a.Name) ? goString(a.Name.Value) : '';
  const hasValue = kind(a.Value);
  if (hasValue) word(a.Value, walk, state, 'nosplit');
  if (!name || !lasting) return;
  if (a.Naked) return;
  if (cond || kind(a.Array) || kind(a.Index)) {
    state.set(name, UNKNOWN);
    return;
  }
  const value = hasValue ? evaluate(a.Value, walk, state) : [];
  if (!value) {
    state.set(name, UNKNOWN);
    return;
  }
  if (a.Append) {
    const before = lookup(name, walk, state);
    if (before.kind !== 'value') state.set(name, UNKNOWN);
    else state.set(name, capped([...before.value, ...value]) ?? UNKNOWN);
    return;
  }
  state.set(name, value);
}

function capped(value: Value): Value | undefined {
  return valueText(value).length > MAX_VALUE_CHARS ? undefined : value;
}

/** The value a word gives (an assignment's right side, a default), expansions the file cannot know kept raw. */
function evaluate(w: Node | null | undefined, walk: Walk, state: Map<string, Bound>): Value | undefined {
  if (!kind(w)) return [];
  const out: Segment[] = [];
  const visit = (part: Node, inDouble: boolean): boolean => {
    switch (kind(part)) {
      case 'Lit': {
        const v = goString(part.Value);
        out.push({ text: inDouble ? unescapeDouble(v) : unescapeBare(v) });
        return true;
      }
      case 'SglQuoted':
        if (part.Dollar) out.push({ raw: slice(walk, part) });
        else out.push({ text: goString(part.Value) });
        return true;
      case 'DblQuoted':
        return items(part.Parts).every((p) => visit(p, true));
      case 'ParamExp': {
        const v = paramValue(part, walk, state);
        if (v === UNKNOWN) return false;
        out.push(...(v ?? [{ raw: slice(walk, part) }]));
        return true;
      }
      default:
        // `$(curl …)` stays the substitution it is: `sh -c "$X"` later runs it.
        out.push({ raw: slice(walk, part) });
        return true;
    }
  };
  for (const part of items(w?.Parts)) if (!visit(part, false)) return undefined;
  return capped(out);
}

/** What a parameter expansion comes to: a value, its operand word (a default or alternative), or as written. */
type Choice = { readonly value: Value } | { readonly operand: Node | null; readonly assign?: string };

/**
 * Decides a parameter expansion: a Choice when the file decides it, undefined when it must stay as written (unset by
 * the file, a special parameter, an operator not modelled), UNKNOWN when the script set it at run time.
 */
function choose(part: Node, walk: Walk, state: Map<string, Bound>): Choice | undefined | typeof UNKNOWN {
  if (part.Length || part.Excl || kind(part.Slice) || kind(part.Repl) || kind(part.Index) || part.Width)
    return undefined;
  const name = kind(part.Param) ? goString(part.Param.Value) : '';
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return undefined;
  const found = lookup(name, walk, state);
  if (found.kind === 'unknown') return UNKNOWN;
  const exp = kind(part.Exp) ? part.Exp : null;
  if (!exp) return found.kind === 'value' ? { value: found.value } : undefined;
  const op: number = exp.Op;
  const operand: Node | null = kind(exp.Word) ? exp.Word : null;
  const empty = found.kind === 'value' && valueText(found.value) === '';
  switch (op) {
    case DEFAULT_UNSET_OR_NULL:
    case ASSIGN_UNSET_OR_NULL:
      if (found.kind === 'value' && !empty) return { value: found.value };
      return op === ASSIGN_UNSET_OR_NULL ? { operand, assign: name } : { operand };
    case DEFAULT_UNSET:
    case ASSIGN_UNSET:
      if (found.kind === 'value') return { value: found.value };
      return op === ASSIGN_UNSET ? { operand, assign: name } : { operand };
    case ALT_UNSET_OR_NULL:
      if (found.kind !== 'value') return undefined;
      return empty ? { value: [] } : { operand };
    case ALT_UNSET:
      return found.kind === 'value' ? { operand } : undefined;
    default:
      return undefined;
  }
}

/** The value of a parameter expansion, for an assignment's right side (see choose). */
function paramValue(part: Node, walk: Walk, state: Map<string, Bound>): Value | undefined | typeof UNKNOWN {
  const choice = choose(part, walk, state);
  if (choice === undefined || choice === UNKNOWN) return choice;
  if ('value' in choice) return choice.value;
  const value = evaluate(choice.operand, walk, state);
  if (choice.assign) state.set(choice.assign, value ?? UNKNOWN);
  return value;
}

/** Visits one word: splices every parameter expansion the file decides, and walks its substitutions. */
function word(
  w: Node | null | undefined,
  walk: Walk,
  state: Map<string, Bound>,
  quoting: Quoting,
  call?: Node,
): void {
  if (!kind(w)) return;
  for (const part of items(w?.Parts)) wordPart(part, walk, state, quoting, call);
}

/** Walks the statements of a substitution (a subshell), then goes on with the word around it as it was. */
function nested(part: Node, walk: Walk, state: Map<string, Bound>): void {
  const saved = walk.code;
  stmts(items(part.Stmts), walk, new Map(state), false);
  walk.code = saved;
}

/** True when a value spliced in this quoting stays exactly one word. */
function oneWord(value: Value, quoting: Quoting): boolean {
  // A raw `$(…)` would be parsed as a substitution (a command) by a second parse: only plain references may stay raw.
  if (value.some((seg) => seg.raw !== undefined && !/^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$/.test(seg.raw)))
    return false;
  if (quoting !== 'split') return true;
  return valueText(value) !== '' && value.every((seg) => seg.raw !== undefined || !/[ \t\n]/.test(seg.text));
}

function wordPart(part: Node, walk: Walk, state: Map<string, Bound>, quoting: Quoting, call?: Node): void {
  switch (kind(part)) {
    case 'ParamExp': {
      const choice = choose(part, walk, state);
      if (choice === undefined || choice === UNKNOWN) return;
      const from = start(walk, part);
      const to = end(walk, part);
      // A plain operand (`${LDFLAGS:--Wl}`) is a value like any other, so the word can be patched.
      const plain = 'value' in choice || !choice.operand ? undefined : slice(walk, choice.operand);
      const simple = plain !== undefined && SAFE_OPERAND.test(plain);
      if ('value' in choice || quoting === 'nosplit' || !choice.operand || simple) {
        const v = 'value' in choice ? choice.value : evaluate(choice.operand, walk, state);
        if (!('value' in choice) && choice.assign) state.set(choice.assign, v ?? UNKNOWN);
        if (!v) return;
        // Elsewhere a value assigned from `$(…)` is that command's output, data the file does not show.
        if (!walk.code && v.some((seg) => seg.raw !== undefined && SUBSTITUTION.test(seg.raw))) return;
        const text = render(v, quoting);
        if (text === slice(walk, part)) return;
        const patch =
          call && ('value' in choice || simple) && oneWord(v, quoting) ? { call, part, value: v } : undefined;
        walk.edits.push({ start: from, end: to, text, ...(patch ? { patch } : {}) });
        return;
      }
      // The operand is shell text in the same quoting as the expansion: keep it in place, without `${X:-` and `}`,
      // so its own substitutions and expansions stay what they are.
      const operand = choice.operand;
      if (choice.assign) state.set(choice.assign, evaluate(operand, walk, state) ?? UNKNOWN);
      walk.edits.push({ start: from, end: start(walk, operand), text: '' });
      walk.edits.push({ start: end(walk, operand), end: to, text: '' });
      word(operand, walk, state, quoting);
      return;
    }
    case 'DblQuoted':
      for (const p of items(part.Parts)) wordPart(p, walk, state, 'double', call);
      return;
    case 'SglQuoted': {
      // The builder joins `\`+newline before the shell sees the text, inside single quotes too.
      const v = goString(part.Value);
      if (!part.Dollar && /\\\r?\n/.test(v)) {
        walk.edits.push({
          start: start(walk, part),
          end: end(walk, part),
          text: `'${v.replace(/\\\r?\n/g, '')}'`,
        });
      }
      return;
    }
    case 'CmdSubst':
      // Backquoted text is unescaped once more before it is parsed: a spliced value would read differently there.
      if (!part.Backquotes) nested(part, walk, state);
      return;
    case 'ProcSubst':
      nested(part, walk, state);
      return;
    case 'BraceExp':
      for (const e of items(part.Elems)) word(e, walk, state, quoting);
      return;
    default:
  }
}

/** A value as shell text that reads back as the same data in the given quoting. */
function render(value: Value, quoting: Quoting): string {
  let out = '';
  for (const seg of value) {
    if (seg.raw !== undefined) {
      out += seg.raw;
      continue;
    }
    if (quoting === 'double') out += seg.text.replace(/[\\$`"]/g, '\\$&');
    else if (quoting === 'nosplit') out += seg.text === '' ? '' : singleQuote(seg.text);
    else {
      // Unquoted: the shell splits the value at blanks into separate words.
      const fields = seg.text.split(/[ \t\n]+/);
      out += fields.map((f) => (f === '' ? '' : singleQuote(f))).join(' ');
    }
  }
  return out;
}

function singleQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
