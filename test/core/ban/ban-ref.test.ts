import { describe, expect, it } from 'vitest';
import { parseBanRef } from '../../../core/ban/ban-ref.js';
import { parseImageRef } from '../../../core/image-ref/parse-image-ref.js';
import { patternMatches } from '../../../core/policy/image-pattern.js';
import { validatePolicy } from '../../../core/policy/parse-policy.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const ref = (text: string) => {
  const r = parseImageRef(text);
  if (!r.ok) throw new Error(r.error);
  return r.ref;
};
const ok = (text: string) => {
  const r = parseBanRef(text);
  if (!r.ok) throw new Error(r.error);
  return r;
};

describe('parseBanRef', () => {
  it('normalises a tag', () => expect(ok('busybox:1.36.0').ref).toBe('docker.io/library/busybox:1.36.0'));
  it('normalises a name glob', () => expect(ok('busybox*').ref).toBe('docker.io/library/busybox*'));
  it('keeps a bare digest', () => expect(ok(DIGEST).ref).toBe(DIGEST));
  it('normalises a name with a digest', () =>
    expect(ok(`registry.local/ops/base@${DIGEST}`).ref).toBe(`registry.local/ops/base@${DIGEST}`));

  it('matches every digest of a banned tag, and only that tag', () => {
    const { pattern } = ok('busybox:1.36.0');
    expect(patternMatches(pattern, ref(`busybox:1.36.0@${DIGEST}`))).toBe(true);
    expect(patternMatches(pattern, ref('busybox:1.36.1'))).toBe(false);
  });

  it('matches only the banned digest, whatever the name', () => {
    const { pattern } = ok(DIGEST);
    expect(patternMatches(pattern, ref(`other:1@${DIGEST}`))).toBe(true);
    expect(patternMatches(pattern, ref(`busybox:1.36.0@sha256:${'b'.repeat(64)}`))).toBe(false);
  });

  it('normalises exactly as the policy normalises banned[].image', () => {
    for (const text of [
      'busybox:1.36.0',
      'library/debian:bookworm*',
      `node@${DIGEST}`,
      DIGEST,
      'ghcr.io/x/**',
    ]) {
      const policy = validatePolicy({ version: 1, allowed: [], banned: [{ image: text, reason: 'r' }] });
      expect(ok(text).ref).toBe(policy.banned[0]?.image);
    }
  });

  it.each([
    ['', 'empty'],
    ['  ', 'empty'],
    ['Busybox:1', 'invalid image'],
    ['busybox:1.36.0; rm -rf /', 'invalid image'],
    ['sha256:abc', 'invalid digest'],
    ['*.io/busybox', 'registry host'],
    ['busybox\n:1', 'invalid image'],
  ])('refuses %j with a clear error', (text, words) => {
    const r = parseBanRef(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain(words);
  });
});
