import { laterDuplicates } from '../once-per-stage.js';
import { defineRule } from '../rule.js';

export const multipleEntrypoint = defineRule({
  id: 'DL4004',
  level: 'error',
  title:
    'Multiple `ENTRYPOINT` instructions found. If you list more than one `ENTRYPOINT` then only the last `ENTRYPOINT` will take effect',
  rationale:
    'Only the last ENTRYPOINT of a stage takes effect, so an earlier one is dead code that a reader will take for what the container runs.',
  check: (ctx) =>
    laterDuplicates(ctx, 'ENTRYPOINT').map(([inst, earlier]) =>
      ctx.finding(
        inst,
        `Multiple \`ENTRYPOINT\` instructions found: the ENTRYPOINT on line ${earlier.loc.line} never takes effect; only the last \`ENTRYPOINT\` does`,
      ),
    ),
});
