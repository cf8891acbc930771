import semver from 'semver';
import * as z from 'zod';
import { quoteInput } from '../errors.js';
import { digestProblem } from '../image-ref/digest.js';
import { formatImageRef } from '../image-ref/format-image-ref.js';
import { registryProblem, tagProblem } from '../image-ref/grammar.js';
import { parseImageRef } from '../image-ref/parse-image-ref.js';
import { type CompiledRegex, compileGoRegex } from '../image-tests/go-regex.js';
import { hasWildcard, type PatternShape, parseImagePattern } from './image-pattern.js';

/** Package ecosystems an insecure-package entry can name; `any` matches every ecosystem. */
export const ECOSYSTEMS = ['apt', 'apk', 'rpm', 'pip', 'npm', 'gem', 'maven', 'any'] as const;

/** An ecosystem an insecure-package entry names. */
export type Ecosystem = (typeof ECOSYSTEMS)[number];

const QUOTE_HINT = ' (quote it: YAML reads 1.10 as the number 1.1)';

// A type error message that leaves missing values to the shared "is required".
const wrongType = (message: string, numberHint = false) => ({
  error: (iss: { input?: unknown }) =>
    iss.input === undefined
      ? undefined
      : `${message}${numberHint && typeof iss.input === 'number' ? QUOTE_HINT : ''}`,
});

const text = (what: string) =>
  z
    .string(wrongType(`must be ${what}`))
    .trim()
    .min(1, { error: 'must not be empty' });

const pattern = (shape: PatternShape) =>
  z.string(wrongType('must be an image string')).transform((value, ctx) => {
    const parsed = parseImagePattern(value, shape);
    if (parsed.ok) return parsed.pattern.text;
    ctx.issues.push({ code: 'custom', message: parsed.error, input: value });
    return z.NEVER;
  });

/** A concrete reference to rewrite to: no wildcards, an explicit tag or digest; normalised. */
const target = z.string(wrongType('must be an image reference string')).transform((value, ctx) => {
  const fail = (message: string) => {
    ctx.issues.push({ code: 'custom', message, input: value });
    return z.NEVER;
  };
  if (hasWildcard(value)) return fail(`${quoteInput(value)} has a wildcard; a target must be one image`);
  const parsed = parseImageRef(value);
  if (!parsed.ok) return fail(parsed.error);
  if (parsed.ref.implicitTag)
    return fail(`${quoteInput(value)} names no tag or digest; write the tag the build must use`);
  return formatImageRef(parsed.ref);
});

const tagGlob = z
  .string(wrongType('must be a glob string', true))
  .refine((glob) => tagProblem(glob.replace(/[*?]/g, 'x')) === undefined, {
    error: 'must be a tag glob: letters, digits, "_", "." and "-", with the wildcards * and ?',
  });

const tagRange = z
  .string(wrongType('must be a semver range string like ">=1.36 <2"', true))
  .refine((range) => semver.validRange(range) !== null, { error: 'must be a semver range like ">=1.36 <2"' });

const digest = z.string(wrongType('must be a digest string')).check((ctx) => {
  const bad = digestProblem(ctx.value);
  if (bad) ctx.issues.push({ code: 'custom', message: `invalid digest: ${bad.problem}`, input: ctx.value });
});

const date = z
  .string(wrongType('must be a date written YYYY-MM-DD'))
  .refine((value) => isCalendarDate(value), { error: 'must be a real date written YYYY-MM-DD' });

const registry = z.string(wrongType('must be a registry host string')).transform((value, ctx) => {
  const bad = registryProblem(value);
  if (bad) {
    ctx.issues.push({ code: 'custom', message: bad, input: value });
    return z.NEVER;
  }
  return value === 'index.docker.io' ? 'docker.io' : value;
});

const versionSpec = z
  .string({ error: (iss) => `must be a version string${typeof iss.input === 'number' ? QUOTE_HINT : ''}` })
  .trim()
  .min(1, { error: 'must not be empty' })
  .refine((value) => !/[<>=^~|*]/.test(value) || semver.validRange(value) !== null, {
    error: 'looks like a range but is not a valid semver range',
  });

const whole = (what: string, min: number) =>
  z
    .number(wrongType(`must be a whole number of ${what}`))
    .int({ error: `must be a whole number of ${what}` })
    .min(min, { error: `must be at least ${min}` });

const tagRules = {
  tags: z.array(tagGlob).min(1).optional(),
  versions: tagRange.optional(),
  digests: z.array(digest).min(1).optional(),
};

const needsTagRule = <T extends { tags?: unknown; versions?: unknown; digests?: unknown }>(entry: T) =>
  entry.tags !== undefined || entry.versions !== undefined || entry.digests !== undefined;
const TAG_RULE_MISSING = 'needs tags, versions or digests (write tags: ["*"] to allow every tag)';

const AllowedEntrySchema = z
  .strictObject({
    image: pattern({ tag: false, digest: false, digestOnly: false }),
    ...tagRules,
    note: text('a string').optional(),
  })
  .refine(needsTagRule, { error: TAG_RULE_MISSING });

const ExceptionEntrySchema = z
  .strictObject({
    project: z.string(wrongType('must be a project name string')).regex(/^[A-Za-z0-9][A-Za-z0-9._/-]*$/, {
      error: 'must be a project name: letters, digits, ".", "_", "-", "/"',
    }),
    image: pattern({ tag: false, digest: false, digestOnly: false }),
    ...tagRules,
    expires: date,
    reason: text('a string'),
  })
  .refine(needsTagRule, { error: TAG_RULE_MISSING });

const BannedEntrySchema = z.strictObject({
  image: pattern({ tag: true, digest: true, digestOnly: true }),
  reason: text('a string'),
  replacement: target.optional(),
  /** The ban's id, written by `drydock ban` so that `drydock unban` can lift it; hand-written entries have none. */
  id: z
    .string(wrongType('must be a ban id string'))
    .regex(/^ban-[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, { error: 'must be a ban id like ban-1a2b3c' })
    .optional(),
  /** Who published the ban. */
  by: text('a string').optional(),
  /** When the ban was published (ISO 8601). */
  at: z.iso
    .datetime({ offset: true, error: 'must be an ISO 8601 timestamp like 2026-12-07T18:00:00Z' })
    .optional(),
});

const SubstitutionSchema = z.strictObject({
  from: pattern({ tag: true, digest: true, digestOnly: true }),
  to: target,
  reason: text('a string'),
});

const InsecurePackageSchema = z.strictObject({
  ecosystem: z.enum(ECOSYSTEMS, { error: `must be one of ${ECOSYSTEMS.join(', ')}` }),
  name: text('a package name string'),
  versions: z.preprocess(
    (value) => (typeof value === 'string' ? [value] : value),
    z
      .array(versionSpec, wrongType('must be a version, a semver range, or a list of them'))
      .min(1, { error: 'must not be empty' }),
  ),
  advisory: text('an advisory id string'),
  fixedIn: text('a version string').optional(),
});

/** The longest value a band-aid parameter may take; patterns are ops' to write, this bound holds whatever they say. */
export const MAX_PARAM_VALUE_LENGTH = 256;

/** The longest pattern a band-aid parameter may declare. */
export const MAX_PARAM_PATTERN_LENGTH = 1024;

const PARAM_NAME = /^[a-z][a-z0-9_]*$/;
const WHOLE_PLACEHOLDER = /^\{\{([^{}]*)\}\}$/;
// Interpreters whose options take program text, and those options (sh -c, bash -ec, python3 -c, node -e,
// python3 -m, perl -e, php -r, pwsh -Command): a value placed right after one would be run as code, not passed as data.
const INTERPRETER =
  /^(?:sh|bash|dash|ash|zsh|ksh|mksh|busybox|python[0-9.]*|perl|ruby|node|nodejs|php|pwsh|powershell|lua[0-9.]*|tclsh)$/;
const SCRIPT_OPTION = /^(?:-[A-Za-z]*[ceEmMrp][A-Za-z]*|--eval|--print|--command|-Command|-EncodedCommand)$/;

/**
 * Compiles a band-aid parameter pattern to match whole values only. The pattern must compile on its own first:
 * otherwise `0)|(.*` would close the anchoring group and match anything.
 */
export function fullMatchRegex(pattern: string): CompiledRegex {
  if (pattern.length > MAX_PARAM_PATTERN_LENGTH)
    return {
      ok: false,
      error: `it is ${pattern.length} characters long, over the limit of ${MAX_PARAM_PATTERN_LENGTH}`,
    };
  const alone = compileGoRegex(pattern);
  if (!alone.ok) return alone;
  return compileGoRegex(`\\A(?:${pattern})\\z`);
}

/** Why a band-aid parameter pattern cannot be used, or undefined when it compiles (RE2, so it cannot backtrack). */
export function paramPatternProblem(pattern: string): string | undefined {
  const compiled = fullMatchRegex(pattern);
  return compiled.ok ? undefined : `is not a usable RE2 regular expression: ${compiled.error}`;
}

const BandAidParamSchema = z.strictObject({
  /** RE2 regular expression a value must match in full. */
  pattern: z
    .string(wrongType('must be a regular expression string (RE2 syntax, matched against the whole value)'))
    .min(1, { error: 'must not be empty' })
    .check((ctx) => {
      const problem = paramPatternProblem(ctx.value);
      if (problem) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value });
    }),
  description: text('a string').optional(),
});

const BandAidSchema = z
  .strictObject({
    id: z
      .string(wrongType('must be an id string'))
      .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, { error: 'must be a kebab-case id like disable-sslv3' }),
    description: text('a string'),
    command: z
      .array(
        z.string(wrongType('must be a string (one argv element)')).min(1, { error: 'must not be empty' }),
        wrongType('must be an argv array like ["/bin/sh", "-c", "…"], never one shell string'),
      )
      .min(1, { error: 'must hold at least the program' })
      .refine((argv) => argv[0]?.startsWith('/') ?? false, {
        error: 'the program (first element) must be an absolute path',
        path: [0],
      }),
    /** Parameters a ban supplies, by name: each value must match its pattern in full; `{{name}}` in `command` is replaced by it. */
    params: z
      .record(z.string().regex(PARAM_NAME), BandAidParamSchema, {
        error: (iss) =>
          iss.code === 'invalid_key'
            ? 'a parameter name must be lower case letters, digits and "_", starting with a letter'
            : iss.input === undefined
              ? undefined
              : 'must be a map of parameter name to { pattern, description }',
      })
      .default({}),
    appliesTo: z.array(pattern({ tag: true, digest: true, digestOnly: true })).min(1),
    /** A run still going after this is ended and recorded as failed. @default 60 */
    timeoutSeconds: z
      .number(wrongType('must be a whole number of seconds'))
      .int({ error: 'must be a whole number of seconds' })
      .min(1, { error: 'must be at least 1' })
      .max(3600, { error: 'must be at most 3600 (one hour)' })
      .default(60),
    /** Containers it runs in at once. @default 10 */
    maxConcurrency: whole('containers', 1).default(10),
    /** Failed runs tolerated before no more are dispatched; 0 stops after the first failure. @default 0 */
    maxErrors: whole('failed runs', 0).default(0),
  })
  .check((ctx) => {
    for (const issue of placeholderIssues(ctx.value.command, ctx.value.params)) {
      ctx.issues.push({ code: 'custom', ...issue, input: ctx.value });
    }
  });

// Placeholders stand only as whole argv elements, so a value becomes exactly one argument and is never spliced
// into a string that a shell (or any interpreter) reads; each names a declared parameter, each parameter is used.
function placeholderIssues(
  command: readonly string[],
  params: Readonly<Record<string, unknown>>,
): { message: string; path: (string | number)[] }[] {
  const issues: { message: string; path: (string | number)[] }[] = [];
  const used = new Set<string>();
  command.forEach((element, i) => {
    const placeholder = WHOLE_PLACEHOLDER.exec(element);
    if (placeholder) {
      const name = placeholder[1] ?? '';
      if (!Object.hasOwn(params, name)) {
        const known = Object.keys(params);
        issues.push({
          path: ['command', i],
          message: `placeholder ${quoteInput(element)} names no declared parameter (${known.length ? `declared: ${known.join(', ')}` : 'params declares none'})`,
        });
      } else {
        used.add(name);
      }
      const before = command[i - 1];
      const interpreted = command
        .slice(0, i - 1)
        .some((e) => INTERPRETER.test(e.slice(e.lastIndexOf('/') + 1)));
      if (before !== undefined && interpreted && SCRIPT_OPTION.test(before)) {
        issues.push({
          path: ['command', i],
          message: `placeholder ${quoteInput(element)} follows ${quoteInput(before)}, so its value would be run as program text; pass it as an argument after the script instead, e.g. ["/bin/sh", "-c", "… \\"$1\\"", "sh", "${element}"]`,
        });
      }
      return;
    }
    if (element.includes('{{') || element.includes('}}')) {
      issues.push({
        path: ['command', i],
        message: `a placeholder must be a whole argv element ("{{name}}" alone), never part of one, so that a value is never spliced into a string a shell reads: pass it as its own element, e.g. ["/bin/sh", "-c", "… \\"$1\\"", "sh", "{{name}}"]`,
      });
    }
  });
  for (const name of Object.keys(params)) {
    if (!used.has(name))
      issues.push({
        path: ['params', name],
        message: `parameter "${name}" is declared but command never uses {{${name}}}`,
      });
  }
  return issues;
}

/** How the ban response paces itself. */
const ResponseSchema = z.strictObject({
  /** Rebuilds of a ban running at once. @default the build concurrency of the runtime */
  maxConcurrentRebuilds: whole('rebuilds', 1).optional(),
});

/** What the gate enforces whatever the team's lint config and pragmas say. */
const GateSchema = z.strictObject({
  /** Lint findings at or above this level fail the gate; a team's config may be stricter, never looser. @default warning */
  failureThreshold: z
    .enum(['error', 'warning', 'info', 'style'], wrongType('must be one of error, warning, info, style'))
    .default('warning'),
  /** Rules no pragma, ignore list or lowering override can silence. @default [] */
  enforce: z
    .array(z.string().regex(/^(DL|DD)\d{3,4}$/, { error: 'must be a rule id like DD110 or DL3008' }))
    .default([]),
  /** Definitions one push may add or modify; a push with more gets one failed verdict and no build. @default 200 */
  maxDefinitionsPerPush: z
    .number(wrongType('must be a whole number'))
    .int({ error: 'must be a whole number' })
    .min(1, { error: 'must be at least 1' })
    .optional(),
});

/** The sandbox of every build; what is left out takes the builder's default (in brackets). */
const BuildSchema = z.strictObject({
  /** `none`: RUN steps reach nothing, not even this host (default). `egress`: the outside world, never this host. */
  network: z.enum(['none', 'egress'], wrongType('must be none or egress')).optional(),
  /** Memory of a build's RUN steps together (2048). */
  memoryMiB: whole('MiB', 16).optional(),
  /** Processes and threads of a build's RUN steps together (1024). */
  maxProcesses: whole('processes', 16).optional(),
  /** Size of the build context (512). */
  maxContextMiB: whole('MiB', 1).optional(),
  /** Size of the built image, its layers uncompressed (4096). */
  maxImageMiB: whole('MiB', 1).optional(),
});

/** The base-image policy document, `version: 1`; unknown keys are errors so that a typo cannot weaken policy. */
export const PolicySchema = z.strictObject({
  version: z.literal(1, wrongType('must be 1')),
  allowed: z.array(AllowedEntrySchema, wrongType('must be a list of whitelist entries')),
  exceptions: z.array(ExceptionEntrySchema).default([]),
  banned: z.array(BannedEntrySchema).default([]),
  substitutions: z.array(SubstitutionSchema).default([]),
  insecurePackages: z.array(InsecurePackageSchema).default([]),
  bandAids: z.array(BandAidSchema).default([]),
  trustedRegistries: z.array(registry).min(1).optional(),
  /**
   * Admit a digest-pinned reference only when the admitting entry lists its digest: builders pull the digest and
   * ignore the tag beside it, so without this the tag admits content the policy never named. @default true
   */
  requireDigestListed: z.boolean(wrongType('must be true or false')).default(true),
  /** Lint settings the gate enforces over the team's own config. */
  gate: GateSchema.default({ failureThreshold: 'warning', enforce: [] }),
  /** The build sandbox's network and limits. */
  build: BuildSchema.optional(),
  /** How the ban response paces rebuilds. */
  response: ResponseSchema.optional(),
});

/** A validated policy: image strings normalised (`node` is `docker.io/library/node`), absent lists empty. */
export type Policy = z.output<typeof PolicySchema>;
/** One whitelist entry. */
export type AllowedEntry = Policy['allowed'][number];
/** One per-project exception, always with an expiry date. */
export type ExceptionEntry = Policy['exceptions'][number];
/** One ban: an image, tag, name glob or digest, with its reason and optional replacement. */
export type BannedEntry = Policy['banned'][number];
/** One automatic rewrite rule. */
export type Substitution = Policy['substitutions'][number];
/** One insecure package version for the linter. */
export type InsecurePackage = Policy['insecurePackages'][number];
/** One ops-approved command to run in containers of affected images. */
export type BandAid = Policy['bandAids'][number];
/** The lint settings the gate enforces. */
export type GateSettings = Policy['gate'];
/** One declared parameter of a band-aid. */
export type BandAidParam = BandAid['params'][string];
/** The ban response settings of the policy. */
export type ResponseSettings = z.output<typeof ResponseSchema>;
/** The build sandbox settings of the policy. */
export type BuildSettings = z.output<typeof BuildSchema>;

/** Every key the schema knows, for "did you mean" hints on unknown keys. */
export const KNOWN_KEYS: readonly string[] = [
  ...new Set([
    ...Object.keys(PolicySchema.shape),
    ...Object.keys(GateSchema.shape),
    ...Object.keys(BuildSchema.shape),
    ...Object.keys(AllowedEntrySchema.shape),
    ...Object.keys(ExceptionEntrySchema.shape),
    ...Object.keys(BannedEntrySchema.shape),
    ...Object.keys(SubstitutionSchema.shape),
    ...Object.keys(InsecurePackageSchema.shape),
    ...Object.keys(BandAidSchema.shape),
    ...Object.keys(BandAidParamSchema.shape),
    ...Object.keys(ResponseSchema.shape),
  ]),
];

function isCalendarDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const at = new Date(Date.UTC(y, mo - 1, d));
  return at.getUTCFullYear() === y && at.getUTCMonth() === mo - 1 && at.getUTCDate() === d;
}
