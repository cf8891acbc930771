import type { BaseImage } from '../events/envelope.js';
import type { ImageRef } from '../image-ref/image-ref.js';
import { parseImageRef } from '../image-ref/parse-image-ref.js';
import { type ImagePattern, patternMatches } from '../policy/image-pattern.js';

/** The reference a recorded base stands for: its name and tag as recorded, with the digest actually pulled. */
export function baseImageRef(base: BaseImage): ImageRef | undefined {
  const parsed = parseImageRef(base.name);
  return parsed.ok ? { ...parsed.ref, digest: base.digest } : undefined;
}

/**
 * True when the ban covers a recorded base: a ban by tag covers every digest the tag pointed to, a ban by
 * digest only that digest (whatever the name), a name glob every tag of the names it matches.
 */
export function banCoversBase(pattern: ImagePattern, base: BaseImage): boolean {
  if (pattern.digest !== undefined) return base.digest === pattern.digest;
  const ref = baseImageRef(base);
  // The gate records only names it parsed; one that does not parse can be named by a digest ban only.
  return ref !== undefined && patternMatches(pattern, ref);
}

/** The digests of the recorded bases the ban covers: the roots of the affected set, each once, sorted. */
export function bannedRoots(pattern: ImagePattern, bases: readonly BaseImage[]): string[] {
  const roots = new Set<string>();
  if (pattern.digest !== undefined) {
    for (const base of bases) if (base.digest === pattern.digest) roots.add(base.digest);
    return [...roots];
  }
  // Many digests share a name (a tag that moved, an ops base tag rebuilt): each name is parsed and matched once.
  const nameMatches = new Map<string, boolean>();
  for (const base of bases) {
    if (roots.has(base.digest)) continue;
    let hit = nameMatches.get(base.name);
    if (hit === undefined) {
      const parsed = parseImageRef(base.name);
      hit = parsed.ok && patternMatches(pattern, parsed.ref);
      nameMatches.set(base.name, hit);
    }
    if (hit) roots.add(base.digest);
  }
  return [...roots].sort();
}
