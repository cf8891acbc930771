import { flagValue, hasFlag } from '../../dockerfile/command-args.js';
import { toolRuns } from '../package-managers.js';
import { defineRule } from '../rule.js';

export const useraddHighUid = defineRule({
  id: 'DL3046',
  level: 'warning',
  title: '`useradd` without flag `-l` and high UID will result in excessively large Image.',
  rationale:
    'useradd writes /var/log/lastlog and faillog as sparse files sized by the UID (about 292 bytes per UID), and an image layer stores them in full: UID 1000000 adds about 290 MB. `-l` (`--no-log-init`) skips them.',
  check: (ctx) =>
    toolRuns(ctx, (t) => t === 'useradd').flatMap((run) => {
      if (hasFlag(run, 'l', 'no-log-init')) return [];
      const uid = flagValue(run, 'u', 'uid');
      // hadolint's threshold: six digits or more, where lastlog alone passes 29 MB.
      if (uid === undefined || !/^\d{6,}$/.test(uid)) return [];
      return [
        ctx.finding(
          run.command,
          `\`useradd\` with UID ${uid} and without \`-l\` writes a lastlog file of about ${Math.round((Number(uid) * 292) / 1e6)} MB into the layer; add \`-l\` (\`--no-log-init\`)`,
        ),
      ];
    }),
});
