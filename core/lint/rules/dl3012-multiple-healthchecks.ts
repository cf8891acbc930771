import type { Instruction } from '../../dockerfile/model.js';
import { defineRule } from '../rule.js';

export const multipleHealthchecks = defineRule({
  id: 'DL3012',
  level: 'error',
  title: 'Multiple `HEALTHCHECK` instructions',
  rationale:
    'Only the last HEALTHCHECK of a stage takes effect, so the earlier ones are dead code that a reader will take for the real check.',
  check: (ctx) => {
    // Per stage, and ONBUILD triggers apart: they configure the image built FROM this one.
    const first = new Map<string, Instruction>();
    return ctx.of('HEALTHCHECK').flatMap((inst) => {
      const key = `${inst.stage}:${inst.onbuild}`;
      const earlier = first.get(key);
      if (!earlier) {
        first.set(key, inst);
        return [];
      }
      return [
        ctx.finding(
          inst,
          `Multiple \`HEALTHCHECK\` instructions: the one on line ${earlier.loc.line} is overridden; only the last in a stage takes effect`,
        ),
      ];
    });
  },
});
