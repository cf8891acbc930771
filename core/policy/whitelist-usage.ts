import { parseImageRef } from '../image-ref/parse-image-ref.js';
import { findAllowed } from './rule-lookup.js';
import type { AllowedEntry, Policy } from './schema.js';
import type { BaseVerdict } from './verdict.js';

/** How often one whitelist entry was used. */
export interface WhitelistUsage {
  readonly entry: AllowedEntry;
  readonly index: number;
  /** `allowed[3]`, as verdicts and validation errors name it. */
  readonly path: string;
  /** Uses it admitted directly, plus substitutions whose target it admits. */
  readonly uses: number;
}

/** Counts, for every whitelist entry in order, the verdicts it served, so that ops can prune unused entries. */
export function whitelistUsage(policy: Policy, verdicts: readonly BaseVerdict[]): WhitelistUsage[] {
  const counts = policy.allowed.map(() => 0);
  for (const verdict of verdicts) {
    if (verdict.outcome === 'allowed' && verdict.via === 'whitelist') {
      counts[verdict.index] = (counts[verdict.index] ?? 0) + 1;
    } else if (verdict.outcome === 'substituted') {
      // A target only the substitution uses is still in use: pruning it would break the policy.
      const parsed = parseImageRef(verdict.to);
      const found = parsed.ok ? findAllowed(policy, parsed.ref) : undefined;
      if (found) counts[found.index] = (counts[found.index] ?? 0) + 1;
    }
  }
  return policy.allowed.map((entry, index) => ({
    entry,
    index,
    path: `allowed[${index}]`,
    uses: counts[index] ?? 0,
  }));
}
