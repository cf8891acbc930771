import { parseImageRef } from '../image-ref/parse-image-ref.js';
import { parseImagePattern, patternMatches } from '../policy/image-pattern.js';
import type { Policy } from '../policy/schema.js';
import type { UnsupportedImage } from '../ports/admission-list.js';

/** A ban pattern admission refuses by name: the policy's `banned[].image` (normalised), with its ban id when a ban made it. */
export interface BannedPattern {
  readonly pattern: string;
  readonly reason: string;
  readonly banId?: string;
}

/** What admission knows of the image a container is about to start from. */
export interface AdmissionSubject {
  /** The references it is known by (as written, and the runtime's names for it). */
  readonly refs: readonly string[];
  /** Its manifest digests (`sha256:…`), when known. */
  readonly digests: readonly string[];
  /** Its config digest (the image ID), when known. */
  readonly configDigest?: string;
}

/** The lists admission decides from. */
export interface AdmissionRules {
  readonly unsupported: readonly UnsupportedImage[];
  readonly banned: readonly BannedPattern[];
}

/** Allow, or deny with the reason and the bans behind it. */
export type AdmissionDecision =
  | { readonly allow: true }
  | { readonly allow: false; readonly reason: string; readonly banIds: readonly string[] };

/**
 * Decides whether a container may start from an image: denied when any of its digests is listed unsupported, or
 * when one of its references (or digests) matches a banned pattern; an image no ban covers is allowed.
 */
export function admitImage(subject: AdmissionSubject, rules: AdmissionRules): AdmissionDecision {
  const digests = new Set(subject.digests);
  if (subject.configDigest) digests.add(subject.configDigest);
  const listed = rules.unsupported.find(
    (image) => digests.has(image.configDigest) || (image.digest !== undefined && digests.has(image.digest)),
  );
  if (listed) {
    return {
      allow: false,
      reason: `${listed.ref} is unsupported (ban ${listed.banIds.join(', ')}): ${listed.reason}`,
      banIds: listed.banIds,
    };
  }
  const refs = subject.refs.flatMap((text) => {
    const parsed = parseImageRef(text);
    return parsed.ok ? [{ text, ref: parsed.ref }] : [];
  });
  for (const ban of rules.banned) {
    const parsed = parseImagePattern(ban.pattern, { tag: true, digest: true, digestOnly: true });
    // A pattern that does not parse cannot be judged: refuse rather than let a banned image through.
    if (!parsed.ok) return deny(`ban pattern ${ban.pattern} cannot be read: ${parsed.error}`, ban);
    const { pattern } = parsed;
    if (pattern.digest !== undefined && digests.has(pattern.digest)) {
      return deny(`${pattern.digest} is banned: ${ban.reason}`, ban);
    }
    const hit = refs.find((r) => patternMatches(pattern, r.ref));
    if (hit) return deny(`${hit.text} is banned by ${pattern.text}: ${ban.reason}`, ban);
  }
  return { allow: true };
}

function deny(reason: string, ban: BannedPattern): AdmissionDecision {
  return { allow: false, reason, banIds: ban.banId === undefined ? [] : [ban.banId] };
}

/** The banned patterns of a policy, for the admission list: every `banned` entry, with its ban id when a ban wrote it. */
export function bannedPatternsOf(policy: Pick<Policy, 'banned'>): BannedPattern[] {
  return policy.banned.map((entry) => ({
    pattern: entry.image,
    reason: entry.reason,
    ...(entry.id === undefined ? {} : { banId: entry.id }),
  }));
}
