import { type ToolRun, toolRuns } from '../package-managers.js';
import { mountsCache, RPM_CACHE_DIRS, removesCache, rpmCall } from '../rpm-package-managers.js';
import { defineRule } from '../rule.js';
import { shippedStages } from '../stage-lineage.js';

// Subcommands that download metadata and packages into /var/cache/yum.
const CACHING = new Set([
  'install',
  'reinstall',
  'upgrade',
  'upgrade-minimal',
  'downgrade',
  'distro-sync',
  'swap',
  'group install',
  'group upgrade',
  'module install',
  'module update',
]);
const DIRS = RPM_CACHE_DIRS.yum;

// On EL8 and later yum is dnf, so `dnf clean all` empties the same cache.
const cleans = (run: ToolRun): boolean => {
  const call = rpmCall(run);
  if (call && (call.tool === 'yum' || call.tool === 'dnf')) {
    return call.verb === 'clean' && call.operands.some((w) => w.value === 'all');
  }
  return removesCache(run, DIRS);
};

export const yumCleanAll = defineRule({
  id: 'DL3032',
  level: 'warning',
  title: '`yum clean all` missing after yum command.',
  rationale:
    'yum keeps the repository metadata and downloaded packages in /var/cache/yum; unless the same RUN removes them, they stay in the layer and add tens of megabytes to every image built from it.',
  check: (ctx) => {
    const shipped = shippedStages(ctx.stages);
    const runs = toolRuns(ctx, (t) => ['yum', 'dnf', 'dnf5', 'rm'].includes(t));
    const unclean = new Map<number, ToolRun>();
    for (const run of runs) {
      const call = rpmCall(run);
      if (call?.tool !== 'yum' || !CACHING.has(call.verb)) continue;
      const inst = run.instruction;
      // Only layers of the final image matter; an ONBUILD trigger runs in the image built from this one.
      if (!inst.onbuild && inst.stage >= 0 && !shipped.has(inst.stage)) continue;
      if (mountsCache(run, DIRS)) continue;
      if (runs.some((o) => o.instruction === inst && o.order > run.order && cleans(o))) continue;
      unclean.set(inst.index, run);
    }
    return [...unclean.values()].map((run) =>
      ctx.finding(
        run.command,
        `\`yum ${rpmCall(run)?.verb}\` leaves its metadata and package cache in the layer; end this RUN with \`yum clean all\` (or use a cache mount on /var/cache/yum)`,
      ),
    );
  },
});
