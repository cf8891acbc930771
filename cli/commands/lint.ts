import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { ALL_BUILDERS, type BuilderProfile, buildersNamed } from '../../core/dockerfile/builder-profile.js';
import { failsAt, type LintConfig, type Threshold } from '../../core/lint/config.js';
import { ENGINE_IDS, type Finding } from '../../core/lint/engine.js';
import { HADOLINT_IDS, isShellcheckId } from '../../core/lint/hadolint-ids.js';
import type { LintPolicy } from '../../core/lint/rule.js';
import { RULES } from '../../core/lint/rules/index.js';
import { type CliIo, EXIT, UsageError } from '../context.js';
import { toSarif } from '../format/sarif.js';
import { formatText } from '../format/text.js';
import { loadLintConfig } from '../io/config.js';
import { collectInputs } from '../io/inputs.js';
import { type LintJob, lintAll, poolSize } from '../lint-pool.js';
import { lintPolicyOf, type PolicyData } from '../policy-data.js';
import { VERSION } from '../version.js';
import { ruleList } from './rules.js';

export type Format = 'text' | 'json' | 'sarif';
export const FORMATS: readonly Format[] = ['text', 'json', 'sarif'];
const THRESHOLDS = ['error', 'warning', 'info', 'style', 'none'];

export interface LintFlags {
  format?: string;
  config?: string;
  failureThreshold?: string;
  ignore?: string[];
  color?: boolean;
  noFail?: boolean;
  jobs?: string;
  builder?: string;
}

/** The builders `--builder` names: `all` (the default, the strictest), `buildah-1.28` or `buildkit`. */
export function parseBuilders(value: string | undefined): readonly BuilderProfile[] {
  if (value === undefined) return ALL_BUILDERS;
  const found = buildersNamed(value.toLowerCase());
  if (!found) throw new UsageError(`unknown --builder "${value}"; use one of all, buildah-1.28, buildkit`);
  return found;
}

/** Validated output format. */
export function parseFormat(value: string | undefined): Format {
  const f = (value ?? 'text').toLowerCase();
  if (!FORMATS.includes(f as Format))
    throw new UsageError(`unknown --format "${value}"; use one of ${FORMATS.join(', ')}`);
  return f as Format;
}

/** Config from file plus command-line overrides. */
export function resolveConfig(flags: LintFlags, io: CliIo): LintConfig {
  const { config, file } = loadLintConfig(flags.config, io.cwd);
  warnUnknownIds(io, file ?? 'config', [...config.ignored, ...Object.keys(config.overrides)]);
  warnUnknownIds(io, '--ignore', flags.ignore ?? []);
  const threshold = flags.failureThreshold?.toLowerCase();
  if (threshold !== undefined && !THRESHOLDS.includes(threshold)) {
    throw new UsageError(
      `unknown --failure-threshold "${flags.failureThreshold}"; use one of ${THRESHOLDS.join(', ')}`,
    );
  }
  return {
    ...config,
    ...(threshold ? { failureThreshold: threshold as Threshold } : {}),
    ignored: [...config.ignored, ...(flags.ignore ?? []).map((id) => id.toUpperCase())],
    noFail: config.noFail || Boolean(flags.noFail),
  };
}

/** A rule id nobody defines is most likely a typo that silently ignores nothing; say so. */
export function warnUnknownIds(io: CliIo, where: string, ids: readonly string[]): void {
  const known = new Set(ruleList().map((r) => r.id));
  for (const raw of ids) {
    const id = raw.toUpperCase();
    if (ENGINE_IDS.has(id)) {
      io.stderr(
        `drydock: warning: ${where} names ${raw}, an engine code that cannot be ignored or lowered; it has no effect\n`,
      );
      continue;
    }
    if (known.has(id) || HADOLINT_IDS.has(id) || isShellcheckId(id)) continue;
    io.stderr(`drydock: warning: ${where} names unknown rule "${raw}"; run \`drydock rules\` for the list\n`);
  }
}

/** Renders findings in the chosen format. */
export function renderFindings(findings: readonly Finding[], format: Format, colour: boolean): string {
  if (format === 'json') return `${JSON.stringify(findings)}\n`;
  if (format === 'sarif') return `${JSON.stringify(toSarif(findings, RULES, VERSION), null, 2)}\n`;
  return formatText(findings, colour);
}

/** Parses `--jobs`: a positive count, or 0/absent for automatic. */
export function parseJobs(value: string | undefined): number {
  if (value === undefined || value === 'auto') return 0;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 64)
    throw new UsageError(`--jobs must be a whole number 0–64 or "auto", not "${value}"`);
  return n;
}

/** Lints readable inputs (in a worker pool for many files) and reports unreadable ones on stderr. */
export async function lintInputs(
  paths: readonly string[],
  flags: LintFlags,
  io: CliIo,
  config: LintConfig,
  policy: { data?: PolicyData; lint: LintPolicy } = { lint: {} },
): Promise<{ findings: Finding[]; ioErrors: number; files: string[] }> {
  const inputs = collectInputs(paths.length > 0 ? paths : ['.'], io.readStdin, io.cwd);
  const jobs: LintJob[] = [];
  let ioErrors = 0;
  for (const input of inputs) {
    if ('error' in input) {
      io.stderr(`drydock: ${input.error}\n`);
      ioErrors++;
    } else {
      jobs.push(input.file === '-' ? input : { ...input, contextDir: dirname(resolve(io.cwd, input.file)) });
    }
  }
  const workers = poolSize(jobs.length, parseJobs(flags.jobs));
  const perFile = await lintAll(
    jobs,
    { config, policyData: policy.data, builders: parseBuilders(flags.builder) },
    (data) => (data === policy.data ? policy.lint : lintPolicyOf(data)),
    {
      workers,
      ...(io.workerUrl ? { workerUrl: io.workerUrl } : {}),
    },
  );
  return { findings: perFile.flat(), ioErrors, files: jobs.map((j) => j.file) };
}

/** Runs the linter over paths; returns the exit code. */
export async function runLint(paths: readonly string[], flags: LintFlags, io: CliIo): Promise<number> {
  const format = parseFormat(flags.format);
  parseBuilders(flags.builder);
  const config = resolveConfig(flags, io);
  const { findings, ioErrors } = await lintInputs(paths, flags, io, config);
  io.stdout(renderFindings(findings, format, colourOn(flags, io)));
  if (ioErrors > 0) return EXIT.usage;
  if (config.noFail) return EXIT.ok;
  return findings.some((f) => failsAt(f.level, config.failureThreshold)) ? EXIT.findings : EXIT.ok;
}

export function colourOn(flags: { color?: boolean }, io: CliIo): boolean {
  if (flags.color === false || io.env.NO_COLOR) return false;
  return io.isTty || Boolean(io.env.FORCE_COLOR);
}

const collectIds = (v: string, prev: string[] = []): string[] => [...prev, ...v.split(',')];

/** The options every linting command shares: output, lint config and exit behaviour. */
export function withLintOptions(cmd: Command): Command {
  return cmd
    .option('-f, --format <format>', 'text | json | sarif', 'text')
    .option('-c, --config <file>', 'lint config (default: nearest .drydock.yaml, else .hadolint.yaml)')
    .option(
      '-t, --failure-threshold <level>',
      'lint findings fail at or above: error | warning | info | style | none (default: warning)',
    )
    .option('--ignore <rule>', 'ignore a lint rule id (repeatable, or comma-separated)', collectIds)
    .option(
      '--builder <builder>',
      'refuse syntax this builder reads differently: all | buildah-1.28 | buildkit (default: all)',
    )
    .option('--no-fail', 'always exit 0 when inputs could be read')
    .option('--no-color', 'never colour the text output');
}

export function registerLint(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const lint = program
    .command('lint')
    .description('Lint Dockerfiles (white-box): best practice and security rules')
    .argument('[paths...]', 'Dockerfiles or directories to search for them; - reads stdin', []);
  withLintOptions(lint)
    .option('-j, --jobs <n>', 'worker threads for many files (default: auto)')
    .addHelpText(
      'after',
      `
Examples:
  drydock lint Dockerfile
  drydock lint services/ --format json
  drydock lint --ignore DL3008,DL3015 -t error app/Dockerfile
  cat Dockerfile | drydock lint -
  drydock lint . --format sarif > drydock.sarif

Exit codes: 0 nothing at or above the threshold (default: warning), 1 findings at or above it,
2 usage or I/O errors (other inputs are still checked).`,
    )
    .action(async (paths: string[], flags: LintFlags & { fail?: boolean }) => {
      setExit(await runLint(paths, { ...flags, noFail: flags.fail === false }, io));
    });
}
