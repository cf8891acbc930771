import { type ToolRun, toolRuns } from '../package-managers.js';
import { mountsCache, RPM_CACHE_DIRS, type RpmTool, removesCache, rpmCall } from '../rpm-package-managers.js';
import { defineRule } from '../rule.js';
import { shippedStages } from '../stage-lineage.js';

// Subcommands that download metadata and packages into the dnf cache.
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
const DIRS = RPM_CACHE_DIRS.dnf;

// dnf and yum (an alias of dnf on EL8 and later) share a cache; microdnf keeps its own.
const cleans = (tool: RpmTool, run: ToolRun): boolean => {
  const call = rpmCall(run);
  if (call && call.tool !== 'zypper') {
    const sameCache = tool === 'microdnf' ? call.tool === 'microdnf' : call.tool !== 'microdnf';
    return sameCache && call.verb === 'clean' && call.operands.some((w) => w.value === 'all');
  }
  return removesCache(run, DIRS);
};

export const dnfCleanAll = defineRule({
  id: 'DL3040',
  level: 'warning',
  title: '`dnf clean all` missing after dnf command.',
  rationale:
    'dnf and microdnf keep the repository metadata and downloaded packages in /var/cache; unless the same RUN removes them, they stay in the layer and add tens of megabytes to every image built from it.',
  check: (ctx) => {
    const shipped = shippedStages(ctx.stages);
    const runs = toolRuns(ctx, (t) => ['yum', 'dnf', 'dnf5', 'dnf-3', 'microdnf', 'rm'].includes(t));
    const unclean = new Map<number, ToolRun>();
    for (const run of runs) {
      const call = rpmCall(run);
      if (!call || (call.tool !== 'dnf' && call.tool !== 'microdnf') || !CACHING.has(call.verb)) continue;
      const inst = run.instruction;
      // Only layers of the final image matter; an ONBUILD trigger runs in the image built from this one.
      if (!inst.onbuild && inst.stage >= 0 && !shipped.has(inst.stage)) continue;
      if (mountsCache(run, DIRS)) continue;
      if (runs.some((o) => o.instruction === inst && o.order > run.order && cleans(call.tool, o))) continue;
      unclean.set(inst.index, run);
    }
    return [...unclean.values()].map((run) =>
      ctx.finding(
        run.command,
        `\`${run.tool} ${rpmCall(run)?.verb}\` leaves its metadata and package cache in the layer; end this RUN with \`${run.tool} clean all\` (or use a cache mount on its cache directory)`,
      ),
    );
  },
});
