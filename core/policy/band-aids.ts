import { parseImageRef } from '../image-ref/parse-image-ref.js';
import { compiledPattern, patternMatches } from './image-pattern.js';
import type { BandAid, Policy } from './schema.js';

/** The approved band-aids whose `appliesTo` patterns match the image; none for a reference that does not parse. */
export function bandAidsFor(policy: Policy, image: string): BandAid[] {
  const parsed = parseImageRef(image);
  if (!parsed.ok) return [];
  const ref = parsed.ref;
  return policy.bandAids.filter((bandAid) =>
    bandAid.appliesTo.some((p) => patternMatches(compiledPattern(p), ref)),
  );
}
