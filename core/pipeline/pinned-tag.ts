import { DrydockError } from '../errors.js';
import { formatImageRef } from '../image-ref/format-image-ref.js';
import type { ImageRef } from '../image-ref/image-ref.js';

/**
 * The reference without its digest (`name:tag`) when it is written `name:tag@digest`, the tag whose current
 * digest a build must check; undefined for a reference with only a tag or only a digest.
 */
export function pinnedTagOf(ref: ImageRef): string | undefined {
  if (ref.digest === undefined || ref.tag === undefined) return undefined;
  return formatImageRef({ ...ref, digest: undefined });
}

/**
 * Why a `name:tag@digest` reference must not be built on: builders pull the digest and ignore the tag, so a tag
 * that names another image (or none) would have the gate, the labels and the lineage name an image the build
 * did not use. `tagDigest` is the digest the tag points at now (undefined: no such tag). Undefined when the tag
 * points at the pinned digest, or when the reference does not carry both.
 */
export function pinnedTagProblem(ref: ImageRef, tagDigest: string | undefined): string | undefined {
  const tagged = pinnedTagOf(ref);
  if (tagged === undefined || tagDigest === ref.digest) return undefined;
  const written = formatImageRef(ref);
  const fix = `pin the digest the tag points at, or write ${ref.name}@${ref.digest} without the tag`;
  if (tagDigest === undefined) {
    return `${written}: the tag ${ref.tag} does not exist, so the pinned digest cannot be checked against it; ${fix}`;
  }
  return `${written}: the tag ${ref.tag} points at ${tagDigest}, not the pinned digest; ${fix}`;
}

/** A `name:tag@digest` base whose tag does not point at its digest: building on it would record a false lineage. */
export class PinnedTagMismatchError extends DrydockError {
  override readonly name = 'PinnedTagMismatchError';

  constructor(problem: string) {
    super(problem, { code: 'BASE_PINNED_TAG_MISMATCH' });
  }
}
