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
 * How an entry admits a reference: by a listed digest, by its tag, or by the tag written beside a digest,
 * which the policy cannot check against that digest.
 */
export type Admission = 'digest' | 'tag' | 'unverified-tag';

/** Options of the policy that change how entries admit references. */
export interface AdmitOptions {
  /** Admit a digest-pinned reference only when the entry lists its digest (a parsed policy's default is true). @default false */
  readonly requireDigestListed?: boolean;
}

/**
 * Says how the entry admits the reference, or undefined when it does not: the repository glob must match; a
 * reference without a digest is admitted by its tag (an implied `latest` included) matching a tag glob or the
 * version range; a digest-pinned one by its digest, or by its written tag where the entry lists no digests.
 */
export function entryAdmission(
  entry: TagRules,
  ref: ImageRef,
  opts: AdmitOptions = {},
): Admission | undefined {
  if (!globMatches(entry.image, ref.name)) return undefined;
  if (ref.digest === undefined) return tagMatches(entry, ref.tag) ? 'tag' : undefined;
  if (entry.digests?.includes(ref.digest)) return 'digest';
  // Docker pulls by the digest and ignores the tag: listed digests only, else the written tag, flagged unverified.
  if (entry.digests !== undefined || opts.requireDigestListed) return undefined;
  return tagMatches(entry, ref.tag) ? 'unverified-tag' : undefined;
}

/** True when the entry admits the reference (see `entryAdmission`). */
export function entryAdmits(entry: TagRules, ref: ImageRef, opts: AdmitOptions = {}): boolean {
  return entryAdmission(entry, ref, opts) !== undefined;
}

/** True when the entry's repository glob matches the reference's name, whatever the tag. */
export function entryNames(entry: TagRules, ref: ImageRef): boolean {
  return globMatches(entry.image, ref.name);
}

function tagMatches(entry: TagRules, tag: string | undefined): boolean {
  if (tag === undefined) return false;
  if (entry.tags?.some((glob) => globMatches(glob, tag))) return true;
  return entry.versions !== undefined && tagSatisfies(tag, entry.versions);
}
