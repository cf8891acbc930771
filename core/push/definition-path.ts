// Characters a definition path may not hold, because the path is shown on ops' terminals, in team messages and
// in logs, where they would move the cursor, clear the screen, start a line of their own or reorder what is
// shown: C0 controls (escape, line feed, carriage return, tab…), DEL, C1 controls (U+0085 next line, U+009B CSI),
// the Unicode line and paragraph separators, the bidirectional embeddings and overrides (U+202A–U+202E) and
// isolates (U+2066–U+2069), U+FFFD (what a name that is not valid UTF-8 becomes when git's output is read, and
// never a real name) and lone UTF-16 surrogates (a string no UTF-8 file name can produce).
const UNSAFE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find them.
  /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffd]|\p{Cs}/gu;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

const escapeOne = (char: string): string => {
  const named = NAMED[char];
  if (named) return named;
  const code = char.charCodeAt(0);
  return code < 0x100
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
};

/**
 * The text with every character a definition path may not hold written as an escape (`\x1b`, `\n`, `\u202e`),
 * so it stays on one line and shows what it holds; anything else, `café` included, is kept as it is.
 */
export function escapeControls(text: string): string {
  return text.replace(UNSAFE, escapeOne);
}

const kindOf = (char: string): string => {
  const code = char.charCodeAt(0);
  if (char === '\n' || char === '\r' || code === 0x85 || code === 0x2028 || code === 0x2029)
    return 'a line break';
  if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return 'a control character';
  if (code >= 0x202a && code <= 0x2069) return 'a bidirectional override';
  return 'bytes that are not valid UTF-8';
};

/**
 * What a definition path holds that the pipeline does not pass on (`\x1b (a control character)`, each found
 * character escaped and named once), or undefined for a path it passes on.
 */
export function unsafePathReason(path: string): string | undefined {
  const found = [...new Set(path.match(UNSAFE) ?? [])];
  if (found.length === 0) return undefined;
  return found.map((c) => `${escapeOne(c)} (${kindOf(c)})`).join(', ');
}
