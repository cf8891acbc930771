import { defineRule } from '../rule.js';

// The tag sits after a colon in the last path component; a colon before it is a registry port.
const hasTag = (image: string): boolean => (image.split('/').at(-1) ?? '').includes(':');

export const untaggedImage = defineRule({
  id: 'DL3006',
  level: 'warning',
  title: 'Always tag the image explicitly',
  rationale:
    'An untagged image means `latest`, which moves: the same definition builds on a different base tomorrow, and a ban cannot be traced to the image that used it.',
  check: (ctx) =>
    ctx.stages.flatMap((stage) => {
      const image = stage.image;
      const lower = image.toLowerCase();
      if (lower === 'scratch' || image.includes('@') || hasTag(image)) return [];
      // A variable is resolved at build time, and a stage name refers to an earlier stage, not a registry.
      if (image.includes('$') || ctx.stageNamesBefore(stage.from).includes(lower)) return [];
      return [
        ctx.finding(
          stage.from,
          `Always tag the image explicitly: \`${image}\` has no tag, so it pulls \`latest\``,
        ),
      ];
    }),
});
