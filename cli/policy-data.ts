import { lintPolicyFor } from '../core/gate/gate-definition.js';
import type { LintPolicy } from '../core/lint/rule.js';
import type { Policy } from '../core/policy/schema.js';

/** The policy document as plain data (it crosses to lint workers); undefined when linting without one. */
export type PolicyData = Policy;

/** The lint view of a policy document: insecure package versions and trusted registries. */
export function lintPolicyOf(data: PolicyData | undefined): LintPolicy {
  return data === undefined ? {} : lintPolicyFor(data);
}
