import type { Policy } from './schema.js';

/** Rebuilds of one ban allowed at once: the policy's `response.maxConcurrentRebuilds`, else the runtime's `fallback` (its build concurrency). */
export function maxConcurrentRebuilds(policy: Policy, fallback: number): number {
  return policy.response?.maxConcurrentRebuilds ?? fallback;
}
