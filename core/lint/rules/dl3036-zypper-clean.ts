import { RPM_CACHE_DIRS, uncleanedCaches } from '../rpm-package-managers.js';
import { defineRule } from '../rule.js';

// Subcommands that download metadata and packages into /var/cache/zypp.
const CACHING = new Set([
  'install',
  'update',
  'patch',
  'dist-upgrade',
  'source-install',
  'install-new-recommends',
]);

export const zypperClean = defineRule({
  id: 'DL3036',
  level: 'warning',
  title: '`zypper clean` missing after zypper use.',
  rationale:
    'zypper keeps repository metadata and packages in /var/cache/zypp; unless the same RUN removes them, they stay in the layer and add tens of megabytes to every image built from it.',
  check: (ctx) =>
    uncleanedCaches(ctx, {
      fillers: ['zypper'],
      cleaners: [],
      fills: CACHING,
      dirs: RPM_CACHE_DIRS.zypper,
      empties: (call) => call.verb === 'clean',
    }).map((call) =>
      ctx.finding(
        call.run.command,
        `\`zypper ${call.verb}\` leaves its metadata and package cache in the layer; end this RUN with \`zypper clean --all\` (or use a cache mount on /var/cache/zypp)`,
      ),
    ),
});
