import { parse as parseYaml, YAMLParseError } from 'yaml';
import * as z from 'zod';
import { ConfigError } from '../errors.js';
import { LEVELS, type Level } from './rule.js';

/** When a run fails: findings at or above this level; `none` never fails. */
export type Threshold = Level | 'none';

const level = z.enum(['error', 'warning', 'info', 'style', 'ignore', 'none']);
const ruleIds = z.array(z.string().regex(/^[A-Za-z]{2}\d{3,4}$/, 'must be a rule id like DL3008 or DD101'));

// hadolint's own config keys, so an existing .hadolint.yaml keeps working; keys drydock does not
// act on (label schema, output format) are accepted and ignored.
const ConfigSchema = z
  .object({
    'failure-threshold': level.optional(),
    failureThreshold: level.optional(),
    ignored: ruleIds.optional(),
    override: z
      .object({
        error: ruleIds.optional(),
        warning: ruleIds.optional(),
        info: ruleIds.optional(),
        style: ruleIds.optional(),
      })
      .strict()
      .optional(),
    trustedRegistries: z.array(z.string().min(1)).optional(),
    'no-fail': z.boolean().optional(),
    'no-color': z.boolean().optional(),
    format: z.string().optional(),
    'strict-labels': z.boolean().optional(),
    'label-schema': z.record(z.string(), z.string()).optional(),
    'disable-ignore-pragma': z.boolean().optional(),
  })
  .strict();

/** Linter configuration after validation, in drydock's own terms. */
export interface LintConfig {
  readonly failureThreshold: Threshold;
  readonly ignored: readonly string[];
  readonly overrides: Readonly<Record<string, Level>>;
  readonly trustedRegistries?: readonly string[];
  readonly noFail: boolean;
  readonly disableIgnorePragma: boolean;
  /** Rules no pragma, ignore list or lowering override can silence (set by the policy for the gate). */
  readonly enforced?: readonly string[];
}

/** The defaults: fail on warnings and errors; info and style are advice. */
export const DEFAULT_CONFIG: LintConfig = {
  failureThreshold: 'warning',
  ignored: [],
  overrides: {},
  noFail: false,
  disableIgnorePragma: false,
};

/**
 * The longest `.drydock.yaml` / `.hadolint.yaml` read, in characters. The pipeline parses a team's file on its main
 * thread: 10 MB of nested `[` held the parser for over a minute and then ran the process out of memory, while a real
 * configuration is a few hundred bytes.
 */
export const MAX_LINT_CONFIG_CHARS = 64 * 1024;

/** Parses `.drydock.yaml` / `.hadolint.yaml` text; errors name the file, the field path and the line. */
export function parseLintConfig(text: string, source: string): LintConfig {
  if (text.length > MAX_LINT_CONFIG_CHARS) {
    throw new ConfigError(
      `${source}: the file has ${text.length} characters, more than the ${MAX_LINT_CONFIG_CHARS} a lint configuration may have; it was not parsed`,
    );
  }
  let raw: unknown;
  try {
    raw = text.trim() === '' ? {} : parseYaml(text);
  } catch (err) {
    const where =
      err instanceof YAMLParseError && err.linePos ? `:${err.linePos[0].line}:${err.linePos[0].col}` : '';
    throw new ConfigError(`${source}${where}: not valid YAML: ${(err as Error).message.split('\n')[0]}`, {
      cause: err,
    });
  }
  const parsed = ConfigSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(top level)'}: ${issueText(i)}`);
    throw new ConfigError(`${source}: invalid configuration: ${issues.join('; ')}`);
  }
  const c = parsed.data;
  const overrides: Record<string, Level> = {};
  for (const l of LEVELS) for (const id of c.override?.[l] ?? []) overrides[id.toUpperCase()] = l;
  const threshold = c['failure-threshold'] ?? c.failureThreshold ?? DEFAULT_CONFIG.failureThreshold;
  return {
    failureThreshold: threshold === 'ignore' ? 'none' : threshold,
    ignored: (c.ignored ?? []).map((id) => id.toUpperCase()),
    overrides,
    ...(c.trustedRegistries ? { trustedRegistries: c.trustedRegistries } : {}),
    noFail: c['no-fail'] ?? false,
    disableIgnorePragma: c['disable-ignore-pragma'] ?? false,
  };
}

function issueText(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys')
    return `unknown key(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  return issue.message;
}

/** True when a finding at `level` makes the run fail under `threshold`. */
export function failsAt(level: Level, threshold: Threshold): boolean {
  if (threshold === 'none') return false;
  return LEVELS.indexOf(level) <= LEVELS.indexOf(threshold);
}

/** The stricter of two thresholds: the one that fails on more findings. */
export function stricterThreshold(a: Threshold, b: Threshold): Threshold {
  if (a === 'none') return b;
  if (b === 'none') return a;
  return LEVELS.indexOf(a) >= LEVELS.indexOf(b) ? a : b;
}
