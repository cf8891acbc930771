import { expandWord } from '../build-variables.js';
import { toolRuns } from '../package-managers.js';
import { defineRule } from '../rule.js';

export const cdInsteadOfWorkdir = defineRule({
  id: 'DL3003',
  level: 'warning',
  title: 'Use WORKDIR to switch to a directory',
  rationale:
    'A `cd` lasts only until the end of its RUN, so later instructions silently run elsewhere; WORKDIR sets the directory for every following instruction and documents it.',
  check: (ctx) => {
    // One finding per RUN, at its first cd: the `cd /` that leaves a build directory is part of the same fix.
    const reported = new Set<number>();
    return toolRuns(ctx, (t) => t === 'cd').flatMap(({ command, args, instruction }) => {
      if (reported.has(instruction.index)) return [];
      // `DIR="$(cd "$(dirname "$0")" && pwd)"` computes a path; it does not switch directories.
      if (command.context === 'substitution') return [];
      // `cd -` returns from a cd already reported.
      if (args[0] === '-') return [];
      // A directory only the script knows (`cd "$(mktemp -d)"`, a loop variable, `$1`) has no WORKDIR
      // equivalent; ENV and ARG values do.
      const words = command.words.slice(command.args.length - args.length);
      const dirs = words.map((w) => expandWord(ctx.model, instruction, w));
      if (dirs.some((d) => d === undefined)) return [];
      const dir = dirs.filter((d) => d && !d.startsWith('-')).at(-1) ?? '~';
      reported.add(instruction.index);
      return [
        ctx.finding(
          command,
          `\`cd ${args.join(' ')}\` only lasts until the end of this RUN; use \`WORKDIR ${dir}\` to switch directories`,
        ),
      ];
    });
  },
});
