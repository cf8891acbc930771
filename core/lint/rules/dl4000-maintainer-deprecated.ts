import { defineRule } from '../rule.js';

export const maintainerDeprecated = defineRule({
  id: 'DL4000',
  level: 'error',
  title: 'MAINTAINER is deprecated',
  rationale:
    'MAINTAINER is deprecated and not shown by standard tooling; a `LABEL org.opencontainers.image.authors=...` carries the same information where tools look for it.',
  check: (ctx) =>
    ctx
      .of('MAINTAINER')
      .map((i) =>
        ctx.finding(i, 'MAINTAINER is deprecated: use `LABEL org.opencontainers.image.authors=...` instead'),
      ),
});
