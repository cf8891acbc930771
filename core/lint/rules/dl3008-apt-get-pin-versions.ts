import {
  APT_VALUE_FLAGS,
  aptGetCall,
  isDynamic,
  listNames,
  subcommandOperands,
  toolRuns,
} from '../package-managers.js';
import { defineRule } from '../rule.js';

// `pkg=version` pins; a path or a `.deb` file installs exactly that file; `pkg-` removes a package.
const isPinned = (pkg: string): boolean =>
  pkg.includes('=') || pkg.includes('/') || pkg.endsWith('.deb') || pkg.endsWith('-');

export const aptGetPinVersions = defineRule({
  id: 'DL3008',
  level: 'warning',
  title:
    'Pin versions in apt get install. Instead of `apt-get install <package>` use `apt-get install <package>=<version>`',
  rationale:
    'An unpinned package installs whatever the mirror holds on the day of the build, so two builds of the same definition differ and a vulnerable version cannot be traced to the change that brought it in.',
  check: (ctx) =>
    toolRuns(ctx, (t) => t === 'apt-get').flatMap((run) => {
      const call = aptGetCall(run, 'install');
      if (!call) return [];
      const unpinned = subcommandOperands(call, APT_VALUE_FLAGS).filter((p) => !isDynamic(p) && !isPinned(p));
      if (unpinned.length === 0) return [];
      return [
        ctx.finding(
          run.command,
          `Pin versions in apt-get install: ${listNames(unpinned)} ${unpinned.length === 1 ? 'has' : 'have'} no version; use \`apt-get install <package>=<version>\``,
        ),
      ];
    }),
});
