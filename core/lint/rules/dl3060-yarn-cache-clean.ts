import { removes, subcommand, type ToolRun, toolRuns } from '../package-managers.js';
import { defineRule } from '../rule.js';
import { ephemeralMountTargets } from '../run-mounts.js';
import { shippedStages } from '../stage-lineage.js';

const VALUE_FLAGS = [
  'cwd',
  'cache-folder',
  'modules-folder',
  'registry',
  'network-timeout',
  'mutex',
  'global-folder',
  'link-folder',
  'use-yarnrc',
];

// Yarn 1 caches in ~/.cache/yarn (/usr/local/share/.cache/yarn for root in the node images); Berry in ~/.yarn/berry/cache.
const YARN_CACHE = /(^|\/)(\.cache\/yarn|\.yarn\/berry\/cache)(\/.*)?$/;

// `yarn`, `yarn install`, `yarn add …` and `yarn global add …` fill the cache.
function installs(run: ToolRun): boolean {
  if (run.tool !== 'yarn') return false;
  const call = subcommand(run.args, VALUE_FLAGS);
  // Bare `yarn` installs, unless it only asks for help or its version.
  if (!call) return !run.args.some((a) => /^(--|-v|--version|-h|--help)$/.test(a));
  if (call.name === 'install' || call.name === 'add') return true;
  return call.name === 'global' && subcommand(call.rest, VALUE_FLAGS)?.name === 'add';
}

function cleans(run: ToolRun): boolean {
  if (run.tool === 'yarn') {
    const call = subcommand(run.args, VALUE_FLAGS);
    return call?.name === 'cache' && subcommand(call.rest, VALUE_FLAGS)?.name === 'clean';
  }
  // `rm -rf /usr/local/share/.cache/yarn` or `rm -rf "$(yarn cache dir)"`
  return removes(run, (p) => YARN_CACHE.test(p) || /yarn cache dir/.test(p));
}

export const yarnCacheClean = defineRule({
  id: 'DL3060',
  level: 'info',
  title: '`yarn cache clean` missing after `yarn install` was run.',
  rationale:
    'yarn keeps a copy of every package it downloads in its cache, which ships in the image layer next to node_modules; clean it in the same RUN or use a cache mount.',
  check: (ctx) => {
    const shipped = shippedStages(ctx.stages);
    const runs = toolRuns(ctx, (t) => t === 'yarn' || t === 'rm');
    return runs
      .filter((run) => {
        if (!installs(run)) return false;
        const inst = run.instruction;
        // Only layers of the final image matter; an ONBUILD trigger runs in the image built from this one.
        if (!inst.onbuild && inst.stage >= 0 && !shipped.has(inst.stage)) return false;
        if (ephemeralMountTargets(inst).some((t) => YARN_CACHE.test(t))) return false;
        const same = runs.filter((o) => o.instruction === inst);
        // One finding per RUN: the last install, which a later clean must follow.
        if (same.some((o) => o.order > run.order && installs(o))) return false;
        return !same.some((o) => o.order > run.order && cleans(o));
      })
      .map((run) =>
        ctx.finding(
          run.command,
          '`yarn cache clean` missing after `yarn install` was run: the yarn cache stays in the image layer; add `&& yarn cache clean` to this RUN',
        ),
      );
  },
});
