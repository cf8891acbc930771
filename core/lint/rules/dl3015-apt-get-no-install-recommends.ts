import { flagValue, hasFlag } from '../../dockerfile/command-args.js';
import type { Instruction } from '../../dockerfile/model.js';
import { aptGetCall, aptOptions, type ToolRun, toolRuns } from '../package-managers.js';
import { defineRule, type RuleContext } from '../rule.js';
import { stageLineage } from '../stage-lineage.js';

const FALSE = /^(false|no|0|off)$/i;
// The same setting written to an apt.conf file: `APT::Install-Recommends "false";`.
const CONFIG_OFF = /APT::Install-Recommends[\s\\"']+(false|no|0|off)\b/i;

function disablesRecommends(run: ToolRun): boolean {
  if (hasFlag(run, 'no-install-recommends')) return true;
  const value = flagValue(run, 'install-recommends');
  if (value !== undefined && FALSE.test(value)) return true;
  return aptOptions(run.args).some((o) => {
    const [key = '', v = ''] = o.split('=');
    return key.toLowerCase() === 'apt::install-recommends' && FALSE.test(v);
  });
}

// An earlier RUN of this stage or the stages it is built on may have turned recommends off for good.
function configuredOff(ctx: RuleContext, run: ToolRun): boolean {
  const inst = run.instruction;
  const lineage = inst.stage < 0 ? [inst.stage] : stageLineage(ctx.stages, inst.stage);
  const text = (i: Instruction, end: number) => ctx.model.text.slice(i.start, end);
  return ctx
    .of('RUN')
    .some(
      (i) =>
        !i.onbuild &&
        lineage.includes(i.stage) &&
        i.index <= inst.index &&
        CONFIG_OFF.test(i === inst ? text(i, run.command.start) : text(i, i.end)),
    );
}

export const aptGetNoInstallRecommends = defineRule({
  id: 'DL3015',
  level: 'info',
  title: 'Avoid additional packages by specifying `--no-install-recommends`',
  rationale:
    'Recommended packages are not needed to run what you install, yet they make the image larger and add code that must be patched and scanned.',
  check: (ctx) =>
    toolRuns(ctx, (t) => t === 'apt-get')
      .filter((run) => aptGetCall(run, 'install') && !disablesRecommends(run) && !configuredOff(ctx, run))
      .map((run) =>
        ctx.finding(
          run.command,
          'apt-get install also installs recommended packages the image does not need; add `--no-install-recommends`',
        ),
      ),
});
