import { describe, expect, it } from 'vitest';
import { banCoversBase, bannedRoots } from '../../../core/ban/affected-set.js';
import { parseBanRef } from '../../../core/ban/ban-ref.js';

const d = (c: string) => `sha256:${c.repeat(64)}`;
const pattern = (text: string) => {
  const r = parseBanRef(text);
  if (!r.ok) throw new Error(r.error);
  return r.pattern;
};
const base = (name: string, digest = d('a')) => ({ name, digest });

describe('banCoversBase', () => {
  it.each([
    ['busybox:1.36.0', base('docker.io/library/busybox:1.36.0'), true],
    ['busybox:1.36.0', base('docker.io/library/busybox:1.36.0', d('b')), true],
    ['busybox:1.36.0', base('docker.io/library/busybox:1.36.1'), false],
    ['busybox:1.36.0', base('busybox:1.36.0'), true],
    ['busybox:1.36*', base('docker.io/library/busybox:1.36.0-musl'), true],
    ['busybox', base('docker.io/library/busybox:anything'), true],
    ['busybox', base('docker.io/library/busybox-extra:1'), false],
    ['registry.local/ops/*', base('registry.local/ops/python:3.12'), true],
    ['registry.local/ops/*', base('registry.local/ops/team/python:3.12'), false],
    [d('a'), base('docker.io/library/anything:1', d('a')), true],
    [d('a'), base('docker.io/library/busybox:1.36.0', d('b')), false],
    [`busybox@${d('a')}`, base('registry.local/mirror/busybox:1', d('a')), true],
    [d('a'), base('Not A Name', d('a')), true],
    ['busybox', base('Not A Name', d('a')), false],
  ])('ban %s covers %j: %s', (ban, b, covered) => {
    expect(banCoversBase(pattern(ban), b)).toBe(covered);
  });
});

describe('bannedRoots', () => {
  it('gives each covered digest once, sorted, and only covered ones', () => {
    const bases = [
      base('docker.io/library/busybox:1.36.0', d('c')),
      base('docker.io/library/busybox:1.36.0', d('b')),
      base('registry.local/mirror/busybox:1.36.0', d('b')),
      base('docker.io/library/busybox:1.36.1', d('e')),
    ];
    expect(bannedRoots(pattern('busybox:1.36.0'), bases)).toEqual([d('b'), d('c')]);
    expect(bannedRoots(pattern(d('e')), bases)).toEqual([d('e')]);
    expect(bannedRoots(pattern('alpine'), bases)).toEqual([]);
  });
});
