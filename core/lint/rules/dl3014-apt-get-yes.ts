import { aptGetCall, aptOptions, type ToolRun, toolRuns } from '../package-managers.js';
import { defineRule } from '../rule.js';

const TRUE = /^(true|yes|1|on)$/i;

// apt-get's quiet level: `-q` adds one, `-qq` two, `-q=2` sets it; level 2 implies --assume-yes.
function quietLevel(args: readonly string[]): number {
  let level = 0;
  for (const a of args) {
    if (a === '--') break;
    const long = /^--quiet(?:=(\d+))?$/.exec(a);
    if (long) level += long[1] ? Number(long[1]) : 1;
    else if (/^-q=\d+$/.test(a)) level += Number(a.slice(3));
    else if (/^-[a-zA-Z]+$/.test(a)) level += [...a].filter((c) => c === 'q').length;
  }
  return level;
}

function assumesYes(args: readonly string[]): boolean {
  for (const a of args) {
    if (a === '--') break;
    if (a === '--yes' || a === '--assume-yes' || /^-[a-zA-Z]*y[a-zA-Z]*$/.test(a)) return true;
  }
  if (quietLevel(args) >= 2) return true;
  return aptOptions(args).some((o) => {
    const [key = '', value = ''] = o.split('=');
    return key.toLowerCase() === 'apt::get::assume-yes' && TRUE.test(value);
  });
}

// `yes | apt-get install …` answers the prompt.
function fedByYes(run: ToolRun, all: readonly ToolRun[]): boolean {
  const p = run.command.pipeline;
  return (
    p !== undefined &&
    p.position > 0 &&
    all.some(
      (o) => o.tool === 'yes' && o.command.pipeline?.id === p.id && o.command.pipeline.position < p.position,
    )
  );
}

export const aptGetYes = defineRule({
  id: 'DL3014',
  level: 'warning',
  title: 'Use the `-y` switch to avoid manual input `apt-get -y install <package>`',
  rationale:
    'A build has no one to answer the confirmation prompt: without `-y` apt-get aborts as soon as an install pulls in anything extra, so the build fails on a later, unrelated change.',
  check: (ctx) => {
    const runs = toolRuns(ctx, (t) => t === 'apt-get' || t === 'yes');
    return runs
      .filter((run) => aptGetCall(run, 'install') && !assumesYes(run.args) && !fedByYes(run, runs))
      .map((run) =>
        ctx.finding(
          run.command,
          'apt-get install without `-y` waits for a confirmation no one can give in a build; use `apt-get -y install <package>`',
        ),
      );
  },
});
