import { missingAssumeYes } from '../rpm-package-managers.js';
import { defineRule } from '../rule.js';

export const yumAssumeYes = defineRule({
  id: 'DL3030',
  level: 'warning',
  title: 'Use the -y switch to avoid manual input `yum install -y <package>`',
  rationale:
    'A build has no one to answer the confirmation prompt: without `-y` yum reads end-of-input, answers no and exits with an error, so the build fails.',
  check: (ctx) =>
    missingAssumeYes(ctx, ['yum']).map((call) =>
      ctx.finding(
        call.run.command,
        `\`yum ${call.verb}\` without \`-y\` waits for a confirmation no one can give in a build; use \`yum ${call.verb} -y\``,
      ),
    ),
});
