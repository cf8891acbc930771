import { defineRule } from '../rule.js';

export const latestTag = defineRule({
  id: 'DL3007',
  level: 'warning',
  title:
    'Using latest is prone to errors if the image will ever update. Pin the version explicitly to a release tag',
  rationale:
    '`latest` moves: the same definition builds on a different base tomorrow, so builds stop being reproducible and a ban cannot be traced to the image that used it.',
  check: (ctx) =>
    ctx.stages
      .filter((s) => /:latest$/i.test(s.image.split('@')[0] ?? '') && !s.image.includes('@'))
      .map((s) => ctx.finding(s.from)),
});
