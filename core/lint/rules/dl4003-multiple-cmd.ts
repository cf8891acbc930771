import type { Instruction } from '../../dockerfile/model.js';
import { defineRule } from '../rule.js';

export const multipleCmd = defineRule({
  id: 'DL4003',
  level: 'warning',
  title:
    'Multiple `CMD` instructions found. If you list more than one `CMD` then only the last `CMD` will take effect',
  rationale:
    'Only the last CMD of a stage takes effect, so an earlier one is dead code that a reader will take for the real command.',
  check: (ctx) => {
    // Per stage, and ONBUILD triggers apart: they configure the image built FROM this one.
    const first = new Map<string, Instruction>();
    return ctx.of('CMD').flatMap((inst) => {
      const key = `${inst.stage}:${inst.onbuild}`;
      const earlier = first.get(key);
      if (!earlier) {
        first.set(key, inst);
        return [];
      }
      return [
        ctx.finding(
          inst,
          `Multiple \`CMD\` instructions found: the CMD on line ${earlier.loc.line} never takes effect; only the last \`CMD\` does`,
        ),
      ];
    });
  },
});
