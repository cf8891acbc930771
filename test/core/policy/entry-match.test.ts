import { describe, expect, it } from 'vitest';
import { parseImageRef } from '../../../core/image-ref/parse-image-ref.js';
import {
  type Admission,
  entryAdmission,
  entryAdmits,
  entryNames,
  type TagRules,
} from '../../../core/policy/entry-match.js';

const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;
const debian: TagRules = { image: 'docker.io/library/debian', tags: ['bookworm*'], digests: [D1] };
const busybox: TagRules = { image: '127.0.0.1:5000/base/busybox', versions: '>=1.36 <2' };
const anyTag: TagRules = { image: 'docker.io/library/*', tags: ['*'] };
const bookworm: TagRules = { image: 'docker.io/library/debian', tags: ['bookworm*'] };

function ref(text: string) {
  const parsed = parseImageRef(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.ref;
}

describe('entryAdmits', () => {
  it.each<[TagRules, string, boolean]>([
    [debian, 'debian:bookworm', true],
    [debian, 'debian:bullseye', false],
    [debian, `debian@${D1}`, true],
    [debian, `debian@${D2}`, false],
    [debian, `debian:bookworm@${D2}`, false],
    [debian, `debian:bullseye@${D1}`, true],
    [debian, 'ubuntu:bookworm', false],
    [busybox, '127.0.0.1:5000/base/busybox:1.36.1', true],
    [busybox, '127.0.0.1:5000/base/busybox:1.35', false],
    [busybox, '127.0.0.1:5000/base/busybox', false],
    [anyTag, 'node', true],
    [anyTag, 'bitnami/redis:7', false],
    [anyTag, `node@${D2}`, false],
  ])('admits per %o the image %s: %s', (entry, text, expected) => {
    expect(entryAdmits(entry, ref(text))).toBe(expected);
  });
});

describe('entryAdmission', () => {
  it.each<[TagRules, string, Admission | undefined]>([
    [debian, 'debian:bookworm', 'tag'],
    [debian, `debian:bookworm@${D1}`, 'digest'],
    [debian, `debian:bullseye@${D1}`, 'digest'],
    [debian, `debian:bookworm@${D2}`, undefined],
    [bookworm, `debian:bookworm@${D2}`, 'unverified-tag'],
    [bookworm, `debian:buster@${D2}`, undefined],
    [bookworm, `debian@${D2}`, undefined],
    [busybox, `127.0.0.1:5000/base/busybox:1.36.1@${D2}`, 'unverified-tag'],
    [busybox, `127.0.0.1:5000/base/busybox:1.35@${D2}`, undefined],
  ])('admits per %o the image %s as %s', (entry, text, expected) => {
    expect(entryAdmission(entry, ref(text))).toBe(expected);
  });

  it.each<[TagRules, string, Admission | undefined]>([
    [bookworm, `debian:bookworm@${D2}`, undefined],
    [bookworm, 'debian:bookworm', 'tag'],
    [debian, `debian:bookworm@${D1}`, 'digest'],
    [debian, `debian:bookworm@${D2}`, undefined],
  ])('with requireDigestListed admits per %o the image %s as %s', (entry, text, expected) => {
    expect(entryAdmission(entry, ref(text), { requireDigestListed: true })).toBe(expected);
  });
});

describe('entryNames', () => {
  it.each<[TagRules, string, boolean]>([
    [debian, 'debian:anything', true],
    [anyTag, 'python:3', true],
    [busybox, 'busybox:1.36', false],
  ])('names per %o the image %s: %s', (entry, text, expected) => {
    expect(entryNames(entry, ref(text))).toBe(expected);
  });
});
