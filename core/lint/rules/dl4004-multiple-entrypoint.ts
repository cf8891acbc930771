import type { Instruction } from '../../dockerfile/model.js';
import { defineRule } from '../rule.js';

export const multipleEntrypoint = defineRule({
  id: 'DL4004',
  level: 'error',
  title:
    'Multiple `ENTRYPOINT` instructions found. If you list more than one `ENTRYPOINT` then only the last `ENTRYPOINT` will take effect',
  rationale:
    'Only the last ENTRYPOINT of a stage takes effect, so an earlier one is dead code that a reader will take for what the container runs.',
  check: (ctx) => {
    // Per stage, and ONBUILD triggers apart: they configure the image built FROM this one.
    const first = new Map<string, Instruction>();
    return ctx.of('ENTRYPOINT').flatMap((inst) => {
      const key = `${inst.stage}:${inst.onbuild}`;
      const earlier = first.get(key);
      if (!earlier) {
        first.set(key, inst);
        return [];
      }
      return [
        ctx.finding(
          inst,
          `Multiple \`ENTRYPOINT\` instructions found: the ENTRYPOINT on line ${earlier.loc.line} never takes effect; only the last \`ENTRYPOINT\` does`,
        ),
      ];
    });
  },
});
