import type { Instruction } from '../../dockerfile/model.js';
import { defineRule, type RuleContext } from '../rule.js';

// How many commands a RUN runs at its top level; an exec-form `sh -c "a && b"` counts its script.
function commandCount(ctx: RuleContext, run: Instruction): number {
  const own = ctx.commands().filter((c) => c.instruction === run);
  const top = own.filter((c) => !c.command.parent);
  const [only] = top;
  if (top.length === 1 && only?.command.context === 'exec-form') {
    const script = own.filter((c) => c.command.parent === only.command && c.command.context === 'sh-c');
    if (script.length > 0) return script.length;
  }
  return top.length;
}

const sameFlags = (a: Instruction, b: Instruction): boolean =>
  a.flags.length === b.flags.length &&
  a.flags.every((f, i) => f.name === b.flags[i]?.name && f.value === b.flags[i]?.value);

export const consecutiveRun = defineRule({
  id: 'DL3059',
  level: 'info',
  title: 'Multiple consecutive `RUN` instructions. Consider consolidation.',
  rationale:
    'Each RUN adds a layer; single-command RUNs in a row make the image bigger and slower to pull than one RUN that does the same, and files deleted in a later RUN stay in the earlier layer.',
  check: (ctx) =>
    ctx.instructions.flatMap((inst, i) => {
      const prev = ctx.instructions[i - 1];
      // Only runs of single commands with the same mounts and options could simply be joined.
      if (inst.keyword !== 'RUN' || prev?.keyword !== 'RUN' || prev.onbuild !== inst.onbuild) return [];
      if (!sameFlags(prev, inst) || inst.shell?.error || prev.shell?.error) return [];
      if (commandCount(ctx, prev) !== 1 || commandCount(ctx, inst) !== 1) return [];
      return [
        ctx.finding(
          inst,
          `Multiple consecutive \`RUN\` instructions. Consider consolidation: this RUN and the one on line ${prev.loc.line} could be one`,
        ),
      ];
    }),
});
