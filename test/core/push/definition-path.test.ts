import { describe, expect, it } from 'vitest';
import { escapeControls, unsafePathReason } from '../../../core/push/definition-path.js';

const refuses = (path: string, reason: string) => expect(unsafePathReason(path)).toBe(reason);
const passes = (path: string) => expect(unsafePathReason(path)).toBeUndefined();

describe('unsafePathReason', () => {
  it('refuses an escape sequence', () => refuses('ops\u001b[2J/Dockerfile', '\\x1b (a control character)'));
  it('refuses a line feed', () => refuses('a\nb/Dockerfile', '\\n (a line break)'));
  it('refuses a carriage return', () => refuses('a\rb/Dockerfile', '\\r (a line break)'));
  it('refuses a tab', () => refuses('a\tb/Dockerfile', '\\t (a control character)'));
  it('refuses NUL', () => refuses('a\u0000/Dockerfile', '\\x00 (a control character)'));
  it('refuses DEL', () => refuses('a\u007f/Dockerfile', '\\x7f (a control character)'));
  it('refuses C1 next line', () => refuses('a\u0085b/Dockerfile', '\\x85 (a line break)'));
  it('refuses C1 CSI', () => refuses('a\u009b2J/Dockerfile', '\\x9b (a control character)'));
  it('refuses a line separator', () => refuses('a\u2028b/Dockerfile', '\\u2028 (a line break)'));
  it('refuses a paragraph separator', () => refuses('a\u2029b/Dockerfile', '\\u2029 (a line break)'));
  it('refuses a right-to-left override', () =>
    refuses('evil\u202egpj.Dockerfile', '\\u202e (a bidirectional override)'));
  it('refuses a left-to-right embedding', () =>
    refuses('a\u202ab/Dockerfile', '\\u202a (a bidirectional override)'));
  it('refuses a first strong isolate', () =>
    refuses('a\u2068b/Dockerfile', '\\u2068 (a bidirectional override)'));
  it('refuses a pop directional isolate', () =>
    refuses('a\u2069b/Dockerfile', '\\u2069 (a bidirectional override)'));
  it('refuses bytes git printed that are not UTF-8', () =>
    refuses('caf\ufffd/Dockerfile', '\\ufffd (bytes that are not valid UTF-8)'));
  it('refuses a lone surrogate', () =>
    refuses('a\ud800/Dockerfile', '\\ud800 (bytes that are not valid UTF-8)'));
  it('names each kind once', () =>
    refuses('\u001b\u001b\n/Dockerfile', '\\x1b (a control character), \\n (a line break)'));

  it('passes an ordinary path', () => passes('api/Dockerfile'));
  it('passes ordinary unicode', () => passes('café/Dockerfile'));
  it('passes CJK and emoji (a surrogate pair)', () => passes('服务/🐳.Dockerfile'));
  it('passes right-to-left script without overrides', () => passes('שלום/Dockerfile'));
  it('passes spaces, quotes and backslashes', () => passes(`a b/"q" \\x1b/Dockerfile`));
  it('passes the character after the C1 range', () => passes('a\u00a0b/Dockerfile'));
  it('passes the characters around the bidi ranges', () => passes('a\u2027\u202f\u2065\u206ab/Dockerfile'));
});

describe('escapeControls', () => {
  it('writes each refused character as an escape on one line', () =>
    expect(escapeControls('ops\u001b[2J/a\nb\u202e\u0085/Dockerfile')).toBe(
      'ops\\x1b[2J/a\\nb\\u202e\\x85/Dockerfile',
    ));
  it('keeps ordinary unicode and emoji', () =>
    expect(escapeControls('café/🐳 Dockerfile')).toBe('café/🐳 Dockerfile'));
});
