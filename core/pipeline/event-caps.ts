import type { TestFailure } from '../events/image-tested.js';

// An outcome event carries text a team controls (its RUN output, its test names and outputs); uncapped, one event
// grows past what EventBridge (256 KiB) and the build-state relay accept, and the team gets a generic failure in
// place of its own. Sizes are UTF-8 bytes as the text is escaped in the event's JSON, where a control character
// takes six.

/** The most bytes of one log line carried in an outcome event's `logTail`. */
export const TAIL_LINE_MAX_BYTES = 2048;
/** The most bytes of an outcome event's whole `logTail`; the last lines are kept, they hold the error. */
export const TAIL_MAX_BYTES = 8192;
/** The most failed tests an `Image Tested` event names; the JUnit report keeps them all. */
export const FAILURES_MAX = 50;
/** The most bytes of one failed test's name in an `Image Tested` event. */
export const FAILURE_NAME_MAX_BYTES = 256;
/** The most bytes of one failed test's message in an `Image Tested` event. */
export const FAILURE_MESSAGE_MAX_BYTES = 2048;
/** The most bytes of all the failed tests an `Image Tested` event names. */
export const FAILURES_MAX_BYTES = 24 * 1024;

/** The bytes `text` takes inside a JSON string (UTF-8, escapes counted, quotes not). */
export function jsonBytes(text: string): number {
  let total = 0;
  for (const char of text) total += charBytes(char);
  return total;
}

/** `text` when it takes at most `maxBytes` in JSON, else its longest start that fits with `marker` after it. */
export function cutToBytes(text: string, maxBytes: number, marker: (cutBytes: number) => string): string {
  const size = jsonBytes(text);
  if (size <= maxBytes) return text;
  // The marker names how much was cut; a few digits more or less do not matter to the room left.
  const room = Math.max(0, maxBytes - jsonBytes(marker(size)));
  let kept = '';
  let used = 0;
  for (const char of text) {
    const bytes = charBytes(char);
    if (used + bytes > room) break;
    kept += char;
    used += bytes;
  }
  return `${kept}${marker(size - used)}`;
}

/**
 * The `logTail` of an outcome event from the last lines of a log: each line cut to `TAIL_LINE_MAX_BYTES`, and
 * only as many of the last lines as fit in `TAIL_MAX_BYTES`, after a line saying how many earlier ones were left out.
 */
export function capLogTail(lines: readonly string[]): string {
  const kept: string[] = [];
  let used = 0;
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = capLogLine(lines[i] ?? '');
    // Room is kept for the line that says how many were left out.
    const bytes = jsonBytes(line) + 2;
    if (used + bytes > TAIL_MAX_BYTES - 80) {
      kept.unshift(`drydock: ${i + 1} earlier line${i === 0 ? '' : 's'} of the log left out of this tail`);
      break;
    }
    kept.unshift(line);
    used += bytes;
  }
  return kept.join('\n');
}

/** One log line as an outcome event carries it: at most `TAIL_LINE_MAX_BYTES`, a cut line saying so. */
export function capLogLine(line: string): string {
  return cutToBytes(line, TAIL_LINE_MAX_BYTES, (n) => ` … [${n} bytes of this line cut]`);
}

/**
 * The failed tests an `Image Tested` event names: the first `FAILURES_MAX` that fit in `FAILURES_MAX_BYTES`, each
 * name and message cut, then one entry saying how many more failed and where they all are.
 */
export function capTestFailures(failures: readonly TestFailure[], junitPath?: string): TestFailure[] {
  const kept: TestFailure[] = [];
  let used = 0;
  for (const failure of failures) {
    const capped: TestFailure = {
      ...failure,
      name: cutToBytes(failure.name, FAILURE_NAME_MAX_BYTES, () => '…'),
      message: cutToBytes(failure.message, FAILURE_MESSAGE_MAX_BYTES, (n) => ` … [${n} bytes cut]`),
    };
    const bytes = jsonBytes(capped.name) + jsonBytes(capped.message) + jsonBytes(capped.suite ?? '') + 40;
    if (kept.length === FAILURES_MAX || used + bytes > FAILURES_MAX_BYTES) break;
    kept.push(capped);
    used += bytes;
  }
  const more = failures.length - kept.length;
  if (more > 0) {
    kept.push({
      name: `and ${more} more failed test${more === 1 ? '' : 's'}`,
      message: junitPath
        ? `every failure is in the JUnit report ${junitPath}`
        : 'every failure is in the log',
      suite: 'drydock',
    });
  }
  return kept;
}

function charBytes(char: string): number {
  const code = char.codePointAt(0) ?? 0;
  if (char === '"' || char === '\\' || char === '\n' || char === '\r' || char === '\t') return 2;
  if (code === 0x08 || code === 0x0c) return 2;
  if (code < 0x20) return 6;
  if (code < 0x80) return 1;
  if (code < 0x800) return 2;
  // A lone surrogate is escaped as \uXXXX.
  if (code >= 0xd800 && code <= 0xdfff) return 6;
  return code < 0x10000 ? 3 : 4;
}
