import { hasFlag } from '../../dockerfile/command-args.js';
import { APK_VALUE_FLAGS, isInstallSubcommand, removes, subcommand, toolRuns } from '../package-managers.js';
import { defineRule } from '../rule.js';
import { ephemeralMountTargets } from '../run-mounts.js';

// /etc/apk/cache is apk's package cache; /var/cache/apk holds the indexes and is where it usually points.
const APK_CACHE = /^\/(var\/cache\/apk|etc\/apk\/cache)(\/.*)?$/;

export const apkNoCache = defineRule({
  id: 'DL3019',
  level: 'info',
  title:
    'Use the `--no-cache` switch to avoid the need to use `--update` and remove `/var/cache/apk/*` when done installing packages',
  rationale:
    'Without `--no-cache` the package index apk downloads stays in /var/cache/apk and ships in the layer; `--no-cache` fetches a fresh index and keeps nothing.',
  check: (ctx) => {
    const runs = toolRuns(ctx, (t) => t === 'apk' || t === 'rm');
    return runs
      .filter((run) => {
        if (run.tool !== 'apk' || !isInstallSubcommand('apk', subcommand(run.args, APK_VALUE_FLAGS)?.name))
          return false;
        // `--no-network` installs from what is already on disk, so no index is fetched.
        if (hasFlag(run, 'no-cache', 'no-network')) return false;
        if (ephemeralMountTargets(run.instruction).some((t) => APK_CACHE.test(t))) return false;
        // Removing the cache later in the same RUN keeps it out of the layer just as well.
        return !runs.some(
          (o) =>
            o.instruction === run.instruction && o.order > run.order && removes(o, (p) => APK_CACHE.test(p)),
        );
      })
      .map((run) =>
        ctx.finding(
          run.command,
          'apk add without `--no-cache` leaves the package index in /var/cache/apk in the layer; use `apk add --no-cache`',
        ),
      );
  },
});
