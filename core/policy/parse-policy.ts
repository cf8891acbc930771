import { PolicyValidationError } from '../errors.js';
import {
  type DocumentRules,
  parseValidatedYaml,
  type Validated,
  validateValue,
} from '../yaml/validated-yaml.js';
import { KNOWN_KEYS, type Policy, PolicySchema } from './schema.js';
import { semanticIssues } from './semantic-checks.js';

const POLICY_RULES: DocumentRules<Policy> = {
  schema: PolicySchema,
  emptyMessage: 'the policy is empty; it needs version: 1 and allowed',
  unknownKeys: {
    note: (key) => {
      const suggestion = didYouMean(key);
      return suggestion ? ` (did you mean "${suggestion}"?)` : '';
    },
    locateAt: 'key',
    // The key is input like any value, so the path names it cut short as well.
    excerptInPath: true,
  },
  semanticIssues,
};

/**
 * Parses policy text (YAML, or JSON, which is YAML) and validates it; throws a PolicyValidationError naming
 * every problem by field path, line and column.
 */
export function parsePolicy(text: string, source?: string): Policy {
  return orThrow(parseValidatedYaml(text, POLICY_RULES), source);
}

/** Validates an already-parsed policy value (from SSM, say); issues carry field paths but no line numbers. */
export function validatePolicy(data: unknown, source?: string): Policy {
  return orThrow(validateValue(data, POLICY_RULES), source);
}

function orThrow(result: Validated<Policy>, source: string | undefined): Policy {
  if (result.ok) return result.value;
  throw new PolicyValidationError(result.issues, { source, cause: result.cause });
}

function didYouMean(key: string): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const known of KNOWN_KEYS) {
    // The distance is at least the difference in length; skipping keeps a huge key from costing seconds.
    if (Math.abs(key.length - known.length) >= bestDistance) continue;
    const distance = editDistance(key.toLowerCase(), known.toLowerCase());
    if (distance < bestDistance) {
      best = known;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const swap = a[i - 1] !== b[j - 1] ? 1 : 0;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + swap);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
