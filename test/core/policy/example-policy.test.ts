import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { externalImages } from '../../../core/dockerfile/image-uses.js';
import { parseDockerfile } from '../../../core/dockerfile/parse.js';
import { bandAidsFor } from '../../../core/policy/band-aids.js';
import { evaluateImage } from '../../../core/policy/evaluate-image.js';
import { insecurePackageMatch } from '../../../core/policy/insecure-packages.js';
import { parsePolicy } from '../../../core/policy/parse-policy.js';
import { rewriteDockerfile } from '../../../core/policy/rewrite-dockerfile.js';

const read = (path: string) => readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8');
const policy = parsePolicy(read('examples/policy.yaml'), 'examples/policy.yaml');
const now = new Date('2026-05-01T00:00:00Z');
const decide = (text: string, project = 'payments', at = now) =>
  evaluateImage({ text, kind: 'from', line: 1, column: 6, start: 5, end: 5 + text.length }, policy, {
    project,
    now: at,
  });

describe('examples/policy.yaml', () => {
  it.each([
    ['127.0.0.1:5000/base/busybox:1.36.1', 'allowed'],
    ['127.0.0.1:5000/base/debian:bookworm-slim', 'allowed'],
    ['debian:bookworm-20240812-slim', 'allowed'],
    ['debian@sha256:cf9006f42df114a3fdfc36fa409a5a31d6299966ff098283f9efb8cb53606960', 'allowed'],
    [`debian:bookworm@sha256:${'0'.repeat(64)}`, 'denied'],
    ['node:20-bookworm-slim', 'allowed'],
    ['node:22.4', 'allowed'],
    ['python:3.12.7-slim-bookworm', 'allowed'],
    ['python:3.11', 'denied'],
    ['debian:buster', 'substituted'],
    ['debian:stretch-slim', 'substituted'],
    ['node:18-alpine', 'substituted'],
    ['node:16', 'denied'],
    ['quay.io/prometheus/busybox:1.36', 'denied'],
  ])('decides %s: %s', (text, outcome) => {
    expect(decide(text).outcome).toBe(outcome);
  });

  it.each([
    ['2027-03-31T12:00:00Z', 'allowed'],
    ['2027-04-01T00:00:00Z', 'denied'],
  ])('lets legacy-billing use node 16 at %s: %s', (at, outcome) => {
    expect(decide('node:16-bullseye', 'legacy-billing', new Date(at)).outcome).toBe(outcome);
  });

  it('denies node pinned by a digest no entry lists, whatever tag is written beside it', () => {
    expect(decide(`node:20@sha256:${'0'.repeat(64)}`)).toMatchObject({
      outcome: 'denied',
      reason: expect.stringContaining('requireDigestListed is on'),
    });
  });

  it('rewrites the legacy-worker example onto bookworm-slim', () => {
    const source = read('examples/legacy-worker/Dockerfile');
    const verdicts = externalImages(parseDockerfile(source).model).images.map((use) =>
      evaluateImage(use, policy, { project: 'legacy-worker', now }),
    );
    expect(rewriteDockerfile(source, verdicts)).toBe(
      source.replace(
        'FROM docker.io/library/debian:buster\n',
        'FROM docker.io/library/debian:bookworm-slim\n',
      ),
    );
  });

  it.each([
    ['apt', 'openssl', '1.0.1f-1', 'CVE-2014-0160'],
    ['maven', 'log4j-core', '2.14.1', 'CVE-2021-44228'],
    ['npm', 'lodash', '4.17.20', 'CVE-2021-23337'],
    ['pip', 'PyYAML', '5.3.1', 'CVE-2020-14343'],
  ])('flags %s %s %s as %s', (ecosystem, name, version, advisory) => {
    expect(insecurePackageMatch(policy, ecosystem, name, version)?.advisory).toBe(advisory);
  });

  it('offers both band-aids for containers on buster', () => {
    expect(bandAidsFor(policy, 'debian:buster').map((b) => b.id)).toEqual([
      'disable-legacy-tls',
      'restrict-postfix-relay',
    ]);
  });
});

describe('the policy document shown in README.md', () => {
  it('validates, as the README says its rules hold', () => {
    const readme = read('README.md');
    const start = readme.indexOf('```yaml\nversion: 1\n');
    expect(start).toBeGreaterThan(0);
    const end = readme.indexOf('```', start + 7);
    // The README elides the band-aid's text with "…"; a real one has a description and a command.
    const text = readme.slice(start + '```yaml\n'.length, end).replaceAll('…', 'example');
    const shown = parsePolicy(text, 'README.md');
    expect(shown.allowed.map((a) => a.image)).toContain('docker.io/library/debian');
    expect(shown.banned).toHaveLength(1);
  });
});
