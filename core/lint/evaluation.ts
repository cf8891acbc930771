import type { Env, StageVariables } from '../dockerfile/expand.js';
import type { Command, DockerfileModel, Instruction } from '../dockerfile/model.js';
import { shellText } from '../dockerfile/parse.js';
import { resolveExecForm, resolveScript } from '../dockerfile/resolve-shell.js';
import { execFormCommands, parseShell, type ScriptOrigin, shellCString } from '../dockerfile/shell.js';
import { SourceMap } from '../dockerfile/source-map.js';
import { variablesOf } from './build-variables.js';
import type { RunCommand } from './rule.js';

const REFERENCE = /\$\{?([A-Za-z_][A-Za-z0-9_]*)(:?[-=])?/g;
const ASSIGNED = /([A-Za-z_][A-Za-z0-9_]*)\+?=/g;

/** Per-file state the evaluation builds once: the source map and the stage variables. */
interface FileEvaluation {
  readonly map: SourceMap;
  readonly vars: StageVariables;
  /** Pipeline ids for commands parsed here, after every id the file's own parse gave, so ids stay unique per file. */
  readonly pipelines: { value: number };
}

const evaluations = new WeakMap<DockerfileModel, FileEvaluation>();

function evaluationOf(model: DockerfileModel): FileEvaluation {
  let e = evaluations.get(model);
  if (!e) {
    let last = 0;
    for (const i of model.instructions) {
      for (const c of i.shell?.commands ?? []) if (c.pipeline && c.pipeline.id > last) last = c.pipeline.id;
    }
    e = { map: new SourceMap(model.text), vars: variablesOf(model), pipelines: { value: last } };
    evaluations.set(model, e);
  }
  return e;
}

/**
 * The commands of every RUN as the shell would run them (see RuleContext.resolved): RUNs where nothing resolves keep
 * the very objects of `commands`, so the evaluation costs nothing there.
 */
export function resolvedRuns(
  model: DockerfileModel,
  commands: readonly RunCommand[],
  nonPosix: (instruction: Instruction) => boolean,
): readonly RunCommand[] {
  const byInstruction = new Map<Instruction, RunCommand[]>();
  for (const c of commands) {
    const list = byInstruction.get(c.instruction);
    if (list) list.push(c);
    else byInstruction.set(c.instruction, [c]);
  }
  let changed = false;
  const parts: RunCommand[][] = [];
  for (const instruction of model.instructions) {
    const own = byInstruction.get(instruction);
    if (!instruction.shell || nonPosix(instruction)) continue;
    const resolved = resolveRun(model, instruction);
    if (resolved) {
      changed = true;
      // Statements that did not change keep their command objects, and so their RunCommand objects.
      const kept = new Map((own ?? []).map((r) => [r.command, r]));
      parts.push(resolved.map((command) => kept.get(command) ?? { command, instruction }));
    } else if (own) parts.push(own);
  }
  return changed ? parts.flat() : commands;
}

/** The resolved commands of one RUN, or undefined when no value the file sets changes them. */
function resolveRun(model: DockerfileModel, instruction: Instruction): readonly Command[] | undefined {
  const shell = instruction.shell;
  if (!shell || shell.error) return undefined;
  // Nothing to expand and no single-quoted continuation (see mayResolve): skip building the stage variables.
  if (!shell.source.includes('$') && (instruction.json || !shell.source.includes("'"))) return undefined;
  const { map, vars, pipelines } = evaluationOf(model);
  if (instruction.json) {
    const argv = resolveExecForm(instruction.json, vars.build(instruction));
    if (!argv) return undefined;
    const script = execFormCommands(argv, {
      map,
      offset: -1,
      fallback: instruction.start,
      context: 'exec-form',
    });
    return script.error ? undefined : script.commands;
  }
  const env = vars.build(instruction);
  if (!mayResolve(shell.source, env)) return undefined;
  // parse.ts keeps the RUN text offset for offset (continuations and comment lines replaced in place).
  const offset = instruction.end - shell.source.length;
  const origin: ScriptOrigin = { map, offset, fallback: offset, context: 'run' };
  return resolveScript(shell, origin, env, pipelines)?.commands;
}

/**
 * A cheap look before parsing again: some `$NAME` has a value here, has a default, or is assigned in the script; or a
 * single-quoted string holds a line continuation (which the builder joins and the shell would keep).
 */
function mayResolve(source: string, env: Env): boolean {
  if (continuationInSingleQuotes(source)) return true;
  if (!source.includes('$')) return false;
  let assigned: Set<string> | undefined;
  for (const m of source.matchAll(REFERENCE)) {
    const name = m[1] as string;
    if (m[2] || env.get(name)) return true;
    assigned ??= new Set(Array.from(source.matchAll(ASSIGNED), (a) => a[1] as string));
    if (assigned.has(name)) return true;
  }
  return false;
}

function continuationInSingleQuotes(source: string): boolean {
  if (!source.includes("'")) return false;
  let quote = '';
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (quote === "'") {
      if (c === "'") quote = '';
      else if (c === '\\' && (source[i + 1] === '\n' || (source[i + 1] === '\r' && source[i + 2] === '\n')))
        return true;
    } else if (c === '\\') i++;
    else if (c === "'" && quote === '') quote = c;
    else if (c === '"') quote = quote === '"' ? '' : quote === '' ? '"' : quote;
  }
  return false;
}

const START_KEYWORDS = new Set(['CMD', 'ENTRYPOINT', 'HEALTHCHECK']);

/** Commands of CMD, ENTRYPOINT and HEALTHCHECK CMD, resolved with the image's ENV values (see RuleContext.startCommands). */
export function startCommands(
  model: DockerfileModel,
  nonPosix: (instruction: Instruction) => boolean,
): readonly RunCommand[] {
  const out: RunCommand[] = [];
  for (const instruction of model.instructions) {
    if (!START_KEYWORDS.has(instruction.keyword)) continue;
    for (const command of startCommandsOf(model, instruction, nonPosix)) out.push({ command, instruction });
  }
  for (const stage of model.stages) out.push(...entrypointWithCmd(model, stage.instructions));
  return out;
}

/**
 * `ENTRYPOINT ["sh", "-c"]` + `CMD ["curl … | sh"]`: the container runs the two argv joined, so the script is the
 * CMD's. Gives the joined command (at the CMD) when only the join makes a `sh -c` script.
 */
function entrypointWithCmd(model: DockerfileModel, instructions: readonly Instruction[]): RunCommand[] {
  const last = (keyword: string) => instructions.filter((i) => i.keyword === keyword && !i.onbuild).pop();
  const entrypoint = last('ENTRYPOINT')?.json;
  const cmd = last('CMD');
  if (
    !entrypoint ||
    !cmd ||
    shellCString({ name: entrypoint[0] ?? '', args: entrypoint.slice(1) }) !== undefined
  )
    return [];
  // A shell-form CMD is `/bin/sh -c TEXT` when an exec-form ENTRYPOINT runs it.
  const tail = cmd.json ?? ['/bin/sh', '-c', cmd.argsText];
  const argv = [...entrypoint, ...tail];
  if (shellCString({ name: argv[0] ?? '', args: argv.slice(1) }) === undefined) return [];
  const { map, vars, pipelines } = evaluationOf(model);
  const origin: ScriptOrigin = { map, offset: -1, fallback: cmd.start, context: 'exec-form' };
  const script = execFormCommands(resolveExecForm(argv, vars.runtime(cmd)) ?? argv, origin, pipelines);
  return script.commands.map((command) => ({ command, instruction: cmd }));
}

function startCommandsOf(
  model: DockerfileModel,
  instruction: Instruction,
  nonPosix: (instruction: Instruction) => boolean,
): readonly Command[] {
  const { map, vars, pipelines } = evaluationOf(model);
  const raw = model.text.slice(instruction.start, instruction.end);
  const at = argumentStart(raw, instruction.keyword, model.escape || '\\');
  if (at === undefined) return [];
  const env = vars.runtime(instruction);
  const argv =
    instruction.keyword === 'HEALTHCHECK'
      ? jsonArray(instruction.argsText.replace(/^[\s\S]*?\bCMD\b/i, ''))
      : instruction.json;
  if (argv) {
    const origin: ScriptOrigin = { map, offset: -1, fallback: instruction.start, context: 'exec-form' };
    const script = execFormCommands(resolveExecForm(argv, env) ?? argv, origin, pipelines);
    return script.commands;
  }
  // Shell form runs as `SHELL + [text]`: only a POSIX shell's text is shell.
  if (nonPosix(instruction)) return [];
  const source = shellText(raw.slice(at), model.escape || '\\');
  const origin: ScriptOrigin = {
    map,
    offset: instruction.start + at,
    fallback: instruction.start + at,
    context: 'run',
  };
  const parsed = parseShell(source, origin, pipelines);
  const resolved = source.includes('$') ? resolveScript(parsed, origin, env, pipelines) : undefined;
  return (resolved ?? parsed).commands;
}

/** Where the command text of a CMD, ENTRYPOINT or HEALTHCHECK starts in its instruction's text; undefined for NONE. */
function argumentStart(raw: string, keyword: string, escapeChar: string): number | undefined {
  const key = `${keyword} ${escapeChar}`;
  let head = heads.get(key);
  if (!head) {
    head = argumentHead(keyword, escapeChar);
    heads.set(key, head);
  }
  const m = head.exec(raw);
  return m ? m[0].length : undefined;
}
// One pattern per keyword and escape character, built on first use.
const heads = new Map<string, RegExp>();

function argumentHead(keyword: string, escapeChar: string): RegExp {
  const gap = `(?:[ \\t]|${escapeChar.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}\\r?\\n)+`;
  const head =
    keyword === 'HEALTHCHECK'
      ? new RegExp(`^(?:ONBUILD${gap})?HEALTHCHECK${gap}(?:--\\S+${gap})*CMD${gap}`, 'i')
      : new RegExp(`^(?:ONBUILD${gap})?${keyword}${gap}`, 'i');
  return head;
}

function jsonArray(text: string): string[] | null {
  const t = text.trim();
  if (!t.startsWith('[')) return null;
  try {
    const v: unknown = JSON.parse(t);
    return Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : null;
  } catch {
    return null;
  }
}

/**
 * Commands of the scripts SHELL instructions carry (`SHELL ["/bin/sh", "-c", "curl … | sh; exec \"$0\" \"$@\""]`):
 * every later RUN runs them first (see RuleContext.shellScripts).
 */
export function shellScripts(model: DockerfileModel): readonly RunCommand[] {
  const out: RunCommand[] = [];
  for (const instruction of model.instructions) {
    const argv = instruction.keyword === 'SHELL' ? instruction.json : null;
    if (!argv || shellCString({ name: argv[0] ?? '', args: argv.slice(1) }) === undefined) continue;
    const { map, vars, pipelines } = evaluationOf(model);
    const origin: ScriptOrigin = { map, offset: -1, fallback: instruction.start, context: 'exec-form' };
    const resolved = resolveExecForm(argv, vars.build(instruction)) ?? argv;
    for (const command of execFormCommands(resolved, origin, pipelines).commands)
      out.push({ command, instruction });
  }
  return out;
}
