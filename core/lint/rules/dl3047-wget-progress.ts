import { hasFlag } from '../../dockerfile/command-args.js';
import { toolRuns } from '../package-managers.js';
import { defineRule } from '../rule.js';

export const wgetProgress = defineRule({
  id: 'DL3047',
  level: 'info',
  title:
    'Avoid use of wget without progress bar. Use `wget --progress=dot:giga <url>`. Or consider using `-q` or `-nv` (shorthands for `--quiet` or `--no-verbose`).',
  rationale:
    'Without a terminal wget prints a dot line for every few kilobytes, so one large download floods the build log with thousands of lines and buries the output that matters.',
  check: (ctx) =>
    toolRuns(ctx, (t) => t === 'wget')
      .filter(
        (run) =>
          // `-nv` is one option, not `-n -v`; -o/-a send the progress to a log file instead.
          !run.args.includes('-nv') &&
          !hasFlag(run, 'progress', 'q', 'quiet', 'no-verbose', 'o', 'output-file', 'a', 'append-output'),
      )
      .map((run) =>
        ctx.finding(
          run.command,
          'wget without `--progress` prints a line per few kilobytes into the build log; use `wget --progress=dot:giga`, `-nv` or `-q`',
        ),
      ),
});
