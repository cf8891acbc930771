import { DNF_COMMANDS, missingAssumeYes } from '../rpm-package-managers.js';
import { defineRule } from '../rule.js';

export const dnfAssumeYes = defineRule({
  id: 'DL3038',
  level: 'warning',
  title: 'Use the -y switch to avoid manual input `dnf install -y <package>`',
  rationale:
    'A build has no one to answer the confirmation prompt: without `-y` dnf reads end-of-input, answers no and exits with an error, so the build fails.',
  check: (ctx) =>
    missingAssumeYes(ctx, DNF_COMMANDS).map(({ run, verb }) =>
      ctx.finding(
        run.command,
        `\`${run.tool} ${verb}\` without \`-y\` waits for a confirmation no one can give in a build; use \`${run.tool} ${verb} -y\``,
      ),
    ),
});
