import type { Command, DockerfileModel, Instruction } from '../dockerfile/model.js';
import type { Loc } from '../dockerfile/source-map.js';
import { type ContextFiles, copiedFiles } from './copied-files.js';
import { resolvedRuns, shellScripts, startCommands } from './evaluation.js';
import type { CopiedFile, LintPolicy, RuleContext, RuleFinding, RunCommand } from './rule.js';

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
  const nonPosixShell = (i: Instruction): boolean => {
    if (shellPragma && !/^(sh|bash|dash|ash|zsh|ksh)$/i.test(shellPragma)) return true;
    return NON_POSIX.test((shells.get(i.index) ?? DEFAULT_SHELL)[0] ?? '');
  };

  const byKeyword = new Map<string, readonly Instruction[]>();
  const base: Omit<RuleContext, 'finding'> = {
    model,
    instructions: model.instructions,
    stages: model.stages,
    policy,
    of: (...keywords: string[]) => {
      if (keywords.length === 0) return model.instructions;
      const key = keywords.join(' ');
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
        nonPosixShell(instruction)
          ? []
          : (instruction.shell?.commands ?? []).map((command) => ({ command, instruction })),
      );
      return runCommands;
    },
    resolved: () => {
      resolved ??= resolvedRuns(model, base.commands(), nonPosixShell);
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
