import { defineRule } from '../rule.js';

// `scratch` is Docker's empty image and `context` names the build context in BuildKit.
const RESERVED = new Set(['scratch', 'context']);

export const reservedStageName = defineRule({
  id: 'DL3063',
  level: 'warning',
  title: 'Do not use a reserved name (`scratch`, `context`) as a stage name',
  rationale:
    'A stage named `scratch` or `context` collides with a name the builder already gives a meaning to, so `FROM` and `COPY --from` references to it do not resolve to the stage.',
  check: (ctx) =>
    ctx.stages
      .filter((s) => s.name !== undefined && RESERVED.has(s.name))
      .map((s) =>
        ctx.finding(
          s.from,
          `Do not use a reserved name as a stage name: \`${s.name}\` already means something to the builder`,
        ),
      ),
});
