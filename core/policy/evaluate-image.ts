import { formatImageRef } from '../image-ref/format-image-ref.js';
import type { ImageRef } from '../image-ref/image-ref.js';
import { parseImageRef } from '../image-ref/parse-image-ref.js';
import { type Admission, entryAdmission, entryAdmits, entryNames } from './entry-match.js';
import { isExpired } from './expiry.js';
import { findAllowed, findBan, findSubstitution } from './rule-lookup.js';
import type { AllowedEntry, Policy } from './schema.js';
import type { BaseVerdict, ImageUse } from './verdict.js';

const HINT_LIMIT = 8;

/**
 * Decides one image use: a ban (replaced or substituted if the policy says how, else denied), then a
 * substitution rule, the trusted registries, the whitelist, and an unexpired exception for the project.
 */
export function evaluateImage(
  use: ImageUse,
  policy: Policy,
  opts: { project: string; now: Date },
): BaseVerdict {
  const parsed = parseImageRef(use.text);
  if (!parsed.ok) return { outcome: 'denied', use, ref: use.text, reason: parsed.error, code: 'unparseable' };
  const ref = parsed.ref;
  const key = formatImageRef(ref);

  const ban = findBan(policy, ref);
  if (ban) {
    const banned = `${key} is banned: ${ban.entry.reason}`;
    const rule = `banned[${ban.index}]`;
    if (ban.entry.replacement !== undefined) {
      return { outcome: 'substituted', use, from: key, to: ban.entry.replacement, why: banned, rule };
    }
    const sub = findSubstitution(policy, ref);
    if (sub) {
      const why = `${banned}; ${sub.entry.reason}`;
      return {
        outcome: 'substituted',
        use,
        from: key,
        to: sub.entry.to,
        why,
        rule: `substitutions[${sub.index}]`,
      };
    }
    return { outcome: 'denied', use, ref: key, reason: banned, code: 'banned', rule };
  }

  const sub = findSubstitution(policy, ref);
  if (sub) {
    const rule = `substitutions[${sub.index}]`;
    return { outcome: 'substituted', use, from: key, to: sub.entry.to, why: sub.entry.reason, rule };
  }

  const trusted = policy.trustedRegistries;
  if (trusted && !trusted.includes(ref.registry)) {
    const reason = `${key} comes from registry "${ref.registry}", which is not trusted; trusted: ${trusted.join(', ')}`;
    return {
      outcome: 'denied',
      use,
      ref: key,
      reason,
      code: 'untrusted-registry',
      rule: 'trustedRegistries',
    };
  }

  const allowed = findAllowed(policy, ref);
  if (allowed) {
    const entry = `allowed[${allowed.index}]`;
    return {
      outcome: 'allowed',
      use,
      ref: key,
      via: 'whitelist',
      entry,
      index: allowed.index,
      ...unverified(allowed.admission, ref, entry),
    };
  }

  const admitOptions = { requireDigestListed: policy.requireDigestListed };
  const exceptions = policy.exceptions
    .map((entry, index) => ({ entry, index, admission: entryAdmission(entry, ref, admitOptions) }))
    .filter(({ entry, admission }) => entry.project === opts.project && admission !== undefined);
  const live = exceptions.find(({ entry }) => !isExpired(entry.expires, opts.now));
  if (live) {
    const { entry, index, admission } = live;
    return {
      outcome: 'allowed',
      use,
      ref: key,
      via: 'exception',
      entry: `exceptions[${index}]`,
      index,
      expires: entry.expires,
      ...unverified(admission, ref, `exceptions[${index}]`),
    };
  }
  const lapsed = exceptions.sort((a, b) => b.entry.expires.localeCompare(a.entry.expires))[0];
  if (lapsed) {
    const reason = `exception for ${opts.project} expired on ${lapsed.entry.expires}; ${key} is not on the base-image whitelist`;
    return {
      outcome: 'denied',
      use,
      ref: key,
      reason,
      code: 'exception-expired',
      rule: `exceptions[${lapsed.index}]`,
    };
  }

  const reason = `${key} is not on the base-image whitelist; allowed: ${whitelistHint(policy.allowed, ref)}${digestHint(policy, ref)}`;
  return { outcome: 'denied', use, ref: key, reason, code: 'not-whitelisted' };
}

// The fields an allowed verdict carries when the entry admitted a digest-pinned reference by its written tag.
function unverified(admission: Admission | undefined, ref: ImageRef, entry: string) {
  if (admission !== 'unverified-tag') return {};
  const caveat = `the tag "${ref.tag}" is not checked against ${ref.digest}: Docker pulls the digest whatever tag is written beside it; list the digest in ${entry}.digests to admit it by content`;
  return { unverifiedTag: true as const, caveat };
}

// Says why a digest-pinned reference whose tag an entry would admit was denied all the same.
function digestHint(policy: Policy, ref: ImageRef): string {
  if (ref.digest === undefined || ref.tag === undefined) return '';
  const byTag = { ...ref, digest: undefined };
  if (!policy.allowed.some((entry) => entryAdmits(entry, byTag))) return '';
  const rule = policy.requireDigestListed ? 'requireDigestListed is on' : 'the entry lists digests';
  return `; ${rule}, so only a listed digest admits a digest-pinned reference and the tag "${ref.tag}" beside it does not count`;
}

// Entries for the same repository say which tags would do; otherwise the repositories that are allowed.
function whitelistHint(allowed: readonly AllowedEntry[], ref: ImageRef): string {
  const same = allowed.filter((entry) => entryNames(entry, ref));
  if (same.length > 0) return same.map(describeEntry).join('; ');
  if (allowed.length === 0) return 'nothing (the whitelist is empty)';
  const names = [...new Set(allowed.map((entry) => entry.image))];
  const more = names.length > HINT_LIMIT ? ` and ${names.length - HINT_LIMIT} more` : '';
  return `${names.slice(0, HINT_LIMIT).join(', ')}${more}`;
}

function describeEntry(entry: AllowedEntry): string {
  const rules = [
    entry.tags && `tags ${entry.tags.join(', ')}`,
    entry.versions && `versions ${entry.versions}`,
    entry.digests && `digests ${entry.digests.map((d) => `${d.slice(0, 19)}…`).join(', ')}`,
  ].filter(Boolean);
  return `${entry.image} with ${rules.join(' or ')}`;
}
