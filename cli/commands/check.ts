import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Command } from 'commander';
import { parseDockerfile } from '../../core/dockerfile/parse.js';
import {
  type DefinitionVerdict,
  gateDefinition,
  POLICY_CODES,
  policyFindings,
} from '../../core/gate/gate-definition.js';
import { RULES } from '../../core/lint/rules/index.js';
import type { BaseVerdict } from '../../core/policy/verdict.js';
import { type CliIo, EXIT, UsageError } from '../context.js';
import { toSarif } from '../format/sarif.js';
import { formatText } from '../format/text.js';
import { readContextFiles } from '../io/context-files.js';
import { collectInputs } from '../io/inputs.js';
import { loadPolicy, policyPath } from '../io/policy-file.js';
import { VERSION } from '../version.js';
import {
  colourOn,
  type LintFlags,
  parseBuilders,
  parseFormat,
  resolveConfig,
  warnUnknownIds,
  withLintOptions,
} from './lint.js';

interface CheckFlags extends LintFlags {
  policy?: string;
  project?: string;
  buildArg?: string[];
  emitSubstituted?: string;
}

/** Build args from repeated `--build-arg NAME=value`. */
export function parseBuildArgs(values: readonly string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    const eq = v.indexOf('=');
    if (eq <= 0) throw new UsageError(`--build-arg needs NAME=value, got "${v}"`);
    out[v.slice(0, eq)] = v.slice(eq + 1);
  }
  return out;
}

/** A base verdict as JSON: where it is, what was asked, what the policy answered. */
export function baseJson(b: BaseVerdict) {
  const { use, ...rest } = b;
  return { ...rest, kind: use.kind, image: use.text, line: use.line, column: use.column };
}

/** Lint + base-image policy over definitions; returns the exit code. */
export async function runCheck(paths: readonly string[], flags: CheckFlags, io: CliIo): Promise<number> {
  const format = parseFormat(flags.format);
  const project = flags.project ?? io.env.DRYDOCK_PROJECT;
  if (!project)
    throw new UsageError(
      'no project given: pass --project NAME (or set DRYDOCK_PROJECT); exceptions are per project',
    );
  const buildArgs = parseBuildArgs(flags.buildArg);
  const builders = parseBuilders(flags.builder);
  const config = resolveConfig(flags, io);
  const source = policyPath(flags.policy, io.env);
  const policy = loadPolicy(source);
  warnUnknownIds(io, `${source} gate.enforce`, policy.gate.enforce);
  const now = io.now();

  const verdicts: DefinitionVerdict[] = [];
  const errors: string[] = [];
  for (const input of collectInputs(paths.length > 0 ? paths : ['.'], io.readStdin, io.cwd)) {
    if ('error' in input) {
      errors.push(input.error);
      io.stderr(`drydock: ${input.error}\n`);
      continue;
    }
    // The pipeline builds with the definition's directory as context: its copied files are checked by content.
    const parsed = parseDockerfile(input.text, input.file);
    const contextFiles =
      input.file === '-' ? undefined : readContextFiles(dirname(resolve(io.cwd, input.file)), parsed.model);
    const verdict = gateDefinition({
      text: input.text,
      parsed,
      ...(contextFiles ? { contextFiles } : {}),
      file: input.file,
      project,
      policy,
      now,
      config,
      buildArgs,
      builders,
    });
    // The rewrite worked on the text without its byte-order mark; put the mark back so only references change.
    verdicts.push(
      input.bom && verdict.substituted !== undefined
        ? { ...verdict, substituted: `\uFEFF${verdict.substituted}` }
        : verdict,
    );
  }
  if (flags.emitSubstituted) errors.push(...writeSubstituted(verdicts, flags.emitSubstituted, io));

  const colour = colourOn(flags, io);
  if (format === 'json') {
    const definitions = verdicts.map((v) => ({
      file: v.file,
      passed: v.passed,
      findings: v.findings,
      bases: v.bases.map(baseJson),
      unresolved: v.unresolved,
      ...(v.substituted !== undefined ? { substituted: v.substituted } : {}),
    }));
    const passed = errors.length === 0 && verdicts.every((v) => v.passed);
    io.stdout(`${JSON.stringify({ project, policy: source, passed, definitions, errors }, null, 2)}\n`);
  } else if (format === 'sarif') {
    const all = verdicts.flatMap((v) => [...v.findings, ...policyFindings(v)]);
    const rules = [...RULES, ...Object.values(POLICY_CODES).map((c) => ({ ...c, rationale: c.title }))];
    io.stdout(`${JSON.stringify(toSarif(all, rules, VERSION), null, 2)}\n`);
  } else {
    io.stdout(renderCheckText(verdicts, { project, source, colour }));
  }
  if (errors.length > 0) return EXIT.usage;
  // Only the operator's flag turns failures off; `no-fail` in the team's config file does not reach the gate.
  if (flags.noFail) return EXIT.ok;
  return verdicts.every((v) => v.passed) ? EXIT.ok : EXIT.findings;
}

function renderCheckText(
  verdicts: readonly DefinitionVerdict[],
  opts: { project: string; source: string; colour: boolean },
): string {
  const paint = (code: string, s: string) => (opts.colour ? `\u001b[${code}m${s}\u001b[0m` : s);
  let out = '';
  for (const v of verdicts) {
    out += `${v.passed ? paint('32', 'PASS') : paint('31', 'FAIL')} ${v.file}\n`;
    for (const b of v.bases) out += `  ${describeBase(b)}\n`;
    for (const u of v.unresolved)
      out += `  base ${u.written} (line ${u.loc.line}) ${paint('31', 'unresolved')}: ${u.reason}\n`;
    for (const line of formatText(v.findings, opts.colour).split('\n')) if (line) out += `  ${line}\n`;
    if (v.substituted !== undefined) {
      out +=
        '  the substituted definition is in the JSON output (--format json) or written by --emit-substituted DIR\n';
    }
  }
  const failed = verdicts.filter((v) => !v.passed).length;
  out += `${verdicts.length} definition(s): ${verdicts.length - failed} passed, ${failed} failed (project ${opts.project}, policy ${opts.source})\n`;
  return out;
}

function describeBase(b: BaseVerdict): string {
  const where = `${b.use.kind === 'from' ? 'base' : b.use.kind} ${b.use.text} (line ${b.use.line})`;
  switch (b.outcome) {
    case 'allowed':
      return `${where} allowed by ${b.entry}${b.expires ? ` (exception, expires ${b.expires})` : ''}${b.caveat ? `; note: ${b.caveat}` : ''}`;
    case 'denied':
      return `${where} denied: ${b.reason}`;
    case 'substituted':
      return `${where} substituted with ${b.to}: ${b.why}`;
  }
}

/** Writes rewritten definitions under `dir`, mirroring their paths; returns the errors met. */
function writeSubstituted(verdicts: readonly DefinitionVerdict[], dir: string, io: CliIo): string[] {
  const errors: string[] = [];
  const root = resolve(io.cwd, dir);
  for (const v of verdicts) {
    if (v.substituted === undefined) continue;
    if (v.file === '-') {
      io.stderr(
        'drydock: the substituted definition read from stdin is in the JSON output (--format json); not written\n',
      );
      continue;
    }
    // Mirror the path relative to the working directory, with `..` and leading `/` dropped so it stays inside dir.
    const rel = relative(io.cwd, resolve(io.cwd, v.file))
      .split(sep)
      .filter((part) => part !== '..' && part !== '' && part !== '.')
      .join(sep);
    const target = join(root, rel);
    if (!target.startsWith(root + sep)) {
      errors.push(`${v.file}: cannot place the substituted definition inside ${dir}`);
      continue;
    }
    try {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, v.substituted);
      io.stderr(`drydock: wrote substituted definition ${target}\n`);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      errors.push(`${target}: cannot write the substituted definition (${code ?? (err as Error).message})`);
    }
  }
  for (const e of errors) io.stderr(`drydock: ${e}\n`);
  return errors;
}

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

export function registerCheck(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const check = program
    .command('check')
    .description('Lint + base-image policy: the gate every push goes through, one verdict per definition')
    .argument('[paths...]', 'Dockerfiles or directories to search for them; - reads stdin', [])
    .option('-p, --policy <file>', 'policy document, YAML or JSON (default: $DRYDOCK_POLICY)')
    .option(
      '-P, --project <name>',
      'project the definitions belong to; exceptions are per project (default: $DRYDOCK_PROJECT)',
    )
    .option('--build-arg <name=value>', 'value for an ARG used in FROM (repeatable)', collect)
    .option('--emit-substituted <dir>', 'write definitions whose bases the policy substituted into DIR');
  withLintOptions(check)
    .addHelpText(
      'after',
      `
Examples:
  drydock check examples --policy examples/policy.yaml --project payments
  drydock check app/Dockerfile -p policy.yaml -P billing --build-arg BASE=node:20 --format json
  drydock check . -p policy.yaml -P web --emit-substituted out/

A definition passes when no lint finding reaches the threshold (default: warning) and no base
image is denied or unresolvable. Substituted bases pass: the build uses the rewritten definition,
in which only the image references change.
Exit codes: 0 all passed, 1 a definition failed, 2 usage, policy or I/O errors.`,
    )
    .action(async (paths: string[], flags: CheckFlags & { fail?: boolean }) => {
      setExit(await runCheck(paths, { ...flags, noFail: flags.fail === false }, io));
    });
}
