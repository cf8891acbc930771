import { builderDifferences } from '../dockerfile/builder-differences.js';
import { ALL_BUILDERS, type BuilderProfile } from '../dockerfile/builder-profile.js';
import type { Instruction } from '../dockerfile/model.js';
import { type ParseResult, parseDockerfile } from '../dockerfile/parse.js';
import { DEFAULT_CONFIG, type LintConfig } from './config.js';
import { createContext } from './context.js';
import type { ContextFiles } from './copied-files.js';
import { HADOLINT_IDS, isShellcheckId } from './hadolint-ids.js';
import { LEVELS, type Level, type LintPolicy, type Rule, type RuleFinding } from './rule.js';
import { RULES } from './rules/index.js';

/** One finding, in hadolint's JSON shape. */
export interface Finding {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly code: string;
  readonly level: Level;
  readonly message: string;
}

/** Built-in findings the engine itself reports (not rules: they are about the input, not its content). */
export const ENGINE_CODES = {
  syntax: { id: 'DD000', level: 'error', title: 'Dockerfile cannot be parsed' },
  // An error: the gate cannot vouch for a script it cannot read, so it fails closed.
  shell: { id: 'DD001', level: 'error', title: 'RUN script cannot be parsed as shell' },
  pragma: {
    id: 'DD002',
    level: 'warning',
    title: 'Ignore pragma has no effect: it names an unknown rule or an engine code',
  },
  crash: { id: 'DD003', level: 'error', title: 'A rule failed while checking this file' },
  // The gate must judge what the builder builds: syntax a builder reads differently is refused, not guessed.
  builder: { id: 'DD004', level: 'error', title: 'The builder would read this Dockerfile differently' },
} as const satisfies Record<string, { id: string; level: Level; title: string }>;

/** Engine codes: no pragma, ignore list, team config or override can silence or lower them. */
export const ENGINE_IDS: ReadonlySet<string> = new Set(Object.values(ENGINE_CODES).map((c) => c.id));

export interface LintOptions {
  readonly config?: LintConfig;
  readonly policy?: LintPolicy;
  readonly rules?: readonly Rule[];
  /** Build-context files the caller read (the pushed tree, the files beside the Dockerfile), so copied files are checked by content. */
  readonly contextFiles?: ContextFiles;
  /** The builders the file is built with; syntax any of them reads differently is DD004. @default ALL_BUILDERS */
  readonly builders?: readonly BuilderProfile[];
}

/** Lints one Dockerfile: parse once, run every rule on the shared parse, then apply pragmas and config. */
export function lintText(text: string, file: string, options: LintOptions = {}): Finding[] {
  return lintParsed(parseDockerfile(text, file), options);
}

/** Lints an already-parsed Dockerfile, so a caller that needs the parse too (the gate) parses once. */
export function lintParsed(parsed: ParseResult, options: LintOptions = {}): Finding[] {
  const config = options.config ?? DEFAULT_CONFIG;
  const rules = options.rules ?? RULES;
  const { model, problems } = parsed;
  const file = model.fileName;
  const at = (code: { id: string; level: Level }, f: RuleFinding): Finding => ({
    file,
    line: f.line,
    column: f.column,
    code: code.id,
    level: code.level,
    message: f.message,
  });

  const differences = builderDifferences(parsed, options.builders ?? ALL_BUILDERS).map((d) =>
    at(ENGINE_CODES.builder, { ...d.loc, message: d.message }),
  );
  // Each syntax problem is its own finding; the broken instruction is left out of the model and every other one is
  // still linted, so one bad line does not hide the rest of the file.
  const raw: Finding[] = [
    ...problems.map((p) => at(ENGINE_CODES.syntax, { ...p.loc, message: p.message })),
    ...differences,
  ];
  // Nothing to lint: an empty file, or one too long to parse.
  if (model.instructions.length === 0) return raw;

  const context = createContext(
    model,
    {
      ...options.policy,
      ...(config.trustedRegistries ? { trustedRegistries: config.trustedRegistries } : {}),
    },
    options.contextFiles,
  );
  const engine = context(ENGINE_CODES.shell.title);
  for (const inst of model.instructions) {
    const err = inst.shell?.error;
    // A shell-form RUN under PowerShell or cmd is not shell, so a shell parser failing on it says nothing (hadolint
    // skips such RUNs too); an exec-form RUN's `sh -c` script is shell whatever SHELL says.
    if (!err || (inst.json === null && engine.nonPosixShell(inst))) continue;
    raw.push(
      at(ENGINE_CODES.shell, {
        ...err.loc,
        message: `RUN script cannot be parsed as shell (${err.message}); shell rules skip this instruction`,
      }),
    );
  }
  for (const rule of rules) {
    let found: readonly RuleFinding[];
    try {
      found = rule.check(context(rule.title));
    } catch (err) {
      // Fail closed: a rule that throws is reported, never silently passed.
      raw.push(
        at(ENGINE_CODES.crash, {
          line: 1,
          column: 1,
          message: `rule ${rule.id} failed on this file: ${(err as Error)?.message ?? String(err)}`,
        }),
      );
      continue;
    }
    for (const f of found) raw.push(at(rule, f));
  }

  const known = new Set(rules.map((r) => r.id));
  for (const p of model.pragmas) {
    for (const id of p.rules) {
      if (ENGINE_IDS.has(id)) {
        raw.push(
          at(ENGINE_CODES.pragma, {
            ...p.loc,
            message: `${p.tool} ignore pragma names ${id}, an engine code that cannot be ignored; the pragma has no effect on it`,
          }),
        );
        continue;
      }
      if (known.has(id) || HADOLINT_IDS.has(id) || isShellcheckId(id)) continue;
      raw.push(
        at(ENGINE_CODES.pragma, {
          ...p.loc,
          message: `${p.tool} ignore pragma names unknown rule "${id}"; run \`drydock rules\` for the list`,
        }),
      );
    }
  }
  return applySuppressions(raw, model.instructions, model.pragmas, config).sort(
    // Codes are ASCII letters and digits, where code-unit order is localeCompare's order, without its cost.
    (a, b) => a.line - b.line || a.column - b.column || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  );
}

/** Pragmas and config are applied here, in one place, after every rule has run. */
function applySuppressions(
  findings: Finding[],
  instructions: readonly Instruction[],
  pragmas: ReturnType<typeof parseDockerfile>['model']['pragmas'],
  config: LintConfig,
): Finding[] {
  const globalIgnored = new Set<string>(config.ignored);
  const perInstruction = new Map<number, Set<string>>();
  if (!config.disableIgnorePragma) {
    for (const p of pragmas) {
      if (p.kind === 'global-ignore') for (const id of p.rules) globalIgnored.add(id);
      if (p.kind === 'ignore' && p.appliesTo !== undefined) {
        const set = perInstruction.get(p.appliesTo) ?? new Set<string>();
        for (const id of p.rules) set.add(id);
        perInstruction.set(p.appliesTo, set);
      }
    }
  }
  // Nothing to drop or relevel (the usual case): skip the per-finding pass.
  if (globalIgnored.size === 0 && perInstruction.size === 0 && Object.keys(config.overrides).length === 0)
    return findings;
  // Engine codes are about whether the gate could read the file at all: always enforced.
  const enforced = new Set([...(config.enforced ?? []), ...ENGINE_IDS]);
  return findings
    .filter((f) => {
      // Rules the policy enforces cannot be ignored by the team's pragmas or config.
      if (enforced.has(f.code)) return true;
      if (globalIgnored.has(f.code)) return false;
      for (const [index, ids] of perInstruction) {
        const inst = instructions[index];
        if (inst && ids.has(f.code) && f.line >= inst.loc.line && f.line <= inst.endLine) return false;
      }
      return true;
    })
    .map((f) => {
      const level = config.overrides[f.code];
      if (!level) return f;
      // An enforced rule's level may be raised by an override, never lowered.
      if (enforced.has(f.code) && LEVELS.indexOf(level) > LEVELS.indexOf(f.level)) return f;
      return { ...f, level };
    });
}
