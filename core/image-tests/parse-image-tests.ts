import { DrydockError, quoteInput } from '../errors.js';
import {
  type DocumentRules,
  parseValidatedYaml,
  type Validated,
  validateValue,
} from '../yaml/validated-yaml.js';
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
    const lines = issues.map((i) => `  ${describeImageTestsIssue(i)}`);
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

/** One problem as a line: `line 17, column 3: metadataTests: unknown key "metadataTests"`. */
export function describeImageTestsIssue(issue: ImageTestsIssue): string {
  const at = issue.line === undefined ? '' : `line ${issue.line}, column ${issue.column ?? 1}: `;
  return `${at}${issue.path ? `${issue.path}: ` : ''}${issue.message}`;
}

// container-structure-test features drydock does not run, named so that the message says so.
const UNSUPPORTED: Record<string, string> = {
  licenseTests: ' (licenseTests are not supported)',
  containerRunOptions: ' (containerRunOptions are not supported: tests run with no network)',
};

const IMAGE_TESTS_RULES: DocumentRules<ImageTestSuite> = {
  schema: ImageTestSuiteSchema,
  emptyMessage: 'the document is empty; it needs schemaVersion: "2.0.0"',
  unknownKeys: { note: (key) => UNSUPPORTED[key] ?? '', locateAt: 'value' },
  describeScalar: (value) => `${typeof value} ${quoteInput(String(value))}`,
  invalidValueNote: (input) => (typeof input === 'number' ? ' (quote it: YAML reads 2.0 as a number)' : ''),
};

/**
 * The longest image-tests.yaml read, in characters. A team writes it and the daemon parses it on its main thread: 10 MB
 * of nested `[` held the parser for over a minute and then ran the process out of memory, while a real suite is a few
 * kilobytes.
 */
export const MAX_IMAGE_TESTS_CHARS = 256 * 1024;

/** Parses and validates an image-tests.yaml (container-structure-test schema 2.0.0); throws `ImageTestsInvalidError`. */
export function parseImageTests(text: string, source?: string): ImageTestSuite {
  if (text.length > MAX_IMAGE_TESTS_CHARS) {
    const message = `the file has ${text.length} characters, more than the ${MAX_IMAGE_TESTS_CHARS} an image-tests file may have; it was not parsed`;
    throw new ImageTestsInvalidError([{ path: '', message }], { source });
  }
  return orThrow(parseValidatedYaml(text, IMAGE_TESTS_RULES), source);
}

/** Validates an already-parsed image-tests value; issues carry field paths but no line numbers. */
export function validateImageTests(data: unknown, source?: string): ImageTestSuite {
  return orThrow(validateValue(data, IMAGE_TESTS_RULES), source);
}

function orThrow(result: Validated<ImageTestSuite>, source: string | undefined): ImageTestSuite {
  if (result.ok) return result.value;
  throw new ImageTestsInvalidError(result.issues, { source, cause: result.cause });
}
