import type { ImageRef } from '../image-ref/image-ref.js';
import { type Admission, entryAdmission } from './entry-match.js';
import { compiledPattern, patternMatches } from './image-pattern.js';
import type { AllowedEntry, BannedEntry, Policy, Substitution } from './schema.js';

/** A policy entry found for a reference, with its index in its list. */
export interface Found<T> {
  readonly entry: T;
  readonly index: number;
}

/** The first ban that matches the reference: by digest, or by name glob and tag glob. */
export function findBan(policy: Policy, ref: ImageRef): Found<BannedEntry> | undefined {
  return first(policy.banned, (ban) => patternMatches(compiledPattern(ban.image), ref));
}

/** The first substitution rule whose `from` matches the reference. */
export function findSubstitution(policy: Policy, ref: ImageRef): Found<Substitution> | undefined {
  return first(policy.substitutions, (rule) => patternMatches(compiledPattern(rule.from), ref));
}

/** The first whitelist entry that admits the reference, and how it admits it. */
export function findAllowed(
  policy: Policy,
  ref: ImageRef,
): (Found<AllowedEntry> & { readonly admission: Admission }) | undefined {
  const opts = { requireDigestListed: policy.requireDigestListed };
  for (const [index, entry] of policy.allowed.entries()) {
    const admission = entryAdmission(entry, ref, opts);
    if (admission) return { entry, index, admission };
  }
  return undefined;
}

function first<T>(list: readonly T[], test: (item: T) => boolean): Found<T> | undefined {
  const index = list.findIndex(test);
  return index < 0 ? undefined : { entry: list[index] as T, index };
}
