import {
  Instruction as AstInstruction,
  Copy,
  DockerfileParser,
  From,
  JSONInstruction,
  ModifiableInstruction,
  Onbuild,
  PropertyInstruction,
  Run,
} from 'dockerfile-ast';
import type {
  DockerfileModel,
  Flag,
  Heredoc,
  Instruction,
  Pragma,
  Property,
  ShellScript,
  Stage,
} from './model.js';
import { execFormCommands, parseShell } from './shell.js';
import { type Loc, SourceMap } from './source-map.js';

/** Instruction keywords Docker accepts. */
export const KEYWORDS = new Set([
  'ADD',
  'ARG',
  'CMD',
  'COPY',
  'ENTRYPOINT',
  'ENV',
  'EXPOSE',
  'FROM',
  'HEALTHCHECK',
  'LABEL',
  'MAINTAINER',
  'ONBUILD',
  'RUN',
  'SHELL',
  'STOPSIGNAL',
  'USER',
  'VOLUME',
  'WORKDIR',
]);

/** A syntax problem that stops Docker from building the file, with where it is. */
export interface SyntaxProblem {
  readonly message: string;
  readonly loc: Loc;
}

/** The result of parsing: the shared model plus any syntax problems found on the way. */
export interface ParseResult {
  readonly model: DockerfileModel;
  readonly problems: readonly SyntaxProblem[];
}

const PRAGMA = /^#\s*(hadolint|drydock)\s+(global\s+)?(ignore|shell)\s*=\s*(.*)$/i;

/**
 * The longest Dockerfile parsed, in characters. The gate reads a team's file on the daemon's thread and some rules
 * compare each instruction with every other: 20,000 RUN lines (900 KB) took 64 s, while a real Dockerfile is a few
 * kilobytes. A longer file is one syntax problem, not parsed.
 */
export const MAX_DOCKERFILE_CHARS = 128 * 1024;

/** Parses Dockerfile text into the model every rule shares; never throws on bad input. */
export function parseDockerfile(text: string, fileName = 'Dockerfile'): ParseResult {
  if (text.length > MAX_DOCKERFILE_CHARS) {
    return {
      model: parseDockerfile('', fileName).model,
      problems: [
        {
          loc: { line: 1, column: 1 },
          message: `the file has ${text.length} characters, more than the ${MAX_DOCKERFILE_CHARS} a Dockerfile may have; it was not parsed`,
        },
      ],
    };
  }
  const map = new SourceMap(text);
  const ast = DockerfileParser.parse(text);
  const escapeChar = ast.getEscapeCharacter();
  const problems: SyntaxProblem[] = [];
  const directives: Record<string, string> = {};
  for (const d of ast.getDirectives()) {
    const name = d.getDirective();
    if (name) directives[name.toLowerCase()] = d.getValue() ?? '';
  }

  const instructions: Instruction[] = [];
  // One pipeline counter for the whole file: a pipeline id names one pipeline of one RUN, never another RUN's.
  const pipelines = { value: 0 };
  const fromNodes = new Map<number, From>();
  let stage = -1;
  for (const node of ast.getInstructions()) {
    const isOnbuild = node instanceof Onbuild;
    const target = isOnbuild ? node.getTriggerInstruction() : node;
    const keyword = node.getKeyword().toUpperCase();
    if (!KEYWORDS.has(keyword)) {
      problems.push({
        message: `unknown instruction "${node.getKeyword()}"; Docker refuses it, so the file cannot build`,
        loc: locOfRange(map, node.getRange()),
      });
      continue;
    }
    if (!target) {
      problems.push({
        message: 'ONBUILD needs an instruction to run',
        loc: locOfRange(map, node.getRange()),
      });
      continue;
    }
    const inner = target.getKeyword().toUpperCase();
    if (isOnbuild && !KEYWORDS.has(inner)) {
      problems.push({
        message: `unknown instruction "${target.getKeyword()}" after ONBUILD`,
        loc: locOfRange(map, target.getRange()),
      });
      continue;
    }
    const opensStage = keyword === 'FROM';
    const built = buildInstruction(target, node, {
      map,
      escapeChar,
      index: instructions.length,
      stage: opensStage ? stage + 1 : stage,
      onbuild: isOnbuild,
      pipelines,
    });
    const broken = instructionProblems(built);
    if (broken.length > 0) {
      // The builder refuses the instruction; it is left out of the model so the rest of the file is still linted.
      problems.push(...broken);
      continue;
    }
    if (opensStage) stage++;
    if (opensStage && target instanceof From) fromNodes.set(built.index, target);
    instructions.push(built);
  }

  if (instructions.length === 0 && problems.length === 0) {
    // Docker refuses such a file ("file with no instructions"); a gate must not pass it.
    problems.push({
      message: 'the file has no instructions; a Dockerfile needs at least FROM',
      loc: { line: 1, column: 1 },
    });
  }
  const stages = buildStages(instructions, fromNodes, map);
  const firstFrom = instructions.findIndex((i) => i.keyword === 'FROM');
  const globalArgs = instructions
    .slice(0, firstFrom < 0 ? instructions.length : firstFrom)
    .filter((i) => i.keyword === 'ARG')
    .flatMap((i) => i.properties);

  const comments = commentLines(text, instructions);
  const pragmas = findPragmas(comments, instructions);
  return {
    model: {
      fileName,
      text,
      escape: escapeChar,
      directives,
      instructions,
      stages,
      globalArgs,
      pragmas,
      comments,
    },
    problems,
  };
}

interface BuildCtx {
  readonly map: SourceMap;
  readonly escapeChar: string;
  readonly index: number;
  readonly stage: number;
  readonly onbuild: boolean;
  readonly pipelines: { value: number };
}

/**
 * The flags each instruction accepts (BuildKit's stable dockerfile frontend and buildah), and those that take no
 * value. Flags of other instructions are left to the builder: dockerfile-ast reads `--x` words of any instruction as
 * flags, and CMD or ENTRYPOINT arguments that start with `--` are not a gate's business.
 */
const FLAGS: Readonly<Record<string, ReadonlySet<string>>> = {
  FROM: new Set(['platform']),
  RUN: new Set(['mount', 'network', 'security', 'device']),
  COPY: new Set(['from', 'chown', 'chmod', 'link', 'parents', 'exclude']),
  ADD: new Set(['chown', 'chmod', 'link', 'checksum', 'keep-git-dir', 'exclude', 'unpack']),
  HEALTHCHECK: new Set(['interval', 'timeout', 'start-period', 'start-interval', 'retries']),
};
const BOOLEAN_FLAGS = new Set(['link', 'parents', 'keep-git-dir', 'unpack']);
const REPEATABLE_FLAGS = new Set(['mount', 'exclude', 'device']);

/** What makes the builder refuse one instruction: no arguments, an unknown, valueless or repeated flag. */
function instructionProblems(inst: Instruction): SyntaxProblem[] {
  const out: SyntaxProblem[] = [];
  const where = inst.onbuild ? `ONBUILD ${inst.keyword}` : inst.keyword;
  if (inst.args.length === 0 && inst.heredocs.length === 0) {
    out.push({
      message: `${where} requires at least one argument; Docker refuses an empty ${inst.keyword}, so the file cannot build`,
      loc: inst.loc,
    });
  }
  const known = FLAGS[inst.keyword];
  if (!known) return out;
  const seen = new Set<string>();
  for (const flag of inst.flags) {
    // A bare `--` ends the flags for the builder.
    if (flag.name === '') continue;
    if (!known.has(flag.name)) {
      out.push({
        message: `${where} has an unknown flag --${flag.name}; it accepts ${[...known].map((f) => `--${f}`).join(', ')}`,
        loc: inst.loc,
      });
      continue;
    }
    if (flag.value === null && !BOOLEAN_FLAGS.has(flag.name)) {
      out.push({ message: `${where} flag --${flag.name} needs a value (--${flag.name}=…)`, loc: inst.loc });
    }
    if (seen.has(flag.name) && !REPEATABLE_FLAGS.has(flag.name)) {
      out.push({ message: `${where} gives the flag --${flag.name} twice`, loc: inst.loc });
    }
    seen.add(flag.name);
  }
  return out;
}

/**
 * dockerfile-ast splits an instruction's arguments anew on every call, and its own parser, constructors and getters
 * (flags, ranges, stage names, heredocs) call it about seven times per instruction: it was the top of the lint
 * profile. Split once per instruction and hand out copies (its callers shift the array they get). The arguments of a
 * parsed instruction never change: the document is immutable once parsed.
 */
function keepArgumentsOnce(): void {
  const proto = AstInstruction.prototype as unknown as { getRawArguments(): unknown[] };
  const split = proto.getRawArguments;
  const kept = new WeakMap<object, unknown[]>();
  proto.getRawArguments = function (this: object) {
    let args = kept.get(this);
    if (!args) {
      args = split.call(this);
      kept.set(this, args);
    }
    return args.slice();
  };
}
keepArgumentsOnce();

type Range = { start: { line: number; character: number }; end: { line: number; character: number } };

function locOfRange(map: SourceMap, range: Range | null): Loc {
  if (!range) return { line: 1, column: 1 };
  return map.locOf(map.offsetOf(range.start.line, range.start.character));
}

function buildInstruction(node: AstInstruction, outer: AstInstruction, ctx: BuildCtx): Instruction {
  const { map } = ctx;
  const range = outer.getRange();
  const start = map.offsetOf(range.start.line, range.start.character);
  const end = map.offsetOf(range.end.line, range.end.character);
  const keyword = node.getKeyword().toUpperCase();
  const flags: Flag[] =
    node instanceof ModifiableInstruction
      ? node.getFlags().map((f) => ({ name: f.getName(), value: f.getValue() }))
      : [];
  const astArgs = node.getArguments();
  const firstArg = astArgs[0];
  const argsStart = firstArg
    ? map.offsetOf(firstArg.getRange().start.line, firstArg.getRange().start.character)
    : end;
  const json =
    node instanceof JSONInstruction ? execForm(map.text.slice(argsStart, end), ctx.escapeChar) : null;
  const properties: Property[] =
    node instanceof PropertyInstruction
      ? node.getProperties().map((p) => ({
          name: p.getName(),
          value: p.getValue(),
          loc: locOfRange(map, p.getRange()),
        }))
      : [];
  // getHeredocs re-scans the instruction; only ask when a heredoc can be there.
  const heredocs: Heredoc[] =
    (node instanceof Run || node instanceof Copy) && map.text.slice(argsStart, end).includes('<<')
      ? heredocsOf(node).map((h) => {
          const content = h.getContentRange();
          const body = content
            ? map.text.slice(
                map.offsetOf(content.start.line, content.start.character),
                map.offsetOf(content.end.line, content.end.character),
              )
            : '';
          return { name: h.getName(), body, loc: locOfRange(map, h.getStartRange()) };
        })
      : [];
  const base = {
    index: ctx.index,
    keyword,
    onbuild: ctx.onbuild,
    loc: map.locOf(start),
    endLine: range.end.line + 1,
    start,
    end,
    args: astArgs.map((a) => a.getValue()),
    argsText: joinContinuations(map.text.slice(argsStart, end), ctx.escapeChar),
    flags,
    json,
    properties,
    heredocs,
    stage: ctx.stage,
  };
  if (keyword !== 'RUN') return base;
  return { ...base, shell: runScript(map, ctx.escapeChar, argsStart, end, json, start, ctx.pipelines) };
}

function heredocsOf(node: Run | Copy): ReturnType<Run['getHeredocs']> {
  // dockerfile-ast throws on some unterminated heredocs followed by an exec-form instruction;
  // the model must still be built, so such an instruction simply has no heredocs.
  try {
    return node.getHeredocs();
  } catch {
    return [];
  }
}

function runScript(
  map: SourceMap,
  escapeChar: string,
  argsStart: number,
  end: number,
  json: readonly string[] | null,
  instructionStart: number,
  pipelines: { value: number },
): ShellScript {
  if (json)
    return execFormCommands(
      json,
      { map, offset: -1, fallback: instructionStart, context: 'exec-form' },
      pipelines,
    );
  const script = shellText(map.text.slice(argsStart, end), escapeChar);
  return parseShell(script, { map, offset: argsStart, fallback: argsStart, context: 'run' }, pipelines);
}

/**
 * Turns the RUN text into what the shell receives, keeping every offset: comment and blank lines
 * inside a line continuation (which Docker drops) become a bare continuation, and a non-default
 * escape character at a line end becomes a backslash.
 */
export function shellText(raw: string, escapeChar: string): string {
  const out: string[] = [];
  let continued = false;
  for (const [i, line] of raw.split('\n').entries()) {
    const bare = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (i > 0 && continued && bare.trimStart().startsWith('#')) {
      out.push(`${' '.repeat(line.length - 1)}\\`);
      continue;
    }
    if (i > 0 && continued && bare.trim() === '') {
      // A blank line has no room for a backslash: fold it into the previous line, moving that
      // line's continuation to the end (previous + newline + blank keep their total length).
      const prev = out.pop() ?? '';
      const at = prev.lastIndexOf('\\');
      out.push(`${prev.slice(0, at)} ${prev.slice(at + 1)}${' '.repeat(line.length)}\\`);
      continue;
    }
    const trimmed = bare.trimEnd();
    continued = endsWithEscape(trimmed, escapeChar);
    let text = line;
    if (continued && escapeChar !== '\\') {
      const at = trimmed.length - 1;
      text = `${text.slice(0, at)}\\${text.slice(at + 1)}`;
    }
    if (text.endsWith('\r')) text = `${text.slice(0, -1)} `;
    out.push(text);
  }
  return out.join('\n');
}

function endsWithEscape(line: string, escapeChar: string): boolean {
  let n = 0;
  for (let i = line.length - 1; i >= 0 && line[i] === escapeChar; i--) n++;
  return n % 2 === 1;
}

function buildStages(
  instructions: Instruction[],
  fromNodes: ReadonlyMap<number, From>,
  map: SourceMap,
): Stage[] {
  const stages: Stage[] = [];
  for (const inst of instructions) {
    if (inst.keyword !== 'FROM' || inst.onbuild) continue;
    const node = fromNodes.get(inst.index);
    const imageRange = node?.getImageRange();
    const imageStart = imageRange
      ? map.offsetOf(imageRange.start.line, imageRange.start.character)
      : inst.start;
    const imageEnd = imageRange ? map.offsetOf(imageRange.end.line, imageRange.end.character) : inst.start;
    const name = node?.getBuildStage() ?? undefined;
    const platform = inst.flags.find((f) => f.name.toLowerCase() === 'platform')?.value ?? undefined;
    stages.push({
      index: stages.length,
      from: inst,
      image: map.text.slice(imageStart, imageEnd),
      imageStart,
      imageEnd,
      instructions: instructions.filter((i) => i.stage === stages.length),
      ...(name ? { name: name.toLowerCase() } : {}),
      ...(platform ? { platform } : {}),
    });
  }
  return stages;
}

function findPragmas(
  comments: readonly { text: string; loc: Loc }[],
  instructions: readonly Instruction[],
): Pragma[] {
  const pragmas: Pragma[] = [];
  for (const c of comments) {
    const m = PRAGMA.exec(c.text.trim());
    if (!m) continue;
    const tool = (m[1] ?? '').toLowerCase() === 'drydock' ? 'drydock' : 'hadolint';
    const global = Boolean(m[2]);
    const kind = (m[3] ?? '').toLowerCase();
    const value = (m[4] ?? '').trim();
    if (kind === 'shell') {
      pragmas.push({ kind: 'shell', rules: [], value, tool, loc: c.loc });
      continue;
    }
    const rules = value
      .split(/[,\s]+/)
      .map((r) => r.trim().toUpperCase())
      .filter(Boolean);
    if (global) {
      pragmas.push({ kind: 'global-ignore', rules, tool, loc: c.loc });
      continue;
    }
    const next = instructions.find((i) => i.loc.line > c.loc.line);
    const inside = instructions.some((i) => i.loc.line < c.loc.line && i.endLine >= c.loc.line);
    pragmas.push({
      kind: 'ignore',
      rules,
      tool,
      loc: c.loc,
      ...(next && !inside ? { appliesTo: next.index } : {}),
    });
  }
  return pragmas;
}

/** The arguments as Docker reads them: continuations joined, comment lines inside them dropped. */
function joinContinuations(raw: string, escapeChar: string): string {
  if (!raw.includes('\n')) return raw.trimEnd();
  let out = '';
  let continued = false;
  for (const line of raw.split('\n')) {
    const t = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (continued && (t.trimStart().startsWith('#') || t.trim() === '')) continue;
    const trimmed = t.trimEnd();
    continued = endsWithEscape(trimmed, escapeChar);
    out += continued ? trimmed.slice(0, -1) : `${t}\n`;
  }
  return out.trim();
}

/** Docker's rule: arguments that form a JSON array of strings are exec form; anything else is shell form. */
function execForm(raw: string, escapeChar: string): string[] | null {
  const text = raw
    .split('\n')
    .filter((l) => !l.trimStart().startsWith('#'))
    .map((l) => {
      const t = l.trimEnd();
      return endsWithEscape(t, escapeChar) ? t.slice(0, -1) : t;
    })
    .join('')
    .trim();
  if (!text.startsWith('[')) return null;
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : null;
  } catch {
    return null;
  }
}

/** Comment lines outside instructions (dockerfile-ast leaves out leading ones it takes for directives). */
function commentLines(text: string, instructions: readonly Instruction[]): { text: string; loc: Loc }[] {
  const covered = new Set<number>();
  for (const i of instructions) for (let l = i.loc.line; l <= i.endLine; l++) covered.add(l);
  const out: { text: string; loc: Loc }[] = [];
  text.split('\n').forEach((line, n) => {
    const t = line.trimStart();
    if (t.startsWith('#') && !covered.has(n + 1)) {
      out.push({ text: t.trimEnd(), loc: { line: n + 1, column: line.length - t.length + 1 } });
    }
  });
  return out;
}
