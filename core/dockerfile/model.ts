import type { Loc } from './source-map.js';

/** A word of a shell command: its value with quotes removed, and whether it was fully literal. */
export interface Word {
  /** The value as the shell would see it when literal; expansions are kept as written (`$HOME`, `$(id -u)`). */
  readonly value: string;
  /** False when the word contains an expansion, substitution or glob the shell resolves at run time. */
  readonly literal: boolean;
  /** True when any part of the word was quoted. */
  readonly quoted: boolean;
  /** The word as written in the script. */
  readonly raw: string;
}

/** One redirection of a command: `>`, `>>`, `>|`, `&>`, `&>>`, `<`, `<<` (heredoc), `<<<` (here-string), … */
export interface Redirect {
  readonly op: string;
  /** The file, descriptor, heredoc delimiter or here-string, as the shell sees it. */
  readonly target: string;
  /** The descriptor written before the operator (`2` in `2>/dev/null`), when one is. */
  readonly fd?: string;
  /** The heredoc text, without its delimiter line (leading tabs stripped for `<<-`). */
  readonly body?: string;
}

/** Where a command sits: straight in the RUN, in a substitution, in an `sh -c` string or in a heredoc script. */
export type CommandContext = 'run' | 'substitution' | 'sh-c' | 'heredoc' | 'exec-form';

/** One simple command in a RUN instruction, parsed by a real shell parser. */
export interface Command {
  /** Command name (argv[0]) as a literal, or '' when it is computed at run time. */
  readonly name: string;
  /** Arguments after the name, values with quotes removed. */
  readonly args: readonly string[];
  readonly words: readonly Word[];
  /** `VAR=value` prefixes of the command. */
  readonly assigns: readonly string[];
  readonly redirects: readonly Redirect[];
  readonly loc: Loc;
  /** Offset range of the command in the Dockerfile text (approximate inside `sh -c` strings). */
  readonly start: number;
  readonly end: number;
  readonly context: CommandContext;
  /** The command whose argument (substitution or `-c` string) this command sits in. */
  readonly parent?: Command;
  /** Pipeline membership: the same `id` for every command of one `a | b | c`; `position` counts from 0. */
  readonly pipeline?: { readonly id: number; readonly position: number; readonly length: number };
  /** Which statement of the script this command belongs to (commands joined with && or ; differ). */
  readonly statement: number;
}

/** The shell view of one RUN: every command it runs, found by parsing the script. */
export interface ShellScript {
  readonly source: string;
  readonly commands: readonly Command[];
  /** Set when the script could not be parsed; `commands` then holds what was recovered (nothing). */
  readonly error?: { readonly message: string; readonly loc: Loc };
}

export interface Flag {
  readonly name: string;
  readonly value: string | null;
}

/** A NAME=value pair of ENV, ARG or LABEL. */
export interface Property {
  readonly name: string;
  readonly value: string | null;
  readonly loc: Loc;
}

export interface Heredoc {
  readonly name: string;
  readonly body: string;
  readonly loc: Loc;
}

/** One Dockerfile instruction, with ONBUILD triggers unwrapped (`onbuild` tells). */
export interface Instruction {
  readonly index: number;
  /** Upper-case keyword; for `ONBUILD RUN …` this is `RUN` and `onbuild` is true. */
  readonly keyword: string;
  readonly onbuild: boolean;
  readonly loc: Loc;
  readonly endLine: number;
  readonly start: number;
  readonly end: number;
  /** Arguments after flags, split as Docker splits them. */
  readonly args: readonly string[];
  /** The argument text after flags, continuations and comment lines removed. */
  readonly argsText: string;
  readonly flags: readonly Flag[];
  /** Exec (JSON array) form of RUN, CMD, ENTRYPOINT, SHELL, COPY, ADD, VOLUME; null for shell form. */
  readonly json: readonly string[] | null;
  readonly properties: readonly Property[];
  readonly heredocs: readonly Heredoc[];
  /** Parsed script of RUN instructions (shell and exec form); undefined elsewhere. */
  readonly shell?: ShellScript;
  /** Index of the stage this instruction belongs to; -1 before the first FROM. */
  readonly stage: number;
}

/** A FROM and what follows it up to the next FROM. */
export interface Stage {
  readonly index: number;
  /** Lower-cased `AS` name, if any. */
  readonly name?: string;
  readonly from: Instruction;
  /** The image as written (`${BASE}`, `node:20`, a stage name, `scratch`). */
  readonly image: string;
  /** Offsets of the image text in the Dockerfile. */
  readonly imageStart: number;
  readonly imageEnd: number;
  readonly platform?: string;
  readonly instructions: readonly Instruction[];
}

export interface Pragma {
  readonly kind: 'ignore' | 'global-ignore' | 'shell';
  readonly rules: readonly string[];
  readonly value?: string;
  readonly tool: 'hadolint' | 'drydock';
  readonly loc: Loc;
  /** Index of the instruction an `ignore` pragma applies to. */
  readonly appliesTo?: number;
}

/** A parsed Dockerfile: the one shared parse every rule reads. */
export interface DockerfileModel {
  readonly fileName: string;
  readonly text: string;
  readonly escape: string;
  readonly directives: Readonly<Record<string, string>>;
  readonly instructions: readonly Instruction[];
  readonly stages: readonly Stage[];
  /** ARGs declared before the first FROM (usable in FROM lines). */
  readonly globalArgs: readonly Property[];
  readonly pragmas: readonly Pragma[];
  readonly comments: readonly { readonly text: string; readonly loc: Loc }[];
}
