import { isAbsolutePath, transferArgs } from '../../dockerfile/command-args.js';
import type { Instruction } from '../../dockerfile/model.js';
import { defineRule, type RuleContext, type RuleFinding } from '../rule.js';

export const copyRelativeNoWorkdir = defineRule({
  id: 'DL3045',
  level: 'warning',
  title: '`COPY` to a relative destination without `WORKDIR` set.',
  rationale:
    'A relative COPY destination resolves against the working directory the base image happens to set; without a WORKDIR of your own, a base image update moves the files.',
  check: (ctx) => {
    const findings: RuleFinding[] = [];
    // Whether each stage ends with a WORKDIR set, so a stage built FROM it inherits that.
    const endsWithWorkdir = new Map<string, boolean>();
    const loose = ctx.instructions.filter((i) => i.stage < 0);
    walk(ctx, loose, false, findings);
    for (const stage of ctx.stages) {
      const parent = endsWithWorkdir.get(stage.image.toLowerCase()) ?? false;
      const set = walk(ctx, stage.instructions, parent, findings);
      if (stage.name) endsWithWorkdir.set(stage.name, set);
    }
    return findings;
  },
});

// Checks the COPYs of one stage; returns whether a WORKDIR is in effect at its end.
function walk(
  ctx: RuleContext,
  instructions: readonly Instruction[],
  inherited: boolean,
  findings: RuleFinding[],
): boolean {
  let workdir = inherited;
  // An ONBUILD COPY runs in the downstream build, after this image's WORKDIRs and earlier ONBUILD ones.
  let onbuildWorkdir = false;
  for (const inst of instructions) {
    if (inst.keyword === 'WORKDIR') {
      if (inst.onbuild) onbuildWorkdir = true;
      else workdir = true;
    }
    if (inst.keyword !== 'COPY') continue;
    const dest = transferArgs(inst)?.dest;
    // A variable destination is only known at build time.
    if (dest === undefined || dest.startsWith('$') || isAbsolutePath(dest)) continue;
    if (workdir || (inst.onbuild && onbuildWorkdir)) continue;
    findings.push(
      ctx.finding(
        inst,
        `\`COPY\` to a relative destination without \`WORKDIR\` set: \`${dest}\` lands wherever the base image's working directory is`,
      ),
    );
  }
  return workdir;
}
