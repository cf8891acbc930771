import { listNames } from '../package-managers.js';
import { DNF_COMMANDS, unpinnedInstalls } from '../rpm-package-managers.js';
import { defineRule } from '../rule.js';

export const dnfVersionPinning = defineRule({
  id: 'DL3041',
  level: 'warning',
  title: 'Specify version with `dnf install -y <package>-<version>`.',
  rationale:
    'An unpinned package installs whatever the repository holds on the day of the build, so two builds of the same definition differ and a broken or vulnerable release slips in unnoticed.',
  check: (ctx) =>
    unpinnedInstalls(ctx, DNF_COMMANDS).map(({ call, unpinned }) => {
      const how = call.verb === 'module install' ? '<module>:<stream>' : '<package>-<version>';
      return ctx.finding(
        call.run.command,
        `${call.run.tool} ${call.verb} of ${listNames(unpinned.map((w) => w.value))} without a version; use \`${how}\``,
      );
    }),
});
