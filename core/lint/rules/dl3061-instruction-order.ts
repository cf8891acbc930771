import { defineRule } from '../rule.js';

export const instructionOrder = defineRule({
  id: 'DL3061',
  level: 'error',
  title: 'Invalid instruction order. Dockerfile must begin with `FROM`, `ARG` or comment.',
  rationale:
    'Only ARG may come before the first FROM; anything else has no stage to belong to and Docker rejects the file.',
  check: (ctx) => {
    const firstFrom = ctx.instructions.find((i) => i.keyword === 'FROM' && !i.onbuild)?.index ?? Infinity;
    return ctx.instructions
      .filter((i) => i.index < firstFrom && (i.keyword !== 'ARG' || i.onbuild))
      .map((i) =>
        ctx.finding(
          i,
          `Invalid instruction order. Dockerfile must begin with \`FROM\`, \`ARG\` or comment: ${i.onbuild ? 'ONBUILD ' : ''}${i.keyword} comes before the first FROM`,
        ),
      );
  },
});
