import type { Command, DockerfileModel, Instruction } from '../dockerfile/model.js';
import type { Loc } from '../dockerfile/source-map.js';
import type { LintPolicy, RuleContext, RuleFinding, RunCommand } from './rule.js';

const DEFAULT_SHELL = ['/bin/sh', '-c'];
const NON_POSIX = /(^|[\\/])(pwsh|powershell|cmd)(\.exe)?$/i;

/** Builds the shared context for one parsed file; `title` gives each finding its default message. */
export function createContext(model: DockerfileModel, policy: LintPolicy): (title: string) => RuleContext {
  let runCommands: RunCommand[] | undefined;
  const shells = new Map<number, readonly string[]>();
  let current = DEFAULT_SHELL as readonly string[];
  let stage = -2;
  for (const inst of model.instructions) {
    if (inst.stage !== stage) {
      stage = inst.stage;
      current = DEFAULT_SHELL;
    }
    if (inst.keyword === 'SHELL' && !inst.onbuild && inst.json) current = inst.json;
    shells.set(inst.index, current);
  }
  const shellPragma = model.pragmas.find((p) => p.kind === 'shell')?.value;

  const base = {
    model,
    instructions: model.instructions,
    stages: model.stages,
    policy,
    of: (...keywords: string[]) =>
      keywords.length === 0
        ? model.instructions
        : model.instructions.filter((i) => keywords.includes(i.keyword)),
    commands: () => {
      runCommands ??= model.instructions.flatMap((instruction) =>
        (instruction.shell?.commands ?? []).map((command) => ({ command, instruction })),
      );
      return runCommands;
    },
    shellFor: (i: Instruction) => shells.get(i.index) ?? DEFAULT_SHELL,
    nonPosixShell: (i: Instruction) => {
      if (shellPragma && !/^(sh|bash|dash|ash|zsh|ksh)$/i.test(shellPragma)) return true;
      return NON_POSIX.test((shells.get(i.index) ?? DEFAULT_SHELL)[0] ?? '');
    },
    stageNamesBefore: (i: Instruction) =>
      model.stages.filter((s) => s.from.index < i.index && s.name).map((s) => s.name as string),
  };
  return (title) => ({
    ...base,
    finding: (at: Instruction | Command | Loc, message?: string): RuleFinding => {
      const loc = 'keyword' in at ? at.loc : 'name' in at ? at.loc : at;
      return { line: loc.line, column: loc.column, message: message ?? title };
    },
  });
}
