import { isNode, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { DrydockError, quoteInput } from '../errors.js';
import { type ImageTestSuite, ImageTestSuiteSchema } from './schema.js';

/** One problem in an image-tests document: the field path (`commandTests[0].command`) and what is wrong. */
export interface ImageTestsIssue {
  readonly path: string;
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
}

/** An image-tests.yaml that cannot be used, with every problem found. */
export class ImageTestsInvalidError extends DrydockError {
  override readonly name = 'ImageTestsInvalidError';
  readonly issues: readonly ImageTestsIssue[];

  constructor(issues: readonly ImageTestsIssue[], options: { source?: string; cause?: unknown } = {}) {
    const where = options.source ? `${options.source}: ` : '';
    const lines = issues.map((i) => {
      const at = i.line === undefined ? '' : `line ${i.line}, column ${i.column ?? 1}: `;
      return `  ${at}${i.path ? `${i.path}: ` : ''}${i.message}`;
    });
    super(
      `${where}invalid image tests (${issues.length === 1 ? '1 problem' : `${issues.length} problems`}):\n${lines.join('\n')}`,
      {
        code: 'IMAGE_TESTS_INVALID',
        cause: options.cause,
      },
    );
    this.issues = issues;
  }
}

type Segment = string | number;

/** Parses and validates an image-tests.yaml (container-structure-test schema 2.0.0); throws `ImageTestsInvalidError`. */
export function parseImageTests(text: string, source?: string): ImageTestSuite {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ImageTestsInvalidError(
      doc.errors.map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        return {
          path: '',
          message: `YAML syntax: ${e.message.split('\n')[0]}`,
          line: pos.line,
          column: pos.col,
        };
      }),
      { source },
    );
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 50 });
  } catch (error) {
    throw new ImageTestsInvalidError([{ path: '', message: `YAML: ${(error as Error).message}` }], {
      source,
      cause: error,
    });
  }
  const locate = (path: readonly Segment[]) => {
    // The deepest node on the path that exists is where the problem is shown.
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
      if (isNode(node) && node.range) {
        const pos = lineCounter.linePos(node.range[0]);
        return { line: pos.line, column: pos.col };
      }
    }
    return {};
  };
  return validate(data, source, locate);
}

/** Validates an already-parsed image-tests value; issues carry field paths but no line numbers. */
export function validateImageTests(data: unknown, source?: string): ImageTestSuite {
  return validate(data, source, () => ({}));
}

function validate(
  data: unknown,
  source: string | undefined,
  locate: (path: readonly Segment[]) => { line?: number; column?: number },
): ImageTestSuite {
  if (data === null || data === undefined) {
    throw new ImageTestsInvalidError(
      [{ path: '', message: 'the document is empty; it needs schemaVersion: "2.0.0"' }],
      {
        source,
      },
    );
  }
  const parsed = ImageTestSuiteSchema.safeParse(data, { error: friendlyMessage });
  if (parsed.success) return parsed.data;
  const issues: ImageTestsIssue[] = [];
  for (const issue of parsed.error.issues) {
    const path = issue.path.filter((s): s is Segment => typeof s !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        issues.push({
          path: formatPath([...path, key]),
          message: `unknown key ${quoteInput(key)}${UNSUPPORTED[key] ?? ''}`,
          ...locate([...path, key]),
        });
      }
    } else {
      issues.push({ path: formatPath(path), message: issue.message, ...locate(path) });
    }
  }
  throw new ImageTestsInvalidError(issues, { source });
}

// container-structure-test features drydock does not run, named so that the message says so.
const UNSUPPORTED: Record<string, string> = {
  licenseTests: ' (licenseTests are not supported)',
  containerRunOptions: ' (containerRunOptions are not supported: tests run with no network)',
};

function friendlyMessage(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.input === undefined && issue.code !== 'custom' && issue.code !== 'unrecognized_keys')
    return 'is required';
  switch (issue.code) {
    case 'invalid_type':
      return `must be ${article(issue.expected)}, not ${describe(issue.input)}`;
    case 'too_small':
      return issue.origin === 'array' || issue.origin === 'string' ? 'must not be empty' : undefined;
    case 'invalid_value':
      return `must be ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}${
        typeof issue.input === 'number' ? ' (quote it: YAML reads 2.0 as a number)' : ''
      }`;
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
    boolean: 'true or false',
  };
  return names[expected] ?? expected;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${quoteInput(String(value))}`;
}

function formatPath(path: readonly Segment[]): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}
