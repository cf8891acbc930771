import type { ImageRef } from '../image-ref/image-ref.js';
import { globMatches } from './image-pattern.js';
import { tagSatisfies } from './tag-version.js';

/** The part of a whitelist entry or exception that says which images it admits. */
export interface TagRules {
  /** Normalised repository glob. */
  readonly image: string;
  readonly tags?: readonly string[];
  readonly versions?: string;
  readonly digests?: readonly string[];
}

/**
 * True when the entry admits the reference: the repository glob matches and the digest is listed, or the tag
 * (an implied `latest` included) matches a tag glob or the version range; the tag of `name:tag@digest` is trusted as written.
 */
export function entryAdmits(entry: TagRules, ref: ImageRef): boolean {
  if (!globMatches(entry.image, ref.name)) return false;
  if (ref.digest !== undefined && entry.digests?.includes(ref.digest)) return true;
  const tag = ref.tag;
  if (tag === undefined) return false;
  if (entry.tags?.some((glob) => globMatches(glob, tag))) return true;
  return entry.versions !== undefined && tagSatisfies(tag, entry.versions);
}

/** True when the entry's repository glob matches the reference's name, whatever the tag. */
export function entryNames(entry: TagRules, ref: ImageRef): boolean {
  return globMatches(entry.image, ref.name);
}
