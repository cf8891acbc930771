import { describe, expect, it } from 'vitest';
import { digestProblem, isDigest } from '../../../core/image-ref/digest.js';

describe('digestProblem', () => {
  it.each([`sha256:${'0'.repeat(64)}`, `sha384:${'f'.repeat(96)}`, `sha512:${'9'.repeat(128)}`])(
    'accepts %s',
    (text) => {
      expect(digestProblem(text)).toBeUndefined();
      expect(isDigest(text)).toBe(true);
    },
  );

  it.each<[string, number, string]>([
    ['0'.repeat(64), 0, '"<algorithm>:<hex>"'],
    [`md5:${'0'.repeat(32)}`, 0, 'unsupported digest algorithm "md5"'],
    [`SHA256:${'0'.repeat(64)}`, 0, 'unsupported digest algorithm "SHA256"'],
    [`sha256:${'0'.repeat(63)}`, 7, 'has 64 hex characters, not 63'],
    [`sha256:${'0'.repeat(65)}`, 7, 'not 65'],
    [`sha256:${'0'.repeat(10)}G${'0'.repeat(53)}`, 17, 'found "G"'],
    ['sha256:', 7, 'not 0'],
  ])('rejects %s at offset %i', (text, at, problem) => {
    const bad = digestProblem(text);
    expect(bad?.at).toBe(at);
    expect(bad?.problem).toContain(problem);
    expect(isDigest(text)).toBe(false);
  });
});
