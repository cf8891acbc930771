import type { Command, DockerfileModel, Instruction, Stage } from '../dockerfile/model.js';
import type { Loc } from '../dockerfile/source-map.js';

/** Severity of a finding, from most to least severe. */
export type Level = 'error' | 'warning' | 'info' | 'style';

export const LEVELS: readonly Level[] = ['error', 'warning', 'info', 'style'];

/** What a rule reports: where and why. The engine adds the rule id, level and file. */
export interface RuleFinding {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

/** A command together with the RUN instruction it belongs to. */
export interface RunCommand {
  readonly command: Command;
  readonly instruction: Instruction;
}

/** An insecure package version the policy names, as the linter needs it. */
export interface InsecurePackage {
  readonly ecosystem: string;
  readonly name: string;
  /** Semver range or exact versions, as written in the policy. */
  readonly versions: string;
  readonly advisory?: string;
}

/** Policy facts a rule may use; empty when linting without a policy. */
export interface LintPolicy {
  /** Returns the advisory when `name@version` of `ecosystem` is listed as insecure. */
  readonly insecure?: (ecosystem: string, name: string, version: string) => string | undefined;
  readonly trustedRegistries?: readonly string[];
}

/** Everything a rule can read about one Dockerfile; built once per file and shared by all rules. */
export interface RuleContext {
  readonly model: DockerfileModel;
  readonly instructions: readonly Instruction[];
  readonly stages: readonly Stage[];
  readonly policy: LintPolicy;
  /** Instructions with one of the given keywords (all when none given). */
  of(...keywords: string[]): readonly Instruction[];
  /** Every command of every RUN, in order, including those in substitutions, `sh -c` strings and heredocs. */
  commands(): readonly RunCommand[];
  /** The SHELL in effect for an instruction (default `/bin/sh -c`). */
  shellFor(instruction: Instruction): readonly string[];
  /** True when the instruction's shell is not POSIX (pwsh, cmd) per SHELL or a `shell=` pragma. */
  nonPosixShell(instruction: Instruction): boolean;
  /** Names (lower case) of the stages defined before an instruction. */
  stageNamesBefore(instruction: Instruction): readonly string[];
  /** A finding at an instruction, a command or a position, with the rule's title as the default message. */
  finding(at: Instruction | Command | Loc, message?: string): RuleFinding;
}

/** A lint rule: a pure function from a parsed Dockerfile to findings, with its own id, level and docs. */
export interface Rule {
  readonly id: string;
  readonly level: Level;
  readonly title: string;
  readonly rationale: string;
  readonly check: (ctx: RuleContext) => readonly RuleFinding[];
}

/** Declares a rule; the identity function exists so every rule file reads the same. */
export function defineRule(rule: Rule): Rule {
  return rule;
}
