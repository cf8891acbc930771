import { cleansAll, FILLS_DNF_CACHE, RPM_CACHE_DIRS, uncleanedCaches } from '../rpm-package-managers.js';
import { defineRule } from '../rule.js';

export const yumCleanAll = defineRule({
  id: 'DL3032',
  level: 'warning',
  title: '`yum clean all` missing after yum command.',
  rationale:
    'yum keeps the repository metadata and downloaded packages in /var/cache/yum; unless the same RUN removes them, they stay in the layer and add tens of megabytes to every image built from it.',
  check: (ctx) =>
    uncleanedCaches(ctx, {
      fillers: ['yum'],
      // On EL8 and later yum is dnf, so `dnf clean all` empties the same cache.
      cleaners: ['dnf', 'dnf5', 'dnf-3'],
      fills: FILLS_DNF_CACHE,
      dirs: RPM_CACHE_DIRS.yum,
      empties: cleansAll,
    }).map((call) =>
      ctx.finding(
        call.run.command,
        `\`yum ${call.verb}\` leaves its metadata and package cache in the layer; end this RUN with \`yum clean all\` (or use a cache mount on /var/cache/yum)`,
      ),
    ),
});
