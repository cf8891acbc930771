import { type Document, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import type { z } from 'zod';
import { excerpt, type PolicyIssue, PolicyValidationError, quoteInput } from '../errors.js';
import { KNOWN_KEYS, type Policy, PolicySchema } from './schema.js';
import { semanticIssues } from './semantic-checks.js';

type Segment = string | number;

/**
 * Parses policy text (YAML, or JSON, which is YAML) and validates it; throws a PolicyValidationError naming
 * every problem by field path, line and column.
 */
export function parsePolicy(text: string, source?: string): Policy {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const issues = doc.errors.map((e) => {
      const pos = lineCounter.linePos(e.pos[0]);
      return {
        path: '',
        message: `YAML syntax: ${e.message.split('\n')[0]}`,
        line: pos.line,
        column: pos.col,
      };
    });
    throw new PolicyValidationError(issues, { source });
  }
  const locate = (path: readonly Segment[], atKey: boolean) => {
    const offset = offsetOf(doc, path, atKey);
    if (offset === undefined) return {};
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 50 });
  } catch (error) {
    // yaml refuses to expand alias bombs; that is a property of the text, so it is reported like one.
    throw new PolicyValidationError([{ path: '', message: `YAML: ${(error as Error).message}` }], {
      source,
      cause: error,
    });
  }
  return check(data, source, locate);
}

/** Validates an already-parsed policy value (from SSM, say); issues carry field paths but no line numbers. */
export function validatePolicy(data: unknown, source?: string): Policy {
  return check(data, source, () => ({}));
}

function check(
  data: unknown,
  source: string | undefined,
  locate: (path: readonly Segment[], atKey: boolean) => { line?: number; column?: number },
): Policy {
  if (data === null || data === undefined) {
    throw new PolicyValidationError(
      [{ path: '', message: 'the policy is empty; it needs version: 1 and allowed' }],
      {
        source,
      },
    );
  }
  const parsed = PolicySchema.safeParse(data, { error: friendlyMessage });
  const issues: PolicyIssue[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.filter((s): s is Segment => typeof s !== 'symbol');
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          const suggestion = didYouMean(key);
          issues.push({
            // The key is input like any value, so the path names it cut short as well.
            path: formatPath([...path, excerpt(key)]),
            message: `unknown key ${quoteInput(key)}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
            ...locate([...path, key], true),
          });
        }
      } else {
        issues.push({ path: formatPath(path), message: issue.message, ...locate(path, false) });
      }
    }
    throw new PolicyValidationError(issues, { source });
  }
  for (const issue of semanticIssues(parsed.data)) {
    issues.push({ ...issue, ...locate(parsePath(issue.path), false) });
  }
  if (issues.length > 0) throw new PolicyValidationError(issues, { source });
  return parsed.data;
}

function friendlyMessage(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.input === undefined && issue.code !== 'custom' && issue.code !== 'unrecognized_keys')
    return 'is required';
  switch (issue.code) {
    case 'invalid_type':
      return `must be ${article(issue.expected)}, not ${describe(issue.input)}`;
    case 'too_small':
      return issue.origin === 'array' || issue.origin === 'string' ? 'must not be empty' : undefined;
    case 'invalid_value':
      return `must be ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}`;
    default:
      return undefined;
  }
}

function article(expected: string): string {
  const names: Record<string, string> = {
    object: 'a mapping',
    array: 'a list',
    string: 'a string',
    number: 'a number',
  };
  return names[expected] ?? expected;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value === 'string' ? 'the string' : `the ${typeof value}`} ${typeof value === 'string' ? quoteInput(value) : JSON.stringify(value)}`;
}

/** Formats a path like `allowed[2].tags[0]`. */
function formatPath(path: readonly Segment[]): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

function parsePath(path: string): Segment[] {
  return [...path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) =>
    m[2] === undefined ? (m[1] as string) : Number(m[2]),
  );
}

// Offset of the deepest node on the path that exists; the key itself when `atKey` (for unknown keys).
function offsetOf(doc: Document, path: readonly Segment[], atKey: boolean): number | undefined {
  let node: unknown = doc.contents;
  let offset = (node as Node | null)?.range?.[0];
  for (const [i, segment] of path.entries()) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && p.key.value === segment);
      if (!pair) break;
      const key = pair.key as Node;
      if (atKey && i === path.length - 1) return key.range?.[0];
      node = pair.value;
      offset = (node as Node | null)?.range?.[0] ?? key.range?.[0];
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment];
      if (!node) break;
      offset = (node as Node).range?.[0] ?? offset;
    } else {
      break;
    }
  }
  return offset;
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
