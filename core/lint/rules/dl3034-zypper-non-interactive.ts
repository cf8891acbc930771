import { hasFlag } from '../../dockerfile/command-args.js';
import { toolRuns } from '../package-managers.js';
import { fedByYes, rpmCall } from '../rpm-package-managers.js';
import { defineRule } from '../rule.js';

// Subcommands that ask for confirmation before changing anything.
const PROMPTS = new Set([
  'install',
  'remove',
  'update',
  'patch',
  'dist-upgrade',
  'source-install',
  'install-new-recommends',
]);

export const zypperNonInteractive = defineRule({
  id: 'DL3034',
  level: 'warning',
  title: 'Non-interactive switch missing from `zypper` command: `zypper install -y`',
  rationale:
    'A build has no one to answer the confirmation prompt: without `--non-interactive` (`-n`) or `-y` zypper stops at the question and the build fails.',
  check: (ctx) => {
    const runs = toolRuns(ctx, (t) => t === 'zypper' || t === 'yes');
    return runs.flatMap((run) => {
      const call = rpmCall(run);
      if (!call || !PROMPTS.has(call.verb)) return [];
      if (hasFlag(run, 'n', 'non-interactive', 'y', 'no-confirm') || fedByYes(run, runs)) return [];
      return [
        ctx.finding(
          run.command,
          `\`zypper ${call.verb}\` without \`--non-interactive\` waits for a confirmation no one can give in a build; use \`zypper --non-interactive ${call.verb}\` or \`zypper ${call.verb} -y\``,
        ),
      ];
    });
  },
});
