import type { BuilderProfile } from '../dockerfile/builder-profile.js';
import { externalImages, type UnresolvedImage } from '../dockerfile/image-uses.js';
import { type ParseResult, parseDockerfile } from '../dockerfile/parse.js';
import { DEFAULT_CONFIG, failsAt, type LintConfig, stricterThreshold } from '../lint/config.js';
import type { ContextFiles } from '../lint/copied-files.js';
import { type Finding, lintParsed } from '../lint/engine.js';
import type { Level, LintPolicy } from '../lint/rule.js';
import { evaluateImage } from '../policy/evaluate-image.js';
import { insecurePackageMatch } from '../policy/insecure-packages.js';
import { rewriteDockerfile } from '../policy/rewrite-dockerfile.js';
import type { GateSettings, Policy } from '../policy/schema.js';
import type { BaseVerdict } from '../policy/verdict.js';
import { type RebuildBases, rebuildVerdict } from './rebuild-substitution.js';

/** Codes for base-image policy outcomes when they are shown as findings (text, SARIF). */
export const POLICY_CODES = {
  denied: { id: 'DD200', level: 'error', title: 'Base image denied by policy' },
  substituted: { id: 'DD201', level: 'info', title: 'Base image substituted by policy' },
  unresolved: { id: 'DD202', level: 'error', title: 'Base image reference cannot be resolved' },
  // The pipeline reads the team's .drydock.yaml at the pushed commit; one it cannot use fails closed.
  teamConfig: { id: 'DD203', level: 'error', title: "Team's lint configuration cannot be used" },
  // A definition the push lists but the commit does not serve (a path git cannot name in UTF-8, say).
  unreadable: { id: 'DD204', level: 'error', title: 'Definition cannot be read at the pushed commit' },
  // One push may not hold the gate for everyone: past the cap (policy gate.maxDefinitionsPerPush) nothing is gated.
  tooManyDefinitions: {
    id: 'DD205',
    level: 'error',
    title: 'Push changes more definitions than the gate takes',
  },
  // A name shown on terminals, in logs and in team messages must not forge lines there (see unsafePathReason).
  unsafePath: {
    id: 'DD206',
    level: 'error',
    title: 'Definition path holds control characters or is not valid UTF-8',
  },
} as const satisfies Record<string, { id: string; level: Level; title: string }>;

/** What the gate needs to judge one definition. */
export interface GateInput {
  readonly text: string;
  readonly file: string;
  readonly project: string;
  readonly policy: Policy;
  readonly now: Date;
  readonly config?: LintConfig;
  readonly buildArgs?: Readonly<Record<string, string>>;
  /** The builders the definition is built with; syntax any of them reads differently fails it. @default ALL_BUILDERS */
  readonly builders?: readonly BuilderProfile[];
  /**
   * Set for a ban's rebuild: the uses its substitutions name are rewritten to their `to` first (`substituted`,
   * with the substitution's rule), and the policy judges the others as for a push.
   */
  readonly rebuild?: RebuildBases;
  /** Build-context files the caller read (see `pickContextFiles`), so copied files are checked by content. */
  readonly contextFiles?: ContextFiles;
  /** The parse of `text`, when the caller already has it. */
  readonly parsed?: ParseResult;
}

/** The gate's verdict on one definition: lint findings and a verdict per external image. */
export interface DefinitionVerdict {
  readonly file: string;
  /** True when no finding reaches the failure threshold and no image is denied or unresolvable. */
  readonly passed: boolean;
  readonly findings: readonly Finding[];
  readonly bases: readonly BaseVerdict[];
  readonly unresolved: readonly UnresolvedImage[];
  /** The definition with substituted images rewritten (only FROM/--from references change); absent when none were. */
  readonly substituted?: string;
}

/** The lint view of a policy: its insecure package versions and trusted registries. */
export function lintPolicyFor(policy: Policy): LintPolicy {
  return {
    insecure: (ecosystem, name, version) => insecurePackageMatch(policy, ecosystem, name, version)?.advisory,
    ...(policy.trustedRegistries ? { trustedRegistries: policy.trustedRegistries } : {}),
  };
}

/**
 * The team's lint config under the policy's gate settings: the threshold can only get stricter, enforced rules
 * cannot be silenced, and a config file cannot turn failures off (only the operator's `--no-fail` can).
 */
export function gateConfig(config: LintConfig, gate: GateSettings): LintConfig {
  return {
    ...config,
    failureThreshold: stricterThreshold(config.failureThreshold, gate.failureThreshold),
    enforced: [...new Set([...(config.enforced ?? []), ...gate.enforce])],
    noFail: false,
  };
}

/** Lint + base-image policy in one verdict; parses the definition once and shares the parse. */
export function gateDefinition(input: GateInput): DefinitionVerdict {
  const config = gateConfig(input.config ?? DEFAULT_CONFIG, input.policy.gate);
  const parsed = input.parsed ?? parseDockerfile(input.text, input.file);
  const findings = lintParsed(parsed, {
    config,
    policy: lintPolicyFor(input.policy),
    ...(input.contextFiles ? { contextFiles: input.contextFiles } : {}),
    ...(input.builders ? { builders: input.builders } : {}),
  });
  const uses =
    parsed.problems.length > 0
      ? { images: [], unresolved: [] }
      : externalImages(parsed.model, input.buildArgs);
  const { images } = uses;
  const unresolved: UnresolvedImage[] = [...uses.unresolved];
  if (parsed.problems.length === 0 && parsed.model.stages.length === 0) {
    unresolved.push({
      written: '',
      kind: 'from',
      loc: { line: 1, column: 1 },
      reason: 'the definition has no FROM instruction, so Docker cannot build it and it has no base to check',
    });
  }
  const bases = images.map(
    (use) =>
      (input.rebuild && rebuildVerdict(use, input.rebuild)) ??
      evaluateImage(use, input.policy, { project: input.project, now: input.now }),
  );
  const passed =
    !findings.some((f) => failsAt(f.level, config.failureThreshold)) &&
    !bases.some((b) => b.outcome === 'denied') &&
    unresolved.length === 0;
  const rewritten = bases.some((b) => b.outcome === 'substituted')
    ? rewriteDockerfile(input.text, bases)
    : undefined;
  return {
    file: input.file,
    passed,
    findings,
    bases,
    unresolved,
    ...(rewritten !== undefined ? { substituted: rewritten } : {}),
  };
}

/** The policy outcomes of a verdict as findings, for formats that only know findings. */
export function policyFindings(verdict: DefinitionVerdict): Finding[] {
  const at = (
    code: { id: string; level: Level },
    line: number,
    column: number,
    message: string,
  ): Finding => ({
    file: verdict.file,
    line,
    column,
    code: code.id,
    level: code.level,
    message,
  });
  const out: Finding[] = [];
  for (const b of verdict.bases) {
    if (b.outcome === 'denied') out.push(at(POLICY_CODES.denied, b.use.line, b.use.column, b.reason));
    if (b.outcome === 'substituted') {
      out.push(
        at(POLICY_CODES.substituted, b.use.line, b.use.column, `${b.from} is replaced by ${b.to}: ${b.why}`),
      );
    }
  }
  for (const u of verdict.unresolved)
    out.push(at(POLICY_CODES.unresolved, u.loc.line, u.loc.column, u.reason));
  return out;
}
