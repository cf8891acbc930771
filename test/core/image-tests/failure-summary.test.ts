import { describe, expect, it } from 'vitest';
import {
  FAILURE_LINE_MAX,
  fitLine,
  invalidTestsLine,
  oneLine,
  testsFailedLine,
} from '../../../core/image-tests/failure-summary.js';

describe('failure lines', () => {
  it('names the first failed test and its assertion, counting the other failed tests', () => {
    const first = 'commandTests[1] "uid": expectedOutput[0]: "^1000$" not found in stdout "1000\\n"';
    expect(testsFailedLine({ failed: 1, tests: 4 }, first)).toBe(
      '1 of 4 image tests failed: commandTests[1] "uid": expectedOutput[0]: "^1000$" not found in stdout "1000\\n"',
    );
    expect(testsFailedLine({ failed: 3, tests: 4 }, first)).toBe(
      `3 of 4 image tests failed: ${first}; and 2 more`,
    );
    expect(testsFailedLine({ failed: 2, tests: 2 })).toBe('2 of 2 image tests failed');
  });

  it('keeps a long failure to one line of at most FAILURE_LINE_MAX characters, the count kept whole', () => {
    const line = testsFailedLine(
      { failed: 5, tests: 9 },
      `commandTests[0] "x": could not run: ${'z'.repeat(900)}\nat`,
    );
    expect(line).toHaveLength(FAILURE_LINE_MAX);
    expect(line).not.toContain('\n');
    expect(line).toMatch(
      /^5 of 9 image tests failed: commandTests\[0\] "x": could not run: z+…; and 4 more$/,
    );
  });

  it('names the first problem of an invalid tests file and counts the others', () => {
    expect(
      invalidTestsLine('app/image-tests.yaml', [
        'line 17, column 3: metadataTests: unknown key "metadataTests"',
        'line 2, column 1: schemaVersion: is required',
      ]),
    ).toBe(
      'invalid app/image-tests.yaml: line 17, column 3: metadataTests: unknown key "metadataTests"; and 1 more',
    );
    expect(invalidTestsLine('image-tests.yaml', [])).toBe('invalid image-tests.yaml');
  });

  it('puts text on one line and never splits a surrogate pair when cutting', () => {
    expect(oneLine('a\n  b\r\n\tc ')).toBe('a b c');
    expect(fitLine(`${'a'.repeat(8)}😀😀`, '', 10)).toBe(`${'a'.repeat(8)}…`);
    expect(fitLine('short', '; x', 10)).toBe('short; x');
  });
});
