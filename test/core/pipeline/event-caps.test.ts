import { describe, expect, it } from 'vitest';
import {
  capLogTail,
  capTestFailures,
  cutToBytes,
  FAILURES_MAX,
  jsonBytes,
  TAIL_LINE_MAX_BYTES,
  TAIL_MAX_BYTES,
} from '../../../core/pipeline/event-caps.js';

const inJson = (text: string) => new TextEncoder().encode(JSON.stringify(text)).length - 2;

describe('jsonBytes', () => {
  it.each([
    ['plain', 'hello'],
    ['escapes', 'a"b\\c\nd\te\rf\bg\fh'],
    ['control characters', '\u0001\u001f\u007f'],
    ['two, three and four bytes', 'é€😀'],
    ['a lone surrogate', 'a\ud800b'],
  ])('counts %s as JSON.stringify encodes them', (_name, text) => {
    expect(jsonBytes(text)).toBe(inJson(text));
  });
});

describe('cutToBytes', () => {
  it('keeps text that fits and cuts the rest, marker included, without splitting a character', () => {
    expect(cutToBytes('short', 10, () => '…')).toBe('short');
    const cut = cutToBytes('😀'.repeat(100), 50, (n) => `[${n} cut]`);
    expect(inJson(cut)).toBeLessThanOrEqual(50);
    expect(cut).toMatch(/^(😀)+\[\d+ cut\]$/);
  });
});

describe('capLogTail', () => {
  it('keeps the last lines within the byte limit, each line cut, saying how many were left out', () => {
    const lines = [...Array.from({ length: 30 }, () => '\u0001'.repeat(10_000)), 'the error'];
    const tail = capLogTail(lines);
    expect(inJson(tail)).toBeLessThanOrEqual(TAIL_MAX_BYTES);
    const kept = tail.split('\n');
    expect(kept.at(-1)).toBe('the error');
    expect(kept[0]).toMatch(/^drydock: \d+ earlier lines of the log left out of this tail$/);
    for (const line of kept) expect(inJson(line)).toBeLessThanOrEqual(TAIL_LINE_MAX_BYTES);
  });

  it('leaves a small tail as it is', () => {
    expect(capLogTail(['a', 'b'])).toBe('a\nb');
    expect(capLogTail([])).toBe('');
  });
});

describe('capTestFailures', () => {
  it(`names at most ${FAILURES_MAX} failures and counts the others`, () => {
    const failures = Array.from({ length: 60 }, (_, i) => ({ name: `t${i}`, message: 'no' }));
    const capped = capTestFailures(failures, 'reports/x.xml');
    expect(capped).toHaveLength(FAILURES_MAX + 1);
    expect(capped.at(-1)).toEqual({
      name: 'and 10 more failed tests',
      message: 'every failure is in the JUnit report reports/x.xml',
      suite: 'drydock',
    });
    expect(capTestFailures(failures.slice(0, 3))).toEqual(failures.slice(0, 3));
  });
});
