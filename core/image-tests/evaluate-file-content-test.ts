import { matchAll } from './evaluate-command-test.js';
import type { MatchBudget } from './go-regex.js';
import type { FileRead } from './observations.js';
import type { FileContentTest } from './schema.js';

/** The assertions of a file content test that the observed contents break, each naming its field; empty when it passes. */
export function evaluateFileContentTest(
  test: FileContentTest,
  file: FileRead,
  budget?: MatchBudget,
): string[] {
  if ('error' in file) return [`cannot read ${test.path}: ${file.error}`];
  if (!file.exists) return [`path: ${test.path} does not exist`];
  const what = `the contents of ${test.path}`;
  return [
    ...matchAll('expectedContents', test.expectedContents, file.content, what, true, budget),
    ...matchAll('excludedContents', test.excludedContents, file.content, what, false, budget),
  ];
}
