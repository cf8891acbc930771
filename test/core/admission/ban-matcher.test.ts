import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { banMatcherOf } from '../../../core/admission/ban-matcher.js';
import { globMatches, globRegexSource } from '../../../core/policy/image-pattern.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;

// Globs as policies write them (names and tags, after normalisation) and texts to try them on.
const GLOBS = [
  'docker.io/library/*',
  'docker.io/**',
  'docker.io/library/node',
  'docker.io/library/*-slim',
  'localhost:5000/apps/**/web',
  'localhost/a?b/*',
  '[::1]:5000/x/*',
  'ghcr.io/org/*/api',
  'x**y',
  '**',
  '*',
  '1.36*',
  '1.?6.*',
  '*-alpine',
  '*.*.*',
  'v?',
];
const TEXTS = [
  'docker.io/library/node',
  'docker.io/library/node-slim',
  'docker.io/library/node/extra',
  'docker.io/library/',
  'docker.io/bitnami/nginx',
  'docker.io',
  'localhost:5000/apps/web',
  'localhost:5000/apps/a/b/web',
  'localhost:5000/apps/a/web/x',
  'localhost/axb/c',
  'localhost/a.b/c',
  'localhost/a/b/c',
  '[::1]:5000/x/y',
  'ghcr.io/org/team/api',
  'ghcr.io/org/a/b/api',
  'xy',
  'x-anything-y',
  'x/y',
  '1.36',
  '1.36.0',
  '1.26.1',
  '1.x6.0',
  '3.19-alpine',
  'alpine',
  'v1',
  'v10',
  '.hidden',
  // Not '': picomatch refuses empty text before its expression; names and tags are never empty.
];

describe('globRegexSource', () => {
  it('gives expressions that decide as globMatches, in JavaScript and in the hook’s Python alike', () => {
    const pairs = GLOBS.flatMap((glob) => TEXTS.map((text) => ({ glob, text })));
    const expected = pairs.map(({ glob, text }) => globMatches(glob, text));
    expect(pairs.map(({ glob, text }) => new RegExp(globRegexSource(glob)).test(text))).toEqual(expected);
    const program =
      'import json, re, sys\n' +
      'pairs = json.load(sys.stdin)\n' +
      'print(json.dumps([re.search(p, t) is not None for p, t in pairs]))\n';
    const python = spawnSync('/usr/bin/python3', ['-I', '-S', '-c', program], {
      input: JSON.stringify(pairs.map(({ glob, text }) => [globRegexSource(glob), text])),
      encoding: 'utf8',
    });
    expect(python.status, python.stderr).toBe(0);
    expect(JSON.parse(python.stdout)).toEqual(expected);
    // Not vacuous: the table holds both answers.
    expect(new Set(expected)).toEqual(new Set([true, false]));
  });

  it('escapes every character of a literal, so a dot matches only a dot', () => {
    expect(globRegexSource('localhost/a.b:1')).toBe(String.raw`^localhost\/a\.b\:1$`);
    expect(new RegExp(globRegexSource('localhost/a.b')).test('localhost/axb')).toBe(false);
  });
});

describe('banMatcherOf', () => {
  it('compiles a name and tag pattern from its normalised form', () => {
    expect(banMatcherOf('busybox:1.36*')).toEqual({
      text: 'docker.io/library/busybox:1.36*',
      name: globRegexSource('docker.io/library/busybox'),
      tag: globRegexSource('1.36*'),
    });
  });

  it('matches every tag when the pattern names none', () => {
    expect(banMatcherOf('localhost/apps/*')).toEqual({
      text: 'localhost/apps/*',
      name: globRegexSource('localhost/apps/*'),
    });
  });

  it('keeps only the digest of a digest pattern, named or bare', () => {
    expect(banMatcherOf(DIGEST)).toEqual({ text: DIGEST, digest: DIGEST });
    expect(banMatcherOf(`busybox@${DIGEST}`)).toEqual({
      text: `docker.io/library/busybox@${DIGEST}`,
      digest: DIGEST,
    });
  });

  it('carries the parse error of a pattern it cannot read', () => {
    expect(banMatcherOf('Busy Box')).toEqual({ error: expect.stringMatching(/invalid image/) });
  });
});
