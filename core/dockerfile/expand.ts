import type { DockerfileModel, Instruction, Stage } from './model.js';

/**
 * A piece of a value: `text` is data the file states; `raw` is shell text kept as written because only the build or
 * the running shell knows it (`$TOKEN` of an ARG without default, `$(curl …)` assigned in a script).
 */
export type Segment = { readonly text: string; readonly raw?: undefined } | { readonly raw: string };

/** A variable's value as far as the file says, piece by piece. */
export type Value = readonly Segment[];

/**
 * What a name is bound to at an instruction: a value, `null` for an ARG with no default (the build may pass one),
 * undefined for a name the file never sets (the base image may).
 */
export interface Env {
  get(name: string): Value | null | undefined;
}

/**
 * The longest value the evaluation keeps, in characters. Values that reference themselves (`ENV A=$A$A`) double at
 * each step and the file is the attacker's: a longer value is treated as unknown.
 */
export const MAX_VALUE_CHARS = 16_384;

/** The text of a value, with raw pieces as written. */
export function valueText(value: Value): string {
  let out = '';
  for (const s of value) out += s.raw ?? s.text;
  return out;
}

/** True when every piece of the value is known text. */
export function isKnown(value: Value): boolean {
  return value.every((s) => s.raw === undefined);
}

function length(value: Value): number {
  let n = 0;
  for (const s of value) n += (s.raw ?? s.text).length;
  return n;
}

/** Appends a piece, merging adjacent text so values stay short. */
function push(out: Segment[], seg: Segment): void {
  const last = out[out.length - 1];
  if (seg.raw === undefined && last && last.raw === undefined)
    out[out.length - 1] = { text: last.text + seg.text };
  else if (seg.raw !== undefined || seg.text !== '') out.push(seg);
}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;

/**
 * Splits ENV/ARG arguments into words as BuildKit does: at blanks outside quotes, escapes and quotes kept in the
 * word for the expansion to process.
 */
export function dockerWords(text: string, escapeChar: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quote === '' && /\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      continue;
    }
    inWord = true;
    if (c === escapeChar && quote !== "'" && i + 1 < text.length) {
      word += c + text[i + 1];
      i++;
      continue;
    }
    if (quote === '' && (c === '"' || c === "'")) quote = c;
    else if (c === quote) quote = '';
    word += c;
  }
  if (inWord) words.push(word);
  return words;
}

/**
 * Processes one Dockerfile word as the builder does for ENV and ARG: quotes removed, escapes applied, `$NAME`,
 * `${NAME}`, `${NAME:-word}`, `${NAME-word}`, `${NAME:+word}`, `${NAME+word}` substituted from `env`. A name the file
 * leaves unknown stays as written (a raw piece). With `quotes` false the text is taken as already unquoted (a shell
 * word's value): only `$` references are processed. Returns undefined when the value would pass MAX_VALUE_CHARS.
 */
export function expandDockerWord(
  word: string,
  env: Env,
  escapeChar: string,
  quotes = true,
): Value | undefined {
  const out: Segment[] = [];
  let size = 0;
  const add = (seg: Segment): boolean => {
    size += (seg.raw ?? seg.text).length;
    push(out, seg);
    return size <= MAX_VALUE_CHARS;
  };
  let i = 0;
  let quote = '';
  while (i < word.length) {
    const c = word[i] as string;
    if (!quotes && c !== '$') {
      if (!add({ text: c })) return undefined;
      i++;
      continue;
    }
    if (quote === "'") {
      if (c === "'") quote = '';
      else if (!add({ text: c })) return undefined;
      i++;
      continue;
    }
    if (c === escapeChar && i + 1 < word.length) {
      const next = word[i + 1] as string;
      // Inside double quotes only a quote, a dollar or the escapeChar itself is escaped; elsewhere any character.
      if (quote === '"' && next !== '"' && next !== '$' && next !== escapeChar) {
        if (!add({ text: c + next })) return undefined;
      } else if (!add({ text: next })) return undefined;
      i += 2;
      continue;
    }
    if (quote === '' && (c === '"' || c === "'")) {
      quote = c;
      i++;
      continue;
    }
    if (quote === '"' && c === '"') {
      quote = '';
      i++;
      continue;
    }
    if (c === '$') {
      const r = dockerDollar(word, i, env, escapeChar, quotes);
      if (!r) return undefined;
      for (const seg of r.value) if (!add(seg)) return undefined;
      i = r.end;
      continue;
    }
    if (!add({ text: c })) return undefined;
    i++;
  }
  return out;
}

function dockerDollar(
  word: string,
  at: number,
  env: Env,
  escapeChar: string,
  quotes: boolean,
): { value: Value; end: number } | undefined {
  const next = word[at + 1] ?? '';
  if (NAME_START.test(next)) {
    let end = at + 1;
    while (end < word.length && NAME_CHAR.test(word[end] as string)) end++;
    const name = word.slice(at + 1, end);
    const bound = env.get(name);
    return { value: bound ?? [{ raw: word.slice(at, end) }], end };
  }
  if (next !== '{') return { value: [{ text: '$' }], end: at + 1 };
  // ${…}: find the closing brace, nested braces and escapes counted.
  let depth = 0;
  let close = -1;
  for (let j = at + 1; j < word.length; j++) {
    const ch = word[j];
    if (ch === escapeChar && quotes) j++;
    else if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) {
      close = j;
      break;
    }
  }
  if (close < 0) return { value: [{ raw: word.slice(at) }], end: word.length };
  const inner = word.slice(at + 2, close);
  const raw: Value = [{ raw: word.slice(at, close + 1) }];
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(?::?[-+])?/.exec(inner);
  if (!m) return { value: raw, end: close + 1 };
  const name = m[1] as string;
  const op = m[0].slice(name.length);
  const rest = inner.slice(m[0].length);
  if (op === '' && rest !== '') return { value: raw, end: close + 1 };
  const bound = env.get(name);
  if (op === '') return { value: bound ?? raw, end: close + 1 };
  const alt = (): Value | undefined => expandDockerWord(rest, env, escapeChar, quotes);
  if (bound === undefined || bound === null) {
    // Unset as far as the file says: a default applies, an alternative is unknown.
    return op.endsWith('-') ? wrap(alt(), close) : { value: raw, end: close + 1 };
  }
  const empty = length(bound) === 0;
  if (op === ':-') return empty ? wrap(alt(), close) : { value: bound, end: close + 1 };
  if (op === '-') return { value: bound, end: close + 1 };
  if (op === ':+') return empty ? { value: [], end: close + 1 } : wrap(alt(), close);
  return wrap(alt(), close);
}

function wrap(value: Value | undefined, close: number): { value: Value; end: number } | undefined {
  return value ? { value, end: close + 1 } : undefined;
}

interface Change {
  readonly at: number;
  readonly value: Value | null;
}

/** Per-name history of one kind of binding (ENV or ARG) in one scope, in instruction order. */
class History {
  private readonly byName = new Map<string, Change[]>();

  set(name: string, at: number, value: Value | null): void {
    let list = this.byName.get(name);
    if (!list) {
      list = [];
      this.byName.set(name, list);
    }
    list.push({ at, value });
  }

  /** The binding in effect before instruction `at`; `false` when the scope never bound the name by then. */
  get(name: string, at: number): Value | null | false {
    const list = this.byName.get(name);
    if (!list || list.length === 0 || (list[0] as Change).at >= at) return false;
    let lo = 0;
    let hi = list.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((list[mid] as Change).at < at) lo = mid;
      else hi = mid - 1;
    }
    return (list[lo] as Change).value;
  }
}

interface Scope {
  readonly env: History;
  readonly args: History;
  /** The stage this one is built FROM (its ENV is inherited), with the index its ENV is read at. */
  readonly parent?: Scope;
}

/** The variables of every instruction of a file: build time (RUN) and container start (CMD, ENTRYPOINT). */
export interface StageVariables {
  /** ENV and ARG values in effect at an instruction, as a RUN there sees them (ENV wins over ARG). */
  build(instruction: Instruction): Env;
  /** ENV values of the image the instruction's stage makes (what CMD and ENTRYPOINT see when a container starts). */
  runtime(instruction: Instruction): Env;
}

/** Evaluates the ENV and ARG instructions of a file once, in order, with ENV inherited through `FROM <stage>`. */
export function stageVariables(model: DockerfileModel): StageVariables {
  const escapeChar = model.escape || '\\';
  const globals = new History();
  // ENV before the first FROM: Docker refuses it, but a fragment (no FROM at all) is still linted with its values.
  const preamble = new History();
  const scopes: Scope[] = [];
  const scopeOf = (stage: number): Scope | undefined => (stage < 0 ? undefined : scopes[stage]);

  const envLookup = (scope: Scope | undefined, name: string, at: number): Value | null | false => {
    for (let s = scope, limit = at; s; s = s.parent, limit = Number.POSITIVE_INFINITY) {
      const v = s.env.get(name, limit);
      if (v !== false) return v;
    }
    return false;
  };
  const buildEnv = (stage: number, at: number): Env => ({
    get: (name) => {
      const scope = scopeOf(stage);
      if (!scope) {
        const e = preamble.get(name, at);
        if (e !== false) return e;
        const g = globals.get(name, at);
        return g === false ? undefined : g;
      }
      const e = envLookup(scope, name, at);
      if (e !== false) return e;
      const a = scope.args.get(name, at);
      return a === false ? undefined : a;
    },
  });

  for (const stage of model.stages) scopes[stage.index] = newScope(model.stages, stage, scopes);
  for (const inst of model.instructions) {
    if (inst.onbuild || (inst.keyword !== 'ENV' && inst.keyword !== 'ARG')) continue;
    const scope = scopeOf(inst.stage);
    const before = buildEnv(inst.stage, inst.index);
    if (inst.keyword === 'ENV') {
      // Every pair of one ENV is expanded with the values from before it (`ENV A=1 B=$A` gives B the old A).
      for (const [name, raw] of envPairs(inst.argsText, escapeChar)) {
        (scope?.env ?? preamble).set(name, inst.index, expandDockerWord(raw, before, escapeChar) ?? null);
      }
      continue;
    }
    for (const word of dockerWords(inst.argsText, escapeChar)) {
      const eq = word.indexOf('=');
      const name = eq < 0 ? word : word.slice(0, eq);
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) continue;
      let value: Value | null;
      if (eq >= 0) value = expandDockerWord(word.slice(eq + 1), before, escapeChar) ?? null;
      else if (scope) {
        // `ARG X` in a stage takes the default of the global `ARG X=…` declared before the first FROM.
        const g = globals.get(name, Number.POSITIVE_INFINITY);
        value = g === false ? null : g;
      } else value = null;
      (scope ? scope.args : globals).set(name, inst.index, value);
    }
  }
  return {
    build: (instruction) => buildEnv(instruction.stage, instruction.index),
    runtime: (instruction) => {
      const scope = scopeOf(instruction.stage);
      return {
        get: (name) => {
          const v = envLookup(scope, name, Number.POSITIVE_INFINITY);
          return v === false ? undefined : v;
        },
      };
    },
  };
}

function newScope(stages: readonly Stage[], stage: Stage, scopes: readonly Scope[]): Scope {
  const image = stage.image.toLowerCase();
  let parent: Scope | undefined;
  for (let i = stage.index - 1; i >= 0; i--) {
    if (stages[i]?.name === image) {
      parent = scopes[i];
      break;
    }
  }
  return { env: new History(), args: new History(), ...(parent ? { parent } : {}) };
}

/** NAME=value pairs of an ENV, values still as written; the legacy `ENV NAME value` form gives one pair. */
function envPairs(argsText: string, escapeChar: string): [string, string][] {
  const words = dockerWords(argsText, escapeChar);
  const first = words[0];
  if (first === undefined) return [];
  if (!first.includes('=')) {
    const rest = argsText.trimStart().slice(first.length).trim();
    return /^[A-Za-z_][A-Za-z0-9_]*$/.test(first) ? [[first, rest]] : [];
  }
  const pairs: [string, string][] = [];
  for (const w of words) {
    const eq = w.indexOf('=');
    if (eq <= 0) continue;
    pairs.push([w.slice(0, eq), w.slice(eq + 1)]);
  }
  return pairs;
}
