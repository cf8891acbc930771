import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { compileGoRegex, type GoRegex } from '../../../core/image-tests/go-regex.js';

function compiled(pattern: string): GoRegex {
  const result = compileGoRegex(pattern);
  if (!result.ok) throw new Error(`${pattern}: ${result.error}`);
  return result.regex;
}

const matches = (pattern: string, text: string) => compiled(pattern).test(text);
const refusal = (pattern: string) => {
  const result = compileGoRegex(pattern);
  return result.ok ? 'compiled' : result.error;
};

// The pattern that froze the daemon: nested quantifiers against a long run of a's that finally does not match.
const CATASTROPHIC = '^(a+)+$';
const LONG_NEAR_MATCH = `${'a'.repeat(90)}!`;

describe('compileGoRegex', () => {
  it('searches anywhere in the text, as Go regexp.MatchString does', () => {
    expect(matches('hel+o', 'say hello!')).toBe(true);
    expect(matches('^hello$', 'say hello')).toBe(false);
  });

  it('reads ^ and $ as the ends of the text unless (?m), as Go does', () => {
    expect(matches('^b$', 'a\nb\n')).toBe(false);
    expect(matches('(?m)^b$', 'a\nb\n')).toBe(true);
    expect(matches('a$', 'a\n')).toBe(false);
  });

  it('honours the Go flags (?i), (?s) and (?U), also mid-pattern', () => {
    expect(matches('(?i)HELLO', 'hello')).toBe(true);
    expect(matches('a(?i)B', 'ab')).toBe(true);
    expect(matches('a.b', 'a\nb')).toBe(false);
    expect(matches('(?s)a.b', 'a\nb')).toBe(true);
    expect(matches('(?U)^a+$', 'aaa')).toBe(true);
  });

  it('honours \\A, \\z, named groups (?P<name>) and POSIX classes', () => {
    expect(matches('\\Aab\\z', 'ab')).toBe(true);
    expect(matches('ab\\z', 'ab\n')).toBe(false);
    expect(matches('(?P<version>\\d+)\\.\\d+', 'v3.12')).toBe(true);
    expect(matches('^[[:digit:]]+$', '2026')).toBe(true);
  });

  it('refuses what Go refuses, with its reason', () => {
    expect(refusal('(a)\\1')).toBe('invalid escape sequence: `\\1`');
    expect(refusal('(?=a)')).toBe('invalid or unsupported Perl syntax: `(?=`');
    expect(refusal('a\\Z')).toBe('invalid escape sequence: `\\Z`');
    expect(refusal('a**')).toBe('invalid nested repetition operator: `**`');
    expect(refusal('(?:(?:a){0,999}){0,999}')).toBe('expression too large');
    expect(refusal(`${'('.repeat(2000)}${')'.repeat(2000)}`)).toBe('expression nests too deeply');
  });

  it('tells the size of the compiled program, which counted repeats multiply', () => {
    expect(compiled('abc').size).toBeLessThan(10);
    expect(compiled('(a|b){999}').size).toBeGreaterThan(2_000);
  });

  it('refuses a pattern longer than 4096 characters', () => {
    expect(refusal('a'.repeat(4096))).toBe('compiled');
    expect(refusal('a'.repeat(4097))).toBe('it is 4097 characters long, over the limit of 4096');
  });

  it('answers ^(a+)+$ against 90 a and a ! (no match), and against a million a (match): RE2 does not backtrack', () => {
    expect(matches(CATASTROPHIC, LONG_NEAR_MATCH)).toBe(false);
    expect(matches(CATASTROPHIC, 'a'.repeat(1_000_000))).toBe(true);
  });

  it('is needed: a JavaScript RegExp given the same pattern and text is still running when killed', () => {
    // In a child process, as a backtracking match cannot be interrupted in this one: 2^90 steps never end.
    const script = `process.stdout.write(String(new RegExp(${JSON.stringify(CATASTROPHIC)}).test(${JSON.stringify(LONG_NEAR_MATCH)})))`;
    const child = spawnSync(process.execPath, ['-e', script], { timeout: 2_000, encoding: 'utf8' });
    expect(child.signal).toBe('SIGTERM');
    expect(child.stdout).toBe('');
  });
});
