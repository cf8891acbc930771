import { expandWord } from '../build-variables.js';
import { listNames, toolRuns } from '../package-managers.js';
import { rpmCall, rpmSpecPinned } from '../rpm-package-managers.js';
import { defineRule } from '../rule.js';

const DNF = new Set(['dnf', 'dnf5', 'dnf-3', 'microdnf']);

export const dnfVersionPinning = defineRule({
  id: 'DL3041',
  level: 'warning',
  title: 'Specify version with `dnf install -y <package>-<version>`.',
  rationale:
    'An unpinned package installs whatever the repository holds on the day of the build, so two builds of the same definition differ and a broken or vulnerable release slips in unnoticed.',
  check: (ctx) =>
    toolRuns(ctx, (t) => DNF.has(t)).flatMap((run) => {
      const call = rpmCall(run);
      if (call?.verb !== 'install' && call?.verb !== 'module install') return [];
      const unpinned = call.operands.filter((word) => {
        const spec = expandWord(ctx.model, run.instruction, word);
        // Groups (`@web-server`) and capabilities (`dnf-command(config-manager)`) carry no version.
        if (spec === undefined || spec === '' || spec.startsWith('@') || spec.includes('(')) return false;
        // A module is pinned by its stream (`nodejs:18`), a package by its version.
        return call.verb === 'module install' ? !spec.includes(':') : !rpmSpecPinned(spec);
      });
      if (unpinned.length === 0) return [];
      const how = call.verb === 'module install' ? '<module>:<stream>' : '<package>-<version>';
      return [
        ctx.finding(
          run.command,
          `${run.tool} ${call.verb} of ${listNames(unpinned.map((w) => w.value))} without a version; use \`${how}\``,
        ),
      ];
    }),
});
