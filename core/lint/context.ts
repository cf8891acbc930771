import type { Command, DockerfileModel, Instruction } from '../dockerfile/model.js';
import type { Loc } from '../dockerfile/source-map.js';
import { type ContextFiles, copiedFiles } from './copied-files.js';
import { resolvedRuns, shellScripts, startCommands } from './evaluation.js';
import type { CopiedFile, LintPolicy, RuleContext, RuleFinding, RunCommand } from './rule.js';
import { parentStage } from './stage-lineage.js';

const DEFAULT_SHELL = ['/bin/sh', '-c'];
const NON_POSIX = /(^|[\\/])(pwsh|powershell|cmd)(\.exe)?$/i;

/** Builds the shared context for one parsed file; `title` gives each finding its default message. */
export function createContext(
  model: DockerfileModel,
  policy: LintPolicy,
  files?: ContextFiles,
): (title: string) => RuleContext {
  let runCommands: RunCommand[] | undefined;
  let resolved: readonly RunCommand[] | undefined;
  let starts: readonly RunCommand[] | undefined;
  let shellCommands: readonly RunCommand[] | undefined;
  let copied: CopiedFile[] | undefined;
  const shells = new Map<number, readonly string[]>();
  // SHELL is part of the image config: a stage built FROM an earlier stage starts with that stage's last SHELL.
  const stageShells = new Map<number, readonly string[]>();
  let current = DEFAULT_SHELL as readonly string[];
  let stage = -2;
  for (const inst of model.instructions) {
    if (inst.stage !== stage) {
      stage = inst.stage;
      const own = model.stages[stage];
      const parent = own ? parentStage(model.stages, own) : undefined;
      current = (parent && stageShells.get(parent.index)) ?? DEFAULT_SHELL;
    }
    if (inst.keyword === 'SHELL' && !inst.onbuild && inst.json) current = inst.json;
    shells.set(inst.index, current);
    stageShells.set(stage, current);
  }
  const shellPragma = model.pragmas.find((p) => p.kind === 'shell')?.value;
  const pragmaNonPosix = shellPragma !== undefined && !/^(sh|bash|dash|ash|zsh|ksh)$/i.test(shellPragma);
  // Rules ask once per command: the answer depends only on the instruction's SHELL, so test each SHELL once.
  const nonPosixOf = new Map<readonly string[], boolean>();
  const nonPosixShell = (i: Instruction): boolean => {
    if (pragmaNonPosix) return true;
    const shell = shells.get(i.index) ?? DEFAULT_SHELL;
    let found = nonPosixOf.get(shell);
    if (found === undefined) {
      found = NON_POSIX.test(shell[0] ?? '');
      nonPosixOf.set(shell, found);
    }
    return found;
  };
  // An exec-form RUN does not go through SHELL: its `sh -c` script is shell whatever SHELL says.
  const notShell = (i: Instruction): boolean => i.json === null && nonPosixShell(i);

  const byKeyword = new Map<string, readonly Instruction[]>();
  const base: Omit<RuleContext, 'finding'> = {
    model,
    instructions: model.instructions,
    stages: model.stages,
    policy,
    of: (...keywords: string[]) => {
      if (keywords.length === 0) return model.instructions;
      const key = keywords.length === 1 ? (keywords[0] as string) : keywords.join(' ');
      let found = byKeyword.get(key);
      if (!found) {
        found = model.instructions.filter((i) => keywords.includes(i.keyword));
        byKeyword.set(key, found);
      }
      return found;
    },
    commands: () => {
      // Under pwsh or cmd the script is not shell: what a shell parser makes of it says nothing.
      runCommands ??= model.instructions.flatMap((instruction) =>
        notShell(instruction)
          ? []
          : (instruction.shell?.commands ?? []).map((command) => ({ command, instruction })),
      );
      return runCommands;
    },
    resolved: () => {
      resolved ??= resolvedRuns(model, base.commands(), notShell);
      return resolved;
    },
    startCommands: () => {
      starts ??= startCommands(model, nonPosixShell);
      return starts;
    },
    shellScripts: () => {
      shellCommands ??= shellScripts(model);
      return shellCommands;
    },
    copiedFiles: () => {
      copied ??= copiedFiles(model, files);
      return copied;
    },
    shellFor: (i: Instruction) => shells.get(i.index) ?? DEFAULT_SHELL,
    nonPosixShell,
    stageNamesBefore: (i: Instruction) =>
      model.stages.filter((s) => s.from.index < i.index && s.name).map((s) => s.name as string),
  };
  // One shared object per file; each rule gets a thin view whose findings default to its title.
  return (title) => {
    const view = Object.create(base) as RuleContext & { finding: RuleContext['finding'] };
    view.finding = (at: Instruction | Command | Loc, message?: string): RuleFinding => {
      const loc = 'keyword' in at ? at.loc : 'name' in at ? at.loc : at;
      return { line: loc.line, column: loc.column, message: message ?? title };
    };
    return view;
  };
}
