import { describe, expect, it } from 'vitest';
import { PolicySchema } from '../../../core/policy/schema.js';
import { semanticIssues } from '../../../core/policy/semantic-checks.js';

const base = { version: 1, allowed: [{ image: 'node', tags: ['20*'] }] };
const issuesOf = (doc: object) => semanticIssues(PolicySchema.parse({ ...base, ...doc }));

describe('semanticIssues', () => {
  it.each<[string, object, string, string]>([
    [
      'a replacement off the whitelist',
      { banned: [{ image: 'node:16', reason: 'r', replacement: 'node:18' }] },
      'banned[0].replacement',
      'docker.io/library/node:18 is not allowed by the whitelist',
    ],
    [
      'a target that is banned',
      {
        banned: [{ image: 'node:20.0*', reason: 'broken' }],
        substitutions: [{ from: 'node:18', to: 'node:20.0.1', reason: 'r' }],
      },
      'substitutions[0].to',
      'is itself banned by banned[0] (broken)',
    ],
    [
      'a target banned by digest',
      {
        allowed: [{ image: 'node', tags: ['*'] }],
        banned: [{ image: `sha256:${'a'.repeat(64)}`, reason: 'bad build' }],
        substitutions: [{ from: 'node:18', to: `node:20@sha256:${'a'.repeat(64)}`, reason: 'r' }],
      },
      'substitutions[0].to',
      'is itself banned',
    ],
    [
      'a chain of substitutions',
      {
        substitutions: [
          { from: 'node:1*', to: 'node:20', reason: 'a' },
          { from: 'node:2*', to: 'node:20-slim', reason: 'b' },
        ],
      },
      'substitutions[0].to',
      'would be substituted again by substitutions[1]',
    ],
    [
      'an untrusted target',
      {
        trustedRegistries: ['docker.io'],
        allowed: [
          { image: 'node', tags: ['*'] },
          { image: 'quay.io/a/b', tags: ['*'] },
        ],
        substitutions: [{ from: 'node:18', to: 'quay.io/a/b:1', reason: 'r' }],
      },
      'substitutions[0].to',
      'not in trustedRegistries',
    ],
    [
      'an entry on an untrusted registry',
      { trustedRegistries: ['127.0.0.1:5000'] },
      'allowed[0].image',
      'registry "docker.io" is not in trustedRegistries',
    ],
    [
      'a duplicate band-aid id',
      {
        bandAids: [1, 2].map((n) => ({
          id: 'x',
          description: `${n}`,
          command: ['/bin/true'],
          appliesTo: ['node'],
        })),
      },
      'bandAids[1].id',
      'duplicate id "x"',
    ],
  ])('reports %s', (_what, doc, path, message) => {
    const issues = issuesOf(doc);
    expect(
      issues.find((i) => i.path === path && i.message.includes(message)),
      JSON.stringify(issues),
    ).toBeDefined();
  });

  it('accepts targets that are whitelisted, unbanned and final', () => {
    expect(
      issuesOf({
        banned: [{ image: 'node:16', reason: 'r', replacement: 'node:20-slim' }],
        substitutions: [{ from: 'node:18', to: 'node:20', reason: 'r' }],
      }),
    ).toEqual([]);
  });
});
