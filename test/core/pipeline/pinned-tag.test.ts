import { describe, expect, it } from 'vitest';
import { parseImageRef } from '../../../core/image-ref/index.js';
import { pinnedTagOf, pinnedTagProblem } from '../../../core/pipeline/pinned-tag.js';

const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;

function ref(text: string) {
  const parsed = parseImageRef(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.ref;
}

describe('pinnedTagOf', () => {
  it.each([
    [`r.example/base/tool:2@${A}`, 'r.example/base/tool:2'],
    [`r.example/base/tool@${A}`, undefined],
    ['r.example/base/tool:2', undefined],
    ['r.example/base/tool', undefined],
  ])('names the tag to check of %s: %s', (text, expected) => {
    expect(pinnedTagOf(ref(text))).toBe(expected);
  });
});

describe('pinnedTagProblem', () => {
  it('passes a tag that points at the pinned digest, and references without both', () => {
    expect(pinnedTagProblem(ref(`r.example/t:2@${A}`), A)).toBeUndefined();
    expect(pinnedTagProblem(ref(`r.example/t@${A}`), undefined)).toBeUndefined();
    expect(pinnedTagProblem(ref('r.example/t:2'), B)).toBeUndefined();
  });

  it('names the digest the tag points at when it is another', () => {
    expect(pinnedTagProblem(ref(`r.example/t:2@${A}`), B)).toBe(
      `r.example/t:2@${A}: the tag 2 points at ${B}, not the pinned digest; ` +
        `pin the digest the tag points at, or write r.example/t@${A} without the tag`,
    );
  });

  it('refuses a tag that does not exist', () => {
    expect(pinnedTagProblem(ref(`r.example/t:2@${A}`), undefined)).toMatch(
      /^r\.example\/t:2@sha256:a+: the tag 2 does not exist, so the pinned digest cannot be checked against it; /,
    );
  });
});
