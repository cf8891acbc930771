import { toolRuns } from '../package-managers.js';
import { rpmCall } from '../rpm-package-managers.js';
import { defineRule } from '../rule.js';

export const zypperDistUpgrade = defineRule({
  id: 'DL3035',
  level: 'warning',
  title: 'Do not use `zypper dist-upgrade`.',
  rationale:
    'A distribution upgrade inside a build turns the base image into a different release than its tag says, on whatever day the build runs; pick a newer base image instead.',
  check: (ctx) =>
    toolRuns(ctx, (t) => t === 'zypper')
      .filter((run) => rpmCall(run)?.verb === 'dist-upgrade')
      .map((run) =>
        ctx.finding(
          run.command,
          '`zypper dist-upgrade` upgrades the base image to whatever the repositories hold at build time; use a base image of the release you want instead',
        ),
      ),
});
