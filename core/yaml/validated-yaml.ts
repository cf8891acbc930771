import { type Document, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import type * as z from 'zod';
import { excerpt, quoteInput } from '../errors.js';

/** One segment of a field path: a mapping key or a list index. */
export type Segment = string | number;

/** One problem in a document: the field path (`allowed[2].tags[0]`), what is wrong, and where in the text. */
export interface YamlIssue {
  /** Field path like `allowed[2].tags[0]`; empty for a problem of the whole document. */
  readonly path: string;
  readonly message: string;
  /** 1-based line and column of the offending node, when the document came from text. */
  readonly line?: number;
  readonly column?: number;
}

/** Where a field path is in the text; empty when the value did not come from text. */
export type Locate = (path: readonly Segment[], atKey?: boolean) => { line?: number; column?: number };

/** A document that passed, or every problem found in it (with the error behind it, when there was one). */
export type Validated<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly issues: readonly YamlIssue[]; readonly cause?: unknown };

/** What one kind of document says differently; everything else is shared. */
export interface DocumentRules<T> {
  readonly schema: z.ZodType<T>;
  /** The message for an empty document (or a bare `null`). */
  readonly emptyMessage: string;
  readonly unknownKeys?: {
    /** Text appended to `unknown key "x"`, such as a suggestion; '' for none. */
    readonly note?: (key: string) => string;
    /** Point at the key itself (default) or at its value. */
    readonly locateAt?: 'key' | 'value';
    /** Cut a huge key to 80 characters in the path, like any echoed input. */
    readonly excerptInPath?: boolean;
  };
  /** How a wrong scalar is named in `must be a list, not …`; default `the string "x"`, `the number 5`. */
  readonly describeScalar?: (value: unknown) => string;
  /** Text appended to `must be "a" or "b"`, given the value found. */
  readonly invalidValueNote?: (input: unknown) => string;
  /** Checks that run once the schema passes; their paths are located like the schema's. */
  readonly semanticIssues?: (value: T) => readonly YamlIssue[];
}

const MAX_ALIAS_COUNT = 50;

/** Parses YAML (or JSON, which is YAML) text and validates it against the rules; never throws for bad input. */
export function parseValidatedYaml<T>(text: string, rules: DocumentRules<T>): Validated<T> {
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
    return { ok: false, issues };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    // yaml refuses to expand alias bombs; that is a property of the text, so it is reported like one.
    return { ok: false, issues: [{ path: '', message: `YAML: ${(error as Error).message}` }], cause: error };
  }
  const locate: Locate = (path, atKey = false) => {
    const offset = offsetOf(doc, path, atKey);
    if (offset === undefined) return {};
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
  return validateValue(data, rules, locate);
}

/** Validates an already-parsed value; issues carry field paths, and lines only when `locate` knows them. */
export function validateValue<T>(
  data: unknown,
  rules: DocumentRules<T>,
  locate: Locate = () => ({}),
): Validated<T> {
  if (data === null || data === undefined)
    return { ok: false, issues: [{ path: '', message: rules.emptyMessage }] };
  const parsed = rules.schema.safeParse(data, { error: (issue) => friendlyMessage(issue, rules) });
  const issues: YamlIssue[] = [];
  if (!parsed.success) {
    const { note = () => '', locateAt = 'key', excerptInPath = false } = rules.unknownKeys ?? {};
    for (const issue of parsed.error.issues) {
      const path = issue.path.filter((s): s is Segment => typeof s !== 'symbol');
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          issues.push({
            path: formatPath([...path, excerptInPath ? excerpt(key) : key]),
            message: `unknown key ${quoteInput(key)}${note(key)}`,
            ...locate([...path, key], locateAt === 'key'),
          });
        }
      } else {
        issues.push({ path: formatPath(path), message: issue.message, ...locate(path) });
      }
    }
    return { ok: false, issues };
  }
  for (const issue of rules.semanticIssues?.(parsed.data) ?? []) {
    issues.push({ ...issue, ...locate(parsePath(issue.path)) });
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: parsed.data };
}

function friendlyMessage(
  issue: z.core.$ZodRawIssue,
  rules: Pick<DocumentRules<unknown>, 'describeScalar' | 'invalidValueNote'>,
): string | undefined {
  if (issue.input === undefined && issue.code !== 'custom' && issue.code !== 'unrecognized_keys')
    return 'is required';
  switch (issue.code) {
    case 'invalid_type':
      return `must be ${article(issue.expected)}, not ${describe(issue.input, rules.describeScalar ?? describeScalar)}`;
    case 'too_small':
      return issue.origin === 'array' || issue.origin === 'string' ? 'must not be empty' : undefined;
    case 'invalid_value':
      return `must be ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}${rules.invalidValueNote?.(issue.input) ?? ''}`;
    default:
      return undefined;
  }
}

const ARTICLES: Record<string, string> = {
  object: 'a mapping',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  boolean: 'true or false',
};

function article(expected: string): string {
  return ARTICLES[expected] ?? expected;
}

function describe(value: unknown, scalar: (value: unknown) => string): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return scalar(value);
}

function describeScalar(value: unknown): string {
  return typeof value === 'string'
    ? `the string ${quoteInput(value)}`
    : `the ${typeof value} ${JSON.stringify(value)}`;
}

/** Formats a path like `allowed[2].tags[0]`. */
export function formatPath(path: readonly Segment[]): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

/** Reads a path written by `formatPath` back into segments. */
export function parsePath(path: string): Segment[] {
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
      // A key written with no value (`? key`) has no value node: show the problem at the key.
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
