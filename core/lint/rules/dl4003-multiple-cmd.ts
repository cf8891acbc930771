import { laterDuplicates } from '../once-per-stage.js';
import { defineRule } from '../rule.js';

export const multipleCmd = defineRule({
  id: 'DL4003',
  level: 'warning',
  title:
    'Multiple `CMD` instructions found. If you list more than one `CMD` then only the last `CMD` will take effect',
  rationale:
    'Only the last CMD of a stage takes effect, so an earlier one is dead code that a reader will take for the real command.',
  check: (ctx) =>
    laterDuplicates(ctx, 'CMD').map(([inst, earlier]) =>
      ctx.finding(
        inst,
        `Multiple \`CMD\` instructions found: the CMD on line ${earlier.loc.line} never takes effect; only the last \`CMD\` does`,
      ),
    ),
});
