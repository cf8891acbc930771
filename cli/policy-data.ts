import type { LintPolicy } from '../core/lint/rule.js';

/** The policy document as plain data (it crosses to lint workers); undefined when linting without one. */
export type PolicyData = unknown;

/** The lint view of a policy document: insecure package versions and trusted registries. */
export function lintPolicyOf(data: PolicyData | undefined): LintPolicy {
  if (data === undefined) return {};
  return {};
}
