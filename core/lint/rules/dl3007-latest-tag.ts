import { expandFromText } from '../../dockerfile/image-uses.js';
import { defineRule } from '../rule.js';

const TITLE =
  'Using latest is prone to errors if the image will ever update. Pin the version explicitly to a release tag';

export const latestTag = defineRule({
  id: 'DL3007',
  level: 'warning',
  title: TITLE,
  rationale:
    '`latest` moves: the same definition builds on a different base tomorrow, so builds stop being reproducible and a ban cannot be traced to the image that used it. Global ARG defaults are substituted first, as the builder does with no build args (`ARG TAG=latest` + `FROM img:${TAG}`, `${TAG:-latest}`); a digest pins the image whatever the tag says.',
  check: (ctx) =>
    ctx.stages.flatMap((stage) => {
      const value = expandFromText(ctx.model, stage.image);
      if (!value) return [];
      // Only text the file states counts: a tag from a build arg without a default is the build's to choose.
      const resolved = value.map((s) => s.raw ?? s.text).join('');
      if (resolved.includes('@')) return [];
      const last = value.at(-1);
      if (!last || last.raw !== undefined || !/:latest$/i.test(resolved)) return [];
      return [
        ctx.finding(
          stage.from,
          resolved === stage.image
            ? TITLE
            : `${TITLE}: \`${stage.image}\` is \`${resolved}\` with the ARG defaults`,
        ),
      ];
    }),
});
