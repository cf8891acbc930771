import { laterDuplicates } from '../once-per-stage.js';
import { defineRule } from '../rule.js';

export const multipleHealthchecks = defineRule({
  id: 'DL3012',
  level: 'error',
  title: 'Multiple `HEALTHCHECK` instructions',
  rationale:
    'Only the last HEALTHCHECK of a stage takes effect, so the earlier ones are dead code that a reader will take for the real check.',
  check: (ctx) =>
    laterDuplicates(ctx, 'HEALTHCHECK').map(([inst, earlier]) =>
      ctx.finding(
        inst,
        `Multiple \`HEALTHCHECK\` instructions: the one on line ${earlier.loc.line} is overridden; only the last in a stage takes effect`,
      ),
    ),
});
