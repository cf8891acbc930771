import type { Value } from '../../dockerfile/expand.js';
import { expandFromText } from '../../dockerfile/image-uses.js';
import { defineRule } from '../rule.js';

/**
 * Whether the image names its tag or digest: the tag sits after a colon in the last path component (a colon before
 * it is a registry port). A piece only the build knows (an ARG without a default) may carry the tag when it is in the
 * last component or holds a digest; before the last `/` it cannot (`${REGISTRY}/ubuntu` is untagged whatever it is).
 */
function mayBeTagged(value: Value): boolean {
  let text = '';
  const raw: [number, number][] = [];
  for (const s of value) {
    if (s.raw !== undefined) raw.push([text.length, text.length + s.raw.length]);
    text += s.raw ?? s.text;
  }
  if (text.includes('@')) return true;
  const lastSlash = lastTextSlash(text, raw);
  const last = text.slice(lastSlash + 1);
  return last.includes(':') || raw.some(([, end]) => end > lastSlash + 1);
}

// The last `/` outside the pieces kept as written (`${X:-a/b}` is one piece, not a path separator).
function lastTextSlash(text: string, raw: readonly [number, number][]): number {
  for (let i = text.length - 1; i >= 0; i--) {
    if (text[i] === '/' && !raw.some(([s, e]) => i >= s && i < e)) return i;
  }
  return -1;
}

export const untaggedImage = defineRule({
  id: 'DL3006',
  level: 'warning',
  title: 'Always tag the image explicitly',
  rationale:
    'An untagged image means `latest`, which moves: the same definition builds on a different base tomorrow, and a ban cannot be traced to the image that used it. Global ARG defaults are substituted first, as the builder does (`ARG IMG=ubuntu` + `FROM $IMG` is untagged); an ARG without a default may carry the tag only in the last path component, so `FROM ${REGISTRY}/ubuntu` is untagged whatever the registry.',
  check: (ctx) =>
    ctx.stages.flatMap((stage) => {
      const image = stage.image;
      const value = expandFromText(ctx.model, image);
      if (!value || mayBeTagged(value)) return [];
      const resolved = value.map((s) => s.raw ?? s.text).join('');
      const lower = resolved.toLowerCase();
      // A stage name refers to an earlier stage, not a registry.
      if (lower === 'scratch' || ctx.stageNamesBefore(stage.from).includes(lower)) return [];
      const shown =
        resolved === image ? `\`${image}\`` : `\`${image}\` (\`${resolved}\` with the ARG defaults)`;
      return [
        ctx.finding(
          stage.from,
          `Always tag the image explicitly: ${shown} has no tag, so it pulls \`latest\``,
        ),
      ];
    }),
});
