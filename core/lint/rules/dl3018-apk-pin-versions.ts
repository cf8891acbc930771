import {
  APK_VALUE_FLAGS,
  isDynamic,
  isInstallSubcommand,
  listNames,
  subcommand,
  subcommandOperands,
  toolRuns,
} from '../package-managers.js';
import { defineRule } from '../rule.js';

// `pkg=1.2-r0`, `pkg~1.2`, `pkg>=1.2`, `pkg<1.3` constrain the version; a path or `.apk` file is exact.
const isPinned = (pkg: string): boolean => /.[=~<>]/.test(pkg) || pkg.includes('/') || pkg.endsWith('.apk');

export const apkPinVersions = defineRule({
  id: 'DL3018',
  level: 'warning',
  title: 'Pin versions in apk add. Instead of `apk add <package>` use `apk add <package>=<version>`',
  rationale:
    'An unpinned package installs whatever the Alpine mirror holds on the day of the build, so the same definition builds different images and a vulnerable version cannot be traced to a change.',
  check: (ctx) =>
    toolRuns(ctx, (t) => t === 'apk').flatMap((run) => {
      const call = subcommand(run.args, APK_VALUE_FLAGS);
      if (!call || !isInstallSubcommand('apk', call.name)) return [];
      const names = subcommandOperands(call, APK_VALUE_FLAGS).filter((p) => !isDynamic(p) && !isPinned(p));
      if (names.length === 0) return [];
      return [
        ctx.finding(
          run.command,
          `Pin versions in apk add: ${listNames(names)} ${names.length === 1 ? 'has' : 'have'} no version; use \`apk add <package>=<version>\``,
        ),
      ];
    }),
});
