import { hasFlag } from '../../dockerfile/command-args.js';
import {
  isDynamic,
  isInstallSubcommand,
  mayBePip,
  PIP_VALUE_FLAGS,
  pipArgs,
  subcommand,
  type ToolRun,
  toolRuns,
} from '../package-managers.js';
import { defineRule, type RuleContext } from '../rule.js';
import { ephemeralMountTargets } from '../run-mounts.js';
import { stageLineage } from '../stage-lineage.js';

const VAR = 'PIP_NO_CACHE_DIR';
// pip reads the variable with strtobool; a value only known at build time is given the benefit of the doubt.
const FALSY = /^(n|no|f|false|off|0)$/i;
const turnsCacheOff = (value: string): boolean => isDynamic(value) || !FALSY.test(value);

const unquote = (s: string): string => s.replace(/^(["'])(.*)\1$/, '$2');

// The value PIP_NO_CACHE_DIR has when the command runs: ENV/ARG of the stage lineage, then
// `export` earlier in the RUN, then `VAR=…` or `env VAR=…` on the command itself; undefined when unset.
function noCacheDirValue(ctx: RuleContext, run: ToolRun): string | undefined {
  const inst = run.instruction;
  let value: string | undefined;
  const lineage = inst.stage < 0 ? [inst.stage] : stageLineage(ctx.stages, inst.stage).reverse();
  for (const stage of lineage) {
    for (const i of ctx.instructions) {
      if (i.stage !== stage || i.onbuild || i.index >= inst.index) continue;
      if (i.keyword === 'ENV' || (i.keyword === 'ARG' && stage === inst.stage)) {
        for (const p of i.properties) if (p.name === VAR && p.value !== null) value = unquote(p.value);
      }
    }
  }
  const before = ctx.model.text.slice(inst.start, run.command.start);
  for (const m of before.matchAll(
    /\bexport\s+(?:[^;&|\n]*\s)?PIP_NO_CACHE_DIR=("[^"]*"|'[^']*'|[^\s;&|]*)/g,
  )) {
    value = unquote(m[1] ?? '');
  }
  const prefix = run.command.args.slice(0, run.command.args.length - run.args.length);
  for (const a of [...run.command.assigns, ...prefix]) {
    if (a.startsWith(`${VAR}=`)) value = unquote(a.slice(VAR.length + 1));
  }
  return value;
}

const cachesOutside = (run: ToolRun): boolean =>
  ephemeralMountTargets(run.instruction).some((t) => /\/\.cache(\/pip)?$/.test(t));

export const pipNoCacheDir = defineRule({
  id: 'DL3042',
  level: 'warning',
  title: 'Avoid use of cache directory with pip. Use `pip install --no-cache-dir <package>`',
  rationale:
    'pip keeps every downloaded wheel in its cache directory, which then ships in the image layer without ever being used again; `--no-cache-dir`, `PIP_NO_CACHE_DIR=1` or a cache mount keep it out.',
  check: (ctx) =>
    toolRuns(ctx, mayBePip)
      .filter((run) => {
        const args = pipArgs(run);
        if (!args || !isInstallSubcommand('pip', subcommand(args, PIP_VALUE_FLAGS)?.name)) return false;
        if (hasFlag({ args }, 'no-cache-dir') || cachesOutside(run)) return false;
        const env = noCacheDirValue(ctx, run);
        return env === undefined || !turnsCacheOff(env);
      })
      .map((run) =>
        ctx.finding(
          run.command,
          'pip install keeps its download cache in the image layer; add `--no-cache-dir` (or set PIP_NO_CACHE_DIR=1, or use a cache mount)',
        ),
      ),
});
