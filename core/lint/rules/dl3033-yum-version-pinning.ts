import { listNames } from '../package-managers.js';
import { unpinnedInstalls } from '../rpm-package-managers.js';
import { defineRule } from '../rule.js';

export const yumVersionPinning = defineRule({
  id: 'DL3033',
  level: 'warning',
  title: 'Specify version with `yum install -y <package>-<version>`.',
  rationale:
    'An unpinned package installs whatever the repository holds on the day of the build, so two builds of the same definition differ and a broken or vulnerable release slips in unnoticed.',
  check: (ctx) =>
    unpinnedInstalls(ctx, ['yum']).map(({ call, unpinned }) => {
      const how = call.verb === 'module install' ? '<module>:<stream>' : '<package>-<version>';
      return ctx.finding(
        call.run.command,
        `yum ${call.verb} of ${listNames(unpinned.map((w) => w.value))} without a version; use \`${how}\``,
      );
    }),
});
