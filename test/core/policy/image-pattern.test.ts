import { describe, expect, it } from 'vitest';
import { parseImageRef } from '../../../core/image-ref/parse-image-ref.js';
import {
  compiledPattern,
  globMatches,
  parseImagePattern,
  patternMatches,
} from '../../../core/policy/image-pattern.js';

const ANY = { tag: true, digest: true, digestOnly: true };
const REPO = { tag: false, digest: false, digestOnly: false };
const D = `sha256:${'d'.repeat(64)}`;

function matches(pattern: string, text: string): boolean {
  const ref = parseImageRef(text);
  if (!ref.ok) throw new Error(ref.error);
  return patternMatches(compiledPattern(pattern), ref.ref);
}

describe('parseImagePattern', () => {
  it.each([
    ['node', 'docker.io/library/node'],
    ['docker.io/library/*', 'docker.io/library/*'],
    ['*', 'docker.io/library/*'],
    ['bitnami/*', 'docker.io/bitnami/*'],
    ['index.docker.io/node*', 'docker.io/library/node*'],
    ['127.0.0.1:5000/base/**', '127.0.0.1:5000/base/**'],
    ['docker.io/**', 'docker.io/**'],
    ['**', 'docker.io/**'],
    ['debian:buster*', 'docker.io/library/debian:buster*'],
    ['node:1?', 'docker.io/library/node:1?'],
    [`debian@${D}`, `docker.io/library/debian@${D}`],
    [D, D],
  ])('normalises %s to %s', (text, expected) => {
    expect(parseImagePattern(text, ANY)).toMatchObject({ ok: true, pattern: { text: expected } });
  });

  it.each([
    ['Node', REPO, 'repository name must be lowercase'],
    ['node:20', REPO, 'names a tag'],
    [`node@${D}`, REPO, 'names a digest'],
    [D, REPO, 'a bare digest'],
    ['*.example.com/x', ANY, 'wildcards are not allowed in the registry host'],
    ['example.com:*/x', ANY, 'invalid port'],
    ['node:*/', ANY, 'invalid image "node:*/"'],
    ['node:{18,20}', ANY, 'a tag must start with a letter'],
    ['node:1{8,9}', ANY, '"{" is not allowed in a tag'],
    ['!node', ANY, 'invalid path component'],
    ['sha256:abc', ANY, 'has 64 hex characters'],
    ['', ANY, 'empty'],
  ])('rejects %j', (text, shape, error) => {
    const parsed = parseImagePattern(text, shape);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toContain(error);
  });
});

describe('patternMatches', () => {
  it.each([
    ['docker.io/library/debian:buster*', 'debian:buster', true],
    ['docker.io/library/debian:buster*', 'debian:buster-slim', true],
    ['docker.io/library/debian:buster*', 'debian:bookworm', false],
    ['docker.io/library/debian:buster*', 'debian', false],
    ['docker.io/library/debian:latest', 'debian', true],
    ['docker.io/library/debian', 'debian:anything', true],
    ['docker.io/library/debian', `debian@${D}`, true],
    ['docker.io/library/debian:buster', `debian@${D}`, false],
    ['docker.io/library/*', 'node:20', true],
    ['docker.io/library/*', 'bitnami/redis', false],
    ['docker.io/**', 'bitnami/redis', true],
    ['127.0.0.1:5000/base/*', '127.0.0.1:5000/base/busybox:1', true],
    ['127.0.0.1:5000/base/*', '127.0.0.2:5000/base/busybox:1', false],
    [D, `node@${D}`, true],
    [D, `quay.io/x/y:1@${D}`, true],
    [D, 'node:20', false],
    [`docker.io/library/node@${D}`, `mirror.local/library/node@${D}`, true],
  ])('matches %s against %s: %s', (pattern, text, expected) => {
    expect(matches(pattern, text)).toBe(expected);
  });
});

describe('globMatches', () => {
  it.each([
    ['1.*', '1.36', true],
    ['1.*', '2.1', false],
    ['16*', '16-alpine', true],
    ['?', 'a', true],
    ['?', 'ab', false],
    ['a.b', 'axb', false],
    ['x', 'x', true],
  ])('matches glob %s against %s: %s', (glob, text, expected) => {
    expect(globMatches(glob, text)).toBe(expected);
  });
});

describe('compiledPattern', () => {
  it('throws for a string that did not pass validation', () => {
    expect(() => compiledPattern('Not Valid')).toThrow(/was not validated/);
  });
});
