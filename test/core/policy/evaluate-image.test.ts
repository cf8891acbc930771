import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluateImage } from '../../../core/policy/evaluate-image.js';
import { parsePolicy } from '../../../core/policy/parse-policy.js';
import type { BaseVerdict, ImageUse } from '../../../core/policy/verdict.js';

const evaluationYaml = readFileSync(
  new URL('../../fixtures/policy/valid/evaluation.yaml', import.meta.url),
  'utf8',
);
// Most cases here are about the opt-out, where the tag written beside a digest may admit it; the default is below.
const policy = parsePolicy(`${evaluationYaml}requireDigestListed: false\n`);
const now = new Date('2026-05-01T12:00:00Z');
const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;
const D9 = `sha256:${'9'.repeat(64)}`;

const use = (text: string): ImageUse => ({
  text,
  kind: 'from',
  line: 1,
  column: 6,
  start: 5,
  end: 5 + text.length,
});
const evaluate = (text: string, project = 'payments', at = now): BaseVerdict =>
  evaluateImage(use(text), policy, { project, now: at });

// What a verdict says in one line: outcome, the rule or entry, and the target or ref.
function summary(v: BaseVerdict): string {
  if (v.outcome === 'allowed') return `allowed ${v.via} ${v.entry} ${v.ref}`;
  if (v.outcome === 'substituted') return `substituted ${v.rule} ${v.from} -> ${v.to}`;
  return `denied ${v.code} ${v.rule ?? '-'} ${v.ref}`;
}

describe('evaluateImage', () => {
  it.each([
    ['node:20', 'allowed whitelist allowed[3] docker.io/library/node:20'],
    ['docker.io/library/node:22.3-alpine', 'allowed whitelist allowed[3] docker.io/library/node:22.3-alpine'],
    [
      'index.docker.io/library/python:3.12.4-slim',
      'allowed whitelist allowed[4] docker.io/library/python:3.12.4-slim',
    ],
    [
      '127.0.0.1:5000/base/busybox:1.36.1-musl',
      'allowed whitelist allowed[0] 127.0.0.1:5000/base/busybox:1.36.1-musl',
    ],
    ['127.0.0.1:5000/base/busybox:1.37', 'allowed whitelist allowed[0] 127.0.0.1:5000/base/busybox:1.37'],
    [
      '127.0.0.1:5000/base/debian:bookworm-20240812',
      'allowed whitelist allowed[1] 127.0.0.1:5000/base/debian:bookworm-20240812',
    ],
    ['debian:bookworm-slim', 'allowed whitelist allowed[2] docker.io/library/debian:bookworm-slim'],
    [`debian@${D1}`, `allowed whitelist allowed[2] docker.io/library/debian@${D1}`],
    [`debian:12@${D1}`, `allowed whitelist allowed[2] docker.io/library/debian:12@${D1}`],
    [`node:20@${D9}`, `allowed whitelist allowed[3] docker.io/library/node:20@${D9}`],
    ['alpine', 'allowed whitelist allowed[5] docker.io/library/alpine:latest'],
  ])('allows %s', (text, expected) => {
    expect(summary(evaluate(text))).toBe(expected);
  });

  it.each([
    [
      'debian:buster',
      'substituted banned[0] docker.io/library/debian:buster -> docker.io/library/debian:bookworm-slim',
    ],
    [
      'debian:buster-slim',
      'substituted banned[0] docker.io/library/debian:buster-slim -> docker.io/library/debian:bookworm-slim',
    ],
    [
      'node:18',
      'substituted substitutions[0] docker.io/library/node:18 -> docker.io/library/node:20-bookworm-slim',
    ],
    [
      'node:18.20-alpine',
      'substituted substitutions[0] docker.io/library/node:18.20-alpine -> docker.io/library/node:20-bookworm-slim',
    ],
    [
      'node:21.7',
      'substituted substitutions[1] docker.io/library/node:21.7 -> docker.io/library/node:22-bookworm-slim',
    ],
  ])('substitutes %s', (text, expected) => {
    expect(summary(evaluate(text))).toBe(expected);
  });

  it.each([
    ['127.0.0.1:5000/base/busybox:1.36.0', 'denied banned banned[1] 127.0.0.1:5000/base/busybox:1.36.0'],
    [`debian:bookworm@${D2}`, `denied banned banned[2] docker.io/library/debian:bookworm@${D2}`],
    [`node:20@${D2}`, `denied banned banned[2] docker.io/library/node:20@${D2}`],
    [`quay.io/x/y:1@${D2}`, `denied banned banned[2] quay.io/x/y:1@${D2}`],
    [`127.0.0.1:5000/base/debian@${D2}`, `denied banned banned[2] 127.0.0.1:5000/base/debian@${D2}`],
    ['python:3.12.0-slim', 'denied banned banned[4] docker.io/library/python:3.12.0-slim'],
    [
      'quay.io/prometheus/busybox:1.36',
      'denied untrusted-registry trustedRegistries quay.io/prometheus/busybox:1.36',
    ],
    ['node:19', 'denied not-whitelisted - docker.io/library/node:19'],
    ['node', 'denied not-whitelisted - docker.io/library/node:latest'],
    ['127.0.0.1:5000/base/busybox:1.35', 'denied not-whitelisted - 127.0.0.1:5000/base/busybox:1.35'],
    ['127.0.0.1:5000/base/busybox:2.0', 'denied not-whitelisted - 127.0.0.1:5000/base/busybox:2.0'],
    [
      '127.0.0.1:5000/base/busybox:1.37.0-rc1',
      'denied not-whitelisted - 127.0.0.1:5000/base/busybox:1.37.0-rc1',
    ],
    ['127.0.0.1:5000/base/busybox:musl', 'denied not-whitelisted - 127.0.0.1:5000/base/busybox:musl'],
    [`debian@${D9}`, `denied not-whitelisted - docker.io/library/debian@${D9}`],
    [`debian:bookworm@${D9}`, `denied not-whitelisted - docker.io/library/debian:bookworm@${D9}`],
    ['node:16', 'denied not-whitelisted - docker.io/library/node:16'],
    ['Node:20', 'denied unparseable - Node:20'],
  ])('denies %s', (text, expected) => {
    expect(summary(evaluate(text))).toBe(expected);
  });

  it.each([
    [
      'node:16-alpine',
      'legacy-billing',
      now,
      'allowed exception exceptions[0] docker.io/library/node:16-alpine',
    ],
    [
      `node:16@${D9}`,
      'legacy-billing',
      now,
      `allowed exception exceptions[0] docker.io/library/node:16@${D9}`,
    ],
    [
      'node:16',
      'legacy-billing',
      new Date('2027-03-31T23:59:59Z'),
      'allowed exception exceptions[0] docker.io/library/node:16',
    ],
    [
      'node:16',
      'legacy-billing',
      new Date('2027-04-01T00:00:00Z'),
      'denied exception-expired exceptions[0] docker.io/library/node:16',
    ],
    ['node:14', 'legacy-billing', now, 'denied exception-expired exceptions[1] docker.io/library/node:14'],
    ['node:16', 'payments', now, 'denied not-whitelisted - docker.io/library/node:16'],
    [
      'python:3.11-slim',
      'payments',
      now,
      'allowed exception exceptions[2] docker.io/library/python:3.11-slim',
    ],
    [
      'node:21',
      'legacy-billing',
      now,
      'substituted substitutions[1] docker.io/library/node:21 -> docker.io/library/node:22-bookworm-slim',
    ],
  ])('decides %s for project %s at %s', (text, project, at, expected) => {
    expect(summary(evaluate(text, project, at))).toBe(expected);
  });

  it('gives the exception expiry on an exception verdict', () => {
    expect(evaluate('node:16', 'legacy-billing')).toMatchObject({
      via: 'exception',
      expires: '2027-03-31',
      index: 0,
    });
  });

  it('flags an image admitted by the tag beside its digest, which the policy cannot check', () => {
    expect(evaluate(`node:20@${D9}`)).toMatchObject({
      outcome: 'allowed',
      unverifiedTag: true,
      caveat: `the tag "20" is not checked against ${D9}: Docker pulls the digest whatever tag is written beside it; list the digest in allowed[3].digests to admit it by content`,
    });
    expect(evaluate(`node:16@${D9}`, 'legacy-billing')).toMatchObject({
      via: 'exception',
      unverifiedTag: true,
      caveat: expect.stringContaining('exceptions[0].digests'),
    });
  });

  it.each(['node:20', `debian@${D1}`, `debian:bullseye@${D1}`])('does not flag %s', (text) => {
    const verdict = evaluate(text);
    expect(verdict.outcome).toBe('allowed');
    expect(verdict).not.toHaveProperty('unverifiedTag');
    expect(verdict).not.toHaveProperty('caveat');
  });

  it('says why a ban replaced the image', () => {
    expect(evaluate('debian:buster')).toMatchObject({
      why: 'docker.io/library/debian:buster is banned: buster is EOL',
    });
  });

  it('combines the ban reason and the substitution reason when the ban has no replacement', () => {
    expect(evaluate('node:21')).toMatchObject({
      why: 'docker.io/library/node:21 is banned: odd release, never LTS; node 21 is superseded by 22',
    });
  });

  it.each([
    [
      'node:14',
      'legacy-billing',
      'exception for legacy-billing expired on 2024-01-31; docker.io/library/node:14 is not on the base-image whitelist',
    ],
    [
      'node:19',
      'payments',
      'docker.io/library/node:19 is not on the base-image whitelist; allowed: docker.io/library/node with tags 20*, 22*',
    ],
    [
      '127.0.0.1:5000/base/busybox:1.0',
      'payments',
      '127.0.0.1:5000/base/busybox:1.0 is not on the base-image whitelist; allowed: 127.0.0.1:5000/base/busybox with versions >=1.36 <2; 127.0.0.1:5000/base/* with tags bookworm*',
    ],
    [
      'ubuntu:24.04',
      'payments',
      'docker.io/library/ubuntu:24.04 is not on the base-image whitelist; allowed: 127.0.0.1:5000/base/busybox, 127.0.0.1:5000/base/*, docker.io/library/debian, docker.io/library/node, docker.io/library/python, docker.io/library/alpine',
    ],
    [
      `debian@${D9}`,
      'payments',
      `docker.io/library/debian@${D9} is not on the base-image whitelist; allowed: docker.io/library/debian with tags bookworm* or digests sha256:111111111111…`,
    ],
    [
      `debian:bookworm@${D9}`,
      'payments',
      `docker.io/library/debian:bookworm@${D9} is not on the base-image whitelist; allowed: docker.io/library/debian with tags bookworm* or digests sha256:111111111111…; the entry lists digests, so only a listed digest admits a digest-pinned reference and the tag "bookworm" beside it does not count`,
    ],
    [
      '127.0.0.1:5000/base/busybox:1.36.0',
      'payments',
      '127.0.0.1:5000/base/busybox:1.36.0 is banned: CVE-2022-48174 in ash',
    ],
    [
      'Node:20',
      'payments',
      'invalid image reference "Node:20" at position 1: repository name must be lowercase ("Node")',
    ],
  ])('explains the denial of %s for %s', (text, project, reason) => {
    expect(evaluate(text, project)).toMatchObject({ outcome: 'denied', reason });
  });

  it.each(['copy-from', 'mount-from'] as const)('applies the same policy to %s images', (kind) => {
    const verdict = evaluateImage({ ...use('node:18'), kind }, policy, { project: 'payments', now });
    expect(verdict).toMatchObject({ outcome: 'substituted', use: { kind } });
  });

  describe('with requireDigestListed, the default', () => {
    const strict = parsePolicy(evaluationYaml);
    const decide = (text: string, project = 'payments') => evaluateImage(use(text), strict, { project, now });

    it.each([
      ['node:20', 'allowed whitelist allowed[3] docker.io/library/node:20'],
      [`debian:bookworm@${D1}`, `allowed whitelist allowed[2] docker.io/library/debian:bookworm@${D1}`],
      [`node:20@${D9}`, `denied not-whitelisted - docker.io/library/node:20@${D9}`],
      [`debian:bookworm@${D9}`, `denied not-whitelisted - docker.io/library/debian:bookworm@${D9}`],
      [`node:16@${D9}`, `denied not-whitelisted - docker.io/library/node:16@${D9}`, 'legacy-billing'],
    ])('decides %s: %s', (text, expected, project = 'payments') => {
      expect(summary(decide(text, project))).toBe(expected);
    });

    it('explains that the digest must be listed', () => {
      expect(decide(`node:20@${D9}`)).toMatchObject({
        reason: `docker.io/library/node:20@${D9} is not on the base-image whitelist; allowed: docker.io/library/node with tags 20*, 22*; requireDigestListed is on, so only a listed digest admits a digest-pinned reference and the tag "20" beside it does not count`,
      });
    });
  });

  it('keeps the use it was given on the verdict', () => {
    const given = use('node:20');
    expect(evaluateImage(given, policy, { project: 'x', now }).use).toBe(given);
  });
});
