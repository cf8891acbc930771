import { APT_VALUE_FLAGS, removes, subcommand, type ToolRun, toolRuns } from '../package-managers.js';
import { defineRule } from '../rule.js';
import { ephemeralMountTargets } from '../run-mounts.js';
import { shippedStages } from '../stage-lineage.js';

const APT_TOOLS = new Set(['apt-get', 'apt', 'aptitude']);

const isUpdate = (run: ToolRun): boolean =>
  APT_TOOLS.has(run.tool) && subcommand(run.args, APT_VALUE_FLAGS)?.name === 'update';

// `rm -rf /var/lib/apt/lists/*` and its variants (the directory itself, or all of /var/lib/apt).
const clearsLists = (path: string): boolean =>
  /^\/var\/lib\/apt\/lists(\/.*)?$/.test(path) || /^\/var\/lib\/apt(\/\*?)?$/.test(path);

export const deleteAptLists = defineRule({
  id: 'DL3009',
  level: 'info',
  title: 'Delete the apt-get lists after installing something',
  rationale:
    'The package lists `apt-get update` downloads add tens of megabytes to the layer and go stale at once; remove them in the same RUN (`rm -rf /var/lib/apt/lists/*`) or keep them in a cache mount.',
  check: (ctx) => {
    const shipped = shippedStages(ctx.stages);
    const runs = toolRuns(ctx, (t) => APT_TOOLS.has(t) || t === 'rm');
    return runs
      .filter((run) => {
        if (!isUpdate(run)) return false;
        const inst = run.instruction;
        // Only layers of the final image matter; an ONBUILD trigger runs in the image built from this one.
        if (!inst.onbuild && inst.stage >= 0 && !shipped.has(inst.stage)) return false;
        const mounts = ephemeralMountTargets(inst);
        if (mounts.includes('/var/lib/apt/lists')) return false;
        if (mounts.includes('/var/lib/apt') && mounts.includes('/var/cache/apt')) return false;
        const same = runs.filter((o) => o.instruction === inst);
        // Only the last update counts, and its lists must be removed after it.
        if (same.some((o) => isUpdate(o) && o.order > run.order)) return false;
        return !same.some((o) => o.order > run.order && removes(o, clearsLists));
      })
      .map((run) =>
        ctx.finding(
          run.command,
          `Delete the apt-get lists after installing something: \`${run.tool} update\` leaves /var/lib/apt/lists in the image layer; add \`rm -rf /var/lib/apt/lists/*\` at the end of this RUN`,
        ),
      );
  },
});
