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

/** A file the build copies into the image (COPY/ADD from the build context, or a COPY heredoc), with its text when known. */
export interface CopiedFile {
  readonly instruction: Instruction;
  /** The source as a build-context path (`etc/sshd_config`), or `<<NAME` for a heredoc. */
  readonly source: string;
  /**
   * Absolute path in the image the file lands at (WORKDIR, directory destinations and the stage's ENV/ARG values
   * applied); undefined when a value only the build knows decides it.
   */
  readonly destination: string | undefined;
  /** The file's text when the gate has it (the pushed tree, the files beside `drydock lint`'s input, a heredoc). */
  readonly content?: string;
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
  /**
   * Every command of every RUN under a POSIX shell, in order, including those in substitutions, `sh -c` strings and
   * heredocs, as written (variables not expanded). RUNs under pwsh or cmd are left out: their text is not shell.
   */
  commands(): readonly RunCommand[];
  /**
   * The commands of `commands()` as the builder and the shell would run them: the stage's ENV and ARG values (ARG
   * defaults, a global ARG default for a redeclared ARG, ENV inherited through `FROM <stage>`, values referencing
   * earlier ones expanded as the builder does) and the script's own assignments in order (`X=…`, `export`,
   * `${X:=d}`) are spliced into the words as quoted data: an unquoted value is split into words, a quoted one stays
   * one word, and `|`, `;` or `$(…)` inside a value stay text. `${X:-d}`, `${X-d}`, `${X:+a}`, `${X+a}` are decided;
   * literal and exec-form `sh -c` scripts, `sh -c "$X"` and heredoc scripts a shell runs are parsed with the values
   * in. A variable assigned from `$(…)` resolves to that substitution only where the shell runs the text (a command
   * name, `sh -c`, `eval`); `read`, loop variables and conditional assignments are unknown. What only the build
   * knows (an ARG without default, a name the file never sets, base-image ENV) stays as written (`$X`, words not
   * literal). Line continuations the builder joins are joined, inside single quotes too. RUNs where nothing resolves
   * keep the very objects of `commands()`; positions are in the RUN.
   */
  resolved(): readonly RunCommand[];
  /**
   * Commands that run when a container starts (CMD, ENTRYPOINT, HEALTHCHECK CMD, ONBUILD ones included), resolved
   * like `resolved()` but with the image's ENV only (ARGs are gone at run time). Shell form is parsed under the stage's
   * SHELL (left out when it is pwsh or cmd); exec form is one command, plus the parsed script of `sh -c`. The
   * `instruction` is the CMD/ENTRYPOINT/HEALTHCHECK.
   */
  startCommands(): readonly RunCommand[];
  /**
   * Commands of the scripts SHELL instructions carry in exec form (`SHELL ["/bin/sh", "-c", "curl … | sh; exec
   * \"$0\" \"$@\""]`), which run before every later RUN of the stage: the shell command itself and the parsed
   * script, resolved like `resolved()`. A plain `SHELL ["/bin/bash", "-c"]` has no script and gives nothing. The
   * `instruction` is the SHELL. Build-time rules that must see everything a RUN runs read this besides `resolved()`.
   */
  shellScripts(): readonly RunCommand[];
  /** Files the build copies into the image from the build context or a heredoc, in instruction order. */
  copiedFiles(): readonly CopiedFile[];
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
