import { hasFlag } from '../../dockerfile/command-args.js';
import { toolRuns } from '../package-managers.js';
import { fedByYes, rpmCall } from '../rpm-package-managers.js';
import { defineRule } from '../rule.js';

// Subcommands that ask "Is this ok [y/N]" before changing anything.
const PROMPTS = new Set([
  'install',
  'reinstall',
  'upgrade',
  'upgrade-minimal',
  'remove',
  'downgrade',
  'distro-sync',
  'autoremove',
  'swap',
  'group install',
  'group upgrade',
  'group remove',
  'module install',
  'module enable',
  'module disable',
  'module reset',
  'module remove',
  'module update',
  'module switch-to',
]);

const DNF = new Set(['dnf', 'dnf5', 'dnf-3', 'microdnf']);

export const dnfAssumeYes = defineRule({
  id: 'DL3038',
  level: 'warning',
  title: 'Use the -y switch to avoid manual input `dnf install -y <package>`',
  rationale:
    'A build has no one to answer the confirmation prompt: without `-y` dnf reads end-of-input, answers no and exits with an error, so the build fails.',
  check: (ctx) => {
    const runs = toolRuns(ctx, (t) => DNF.has(t) || t === 'yes');
    return runs.flatMap((run) => {
      const call = rpmCall(run);
      if (!call || !PROMPTS.has(call.verb)) return [];
      if (
        hasFlag(run, 'y', 'assumeyes') ||
        run.args.some((a) => /^(--setopt=)?assumeyes=(1|true|yes)$/i.test(a))
      ) {
        return [];
      }
      if (fedByYes(run, runs)) return [];
      return [
        ctx.finding(
          run.command,
          `\`${run.tool} ${call.verb}\` without \`-y\` waits for a confirmation no one can give in a build; use \`${run.tool} ${call.verb} -y\``,
        ),
      ];
    });
  },
});
