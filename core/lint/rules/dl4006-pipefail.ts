import type { Command } from '../../dockerfile/model.js';
import { baseName } from '../../dockerfile/shell.js';
import { defineRule } from '../rule.js';

// Shells whose `-o pipefail` works; plain sh (dash on Debian) may reject it.
const PIPEFAIL_SHELLS = new Set(['bash', 'zsh', 'ash', 'ksh', 'mksh']);

// `-o pipefail`, `-eo pipefail`, `-euxo pipefail`, as in SHELL or `set`.
function setsPipefail(args: readonly string[]): boolean {
  return args.some((a, i) => /^-[a-zA-Z]*o$/.test(a) && args[i + 1] === 'pipefail');
}

// Commands the RUN's own shell runs: not those of a nested `sh -c` or a heredoc fed to another shell,
// which do not inherit the SHELL's options.
function inRunShell(cmd: Command): boolean {
  if (cmd.context === 'run') return true;
  if (cmd.context === 'heredoc') return cmd.parent === undefined;
  if (cmd.context === 'substitution') return cmd.parent === undefined || inRunShell(cmd.parent);
  return false;
}

export const missingPipefail = defineRule({
  id: 'DL4006',
  level: 'warning',
  title:
    'Set the SHELL option -o pipefail before RUN with a pipe in it. If you are using /bin/sh in an alpine image or if your shell is symlinked to busybox then consider explicitly setting your SHELL to /bin/ash, or disable this check',
  rationale:
    'A pipeline reports only the exit status of its last command, so `curl … | tar x` succeeds even when the download fails and the build goes on with a broken or empty result.',
  check: (ctx) =>
    ctx.of('RUN').flatMap((inst) => {
      if (inst.json || ctx.nonPosixShell(inst)) return [];
      const shell = ctx.shellFor(inst);
      if (PIPEFAIL_SHELLS.has(baseName(shell[0] ?? '')) && setsPipefail(shell.slice(1))) return [];
      const commands = (inst.shell?.commands ?? []).filter(inRunShell);
      const piped = commands.findIndex((c) => c.pipeline !== undefined);
      if (piped < 0) return [];
      // `set -o pipefail` earlier in the same script covers the pipe too.
      if (commands.slice(0, piped).some((c) => c.name === 'set' && !c.pipeline && setsPipefail(c.args)))
        return [];
      const pipe = commands.filter((c) => c.pipeline?.id === commands[piped]?.pipeline?.id);
      const shown = pipe.map((c) => c.name || '…').join(' | ');
      return [
        ctx.finding(
          commands[piped] as Command,
          `\`${shown}\` runs under \`${shell.join(' ')}\` without pipefail, so a failure before the last command is ignored; use SHELL ["/bin/bash", "-o", "pipefail", "-c"] or start the RUN with \`set -o pipefail &&\``,
        ),
      ];
    }),
});
