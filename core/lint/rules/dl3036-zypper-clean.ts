import { type ToolRun, toolRuns } from '../package-managers.js';
import { mountsCache, RPM_CACHE_DIRS, removesCache, rpmCall } from '../rpm-package-managers.js';
import { defineRule } from '../rule.js';
import { shippedStages } from '../stage-lineage.js';

// Subcommands that download metadata and packages into /var/cache/zypp.
const CACHING = new Set([
  'install',
  'update',
  'patch',
  'dist-upgrade',
  'source-install',
  'install-new-recommends',
]);
const DIRS = RPM_CACHE_DIRS.zypper;

const cleans = (run: ToolRun): boolean => {
  const call = rpmCall(run);
  return call ? call.tool === 'zypper' && call.verb === 'clean' : removesCache(run, DIRS);
};

export const zypperClean = defineRule({
  id: 'DL3036',
  level: 'warning',
  title: '`zypper clean` missing after zypper use.',
  rationale:
    'zypper keeps repository metadata and packages in /var/cache/zypp; unless the same RUN removes them, they stay in the layer and add tens of megabytes to every image built from it.',
  check: (ctx) => {
    const shipped = shippedStages(ctx.stages);
    const runs = toolRuns(ctx, (t) => t === 'zypper' || t === 'rm');
    const unclean = new Map<number, ToolRun>();
    for (const run of runs) {
      const call = rpmCall(run);
      if (!call || !CACHING.has(call.verb)) continue;
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
        `\`zypper ${rpmCall(run)?.verb}\` leaves its metadata and package cache in the layer; end this RUN with \`zypper clean --all\` (or use a cache mount on /var/cache/zypp)`,
      ),
    );
  },
});
