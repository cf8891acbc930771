import { describe, expect, it } from 'vitest';
import { evaluateImage } from '../../../core/policy/evaluate-image.js';
import { validatePolicy } from '../../../core/policy/parse-policy.js';
import { whitelistUsage } from '../../../core/policy/whitelist-usage.js';

const policy = validatePolicy({
  version: 1,
  allowed: [
    { image: 'node', tags: ['20*'] },
    { image: 'node', tags: ['20-bookworm*'] },
    { image: 'python', tags: ['3.12*'] },
    { image: 'debian', tags: ['bookworm*'] },
  ],
  exceptions: [{ project: 'p', image: 'node', tags: ['16'], expires: '2030-01-01', reason: 'r' }],
  banned: [{ image: 'debian:buster', reason: 'EOL' }],
  substitutions: [{ from: 'node:18', to: 'node:20-bookworm-slim', reason: 'EOL' }],
});
const now = new Date('2026-01-01T00:00:00Z');
const verdictsFor = (...texts: string[]) =>
  texts.map((text) =>
    evaluateImage({ text, kind: 'from', line: 1, column: 1, start: -1, end: -1 }, policy, {
      project: 'p',
      now,
    }),
  );

describe('whitelistUsage', () => {
  it('counts the uses of every entry, in policy order, zero for unused ones', () => {
    const usage = whitelistUsage(policy, verdictsFor('node:20', 'node:20-alpine', 'python:3.12'));
    expect(usage.map((u) => [u.path, u.uses])).toEqual([
      ['allowed[0]', 2],
      ['allowed[1]', 0],
      ['allowed[2]', 1],
      ['allowed[3]', 0],
    ]);
  });

  it('counts a substitution target as a use of the entry that admits it', () => {
    const usage = whitelistUsage(policy, verdictsFor('node:18'));
    expect(usage.map((u) => u.uses)).toEqual([1, 0, 0, 0]);
  });

  it('ignores denied images and exception verdicts', () => {
    const usage = whitelistUsage(policy, verdictsFor('debian:buster', 'node:16', 'ubuntu:24.04'));
    expect(usage.every((u) => u.uses === 0)).toBe(true);
  });

  it('gives each entry itself with its index', () => {
    expect(whitelistUsage(policy, [])[2]).toEqual({
      entry: policy.allowed[2],
      index: 2,
      path: 'allowed[2]',
      uses: 0,
    });
  });
});
