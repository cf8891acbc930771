import { defineRule } from '../rule.js';

const FORBIDDEN = new Set(['ONBUILD', 'FROM', 'MAINTAINER']);

export const onbuildTrigger = defineRule({
  id: 'DL3043',
  level: 'error',
  title: '`ONBUILD`, `FROM` or `MAINTAINER` triggered from within `ONBUILD` instruction.',
  rationale: 'Docker does not allow ONBUILD, FROM or MAINTAINER as ONBUILD triggers; the build fails.',
  check: (ctx) =>
    ctx.instructions
      .filter((i) => i.onbuild && FORBIDDEN.has(i.keyword))
      .map((i) =>
        ctx.finding(
          i,
          `\`ONBUILD\`, \`FROM\` or \`MAINTAINER\` triggered from within \`ONBUILD\` instruction: \`ONBUILD ${i.keyword}\` is not allowed`,
        ),
      ),
});
