import { quoteInput } from '../errors.js';
import type { RebuildSubstitution } from '../events/rebuild.js';
import { formatImageRef } from '../image-ref/format-image-ref.js';
import type { ImageRef } from '../image-ref/image-ref.js';
import { parseImageRef } from '../image-ref/parse-image-ref.js';
import type { BaseVerdict, ImageUse } from '../policy/verdict.js';

/** What the gate needs of a ban's rebuild: the ban (named in the verdict) and the bases to build on instead. */
export interface RebuildBases {
  readonly banId: string;
  readonly substitutions: readonly RebuildSubstitution[];
}

/**
 * The reference a rebuild substitution's `from` is compared on: the normalised name and tag, or name and digest
 * when no tag is written. A digest written beside a tag is ignored on both sides: lineage records the base as it
 * was written (`name:tag@digest` when the team pinned it), the ban plans the rebuild of every image that tag's
 * digests were built on, and the rebuild replaces the use of that tag whichever digest was pinned beside it.
 */
export function rebuildMatchKey(ref: ImageRef): string {
  return ref.tag === undefined ? formatImageRef(ref) : `${ref.name}:${ref.tag}`;
}

/**
 * The verdict on one image use of a ban's rebuild, when one of its substitutions names the use: `substituted`
 * by the normalised `to` (which the ban or the base rebuild it waited for chose; the policy does not judge it
 * again, as with its own substitutions), or `denied` when `to` is not an image reference, since only a parsed and
 * re-formatted reference is ever written into the Dockerfile. Undefined when no substitution names the use (the
 * policy judges it), or the use does not parse (the policy denies it).
 */
export function rebuildVerdict(use: ImageUse, rebuild: RebuildBases): BaseVerdict | undefined {
  const parsed = parseImageRef(use.text);
  if (!parsed.ok) return undefined;
  const key = rebuildMatchKey(parsed.ref);
  const sub = rebuild.substitutions.find((s) => {
    const from = parseImageRef(s.from);
    return from.ok && rebuildMatchKey(from.ref) === key;
  });
  if (sub === undefined) return undefined;
  const from = formatImageRef(parsed.ref);
  const to = parseImageRef(sub.to);
  if (!to.ok) {
    return {
      outcome: 'denied',
      use,
      ref: from,
      reason: `the rebuild for ban ${quoteInput(rebuild.banId)} replaces ${from} by ${quoteInput(sub.to)}, which is not an image reference: ${to.error}`,
      code: 'unparseable',
      rule: sub.rule,
    };
  }
  const target = formatImageRef(to.ref);
  return {
    outcome: 'substituted',
    use,
    from,
    to: target,
    why: `rebuilt for ban ${quoteInput(rebuild.banId)}: ${from} is replaced by ${target} (${sub.rule})`,
    rule: sub.rule,
  };
}
