/**
 * One-line accounts of failed image tests, for the places that show one line: a build record's error
 * (`drydock builds`), the first line of a team notification (`drydock notifications`, the SNS message) and the
 * build log.
 */

/** The longest one-line account: long enough for a test, its assertion and a quoted excerpt of the output. */
export const FAILURE_LINE_MAX = 300;

/**
 * The `suite` of the one failure an `Image Tested` event carries when the definition's image-tests.yaml is
 * invalid and nothing ran: its `name` is the file, its `message` every problem, one per line.
 */
export const INVALID_TESTS_SUITE = 'image-tests';

/** Text on one line: each line break, with the blanks around it, becomes one space. */
export function oneLine(text: string): string {
  return text.replace(/[ \t]*[\r\n]+[ \t]*/g, ' ').trim();
}

/** `text` on one line followed by `suffix`, at most `max` characters: the text is cut (ending `…`), never the suffix. */
export function fitLine(text: string, suffix = '', max = FAILURE_LINE_MAX): string {
  const flat = oneLine(text);
  const room = Math.max(2, max - suffix.length);
  if (flat.length <= room) return `${flat}${suffix}`;
  let cut = room - 1;
  // Never split a surrogate pair.
  const last = flat.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut -= 1;
  return `${flat.slice(0, cut)}…${suffix}`;
}

const andMore = (n: number): string => (n > 0 ? `; and ${n} more` : '');

/**
 * `1 of 4 image tests failed: commandTests[1] "uid": expectedOutput[0]: "^1000$" not found in stdout "1000\n"`,
 * with `; and N more` when other tests failed too; `first` is the first failed test and its first broken
 * assertion. One line of at most `FAILURE_LINE_MAX` characters.
 */
export function testsFailedLine(counts: { failed: number; tests: number }, first?: string): string {
  const head = `${counts.failed} of ${counts.tests} image tests failed`;
  if (first === undefined || oneLine(first) === '') return head;
  return fitLine(`${head}: ${first}`, andMore(counts.failed - 1));
}

/**
 * `invalid app/image-tests.yaml: line 17, column 3: metadataTests: unknown key "metadataTests"`, with
 * `; and N more` when the file has other problems. One line of at most `FAILURE_LINE_MAX` characters.
 */
export function invalidTestsLine(path: string, problems: readonly string[]): string {
  const [first] = problems;
  const head = `invalid ${path}`;
  if (first === undefined || oneLine(first) === '') return fitLine(head);
  return fitLine(`${head}: ${first}`, andMore(problems.length - 1));
}
