import { describe, expect, it } from 'vitest';
import { bandAidsFor } from '../../../core/policy/band-aids.js';
import { validatePolicy } from '../../../core/policy/parse-policy.js';

const D = `sha256:${'e'.repeat(64)}`;
const policy = validatePolicy({
  version: 1,
  allowed: [],
  bandAids: [
    {
      id: 'tls',
      description: 'tls',
      command: ['/bin/sh', '-c', 'true'],
      appliesTo: ['debian:buster*', 'debian:stretch*'],
    },
    {
      id: 'relay',
      description: 'relay',
      command: ['/usr/sbin/postconf', '-e', 'x'],
      appliesTo: ['debian:*'],
    },
    { id: 'one-build', description: 'one build', command: ['/bin/true'], appliesTo: [D] },
  ],
});

describe('bandAidsFor', () => {
  it.each([
    ['debian:buster', ['tls', 'relay']],
    ['docker.io/library/debian:stretch-slim', ['tls', 'relay']],
    ['debian:bookworm', ['relay']],
    [`debian:buster@${D}`, ['tls', 'relay', 'one-build']],
    [`quay.io/x/y@${D}`, ['one-build']],
    ['node:20', []],
    ['Not A Ref', []],
  ])('finds the band-aids for %s', (image, ids) => {
    expect(bandAidsFor(policy, image).map((b) => b.id)).toEqual(ids);
  });

  it('hands back the approved argv unchanged', () => {
    expect(bandAidsFor(policy, 'debian:bookworm')[0]?.command).toEqual(['/usr/sbin/postconf', '-e', 'x']);
  });
});
