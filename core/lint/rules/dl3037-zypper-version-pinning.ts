import { flagValue } from '../../dockerfile/command-args.js';
import { expandWord } from '../build-variables.js';
import { listNames, toolRuns } from '../package-managers.js';
import { rpmCall } from '../rpm-package-managers.js';
import { defineRule } from '../rule.js';

// `name=1.2`, `name>=1.2`, `name<2`; a file or URL carries its version.
const pinned = (spec: string): boolean => /[<>=]/.test(spec) || spec.includes('/') || spec.endsWith('.rpm');

export const zypperVersionPinning = defineRule({
  id: 'DL3037',
  level: 'warning',
  title: 'Specify version with `zypper install -y <package>=<version>`.',
  rationale:
    'An unpinned package installs whatever the repository holds on the day of the build, so two builds of the same definition differ and a broken or vulnerable release slips in unnoticed.',
  check: (ctx) =>
    toolRuns(ctx, (t) => t === 'zypper').flatMap((run) => {
      const call = rpmCall(run);
      if (call?.verb !== 'install') return [];
      // Patterns, patches and products (`-t pattern`, `pattern:devel_basis`) carry no version.
      const type = flagValue(run, 't', 'type');
      if (type !== undefined && type !== 'package') return [];
      const unpinned = call.operands.filter((word) => {
        const spec = expandWord(ctx.model, run.instruction, word);
        if (spec === undefined || spec === '' || spec.includes('(')) return false;
        if (/^(pattern|patch|product|srcpackage|application):/.test(spec)) return false;
        return !pinned(spec);
      });
      if (unpinned.length === 0) return [];
      return [
        ctx.finding(
          run.command,
          `zypper install of ${listNames(unpinned.map((w) => w.value))} without a version; use \`<package>=<version>\``,
        ),
      ];
    }),
});
