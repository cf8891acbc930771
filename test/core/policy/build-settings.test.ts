import { describe, expect, it } from 'vitest';
import { PolicyValidationError } from '../../../core/errors.js';
import { parsePolicy } from '../../../core/policy/parse-policy.js';

const base = 'version: 1\nallowed: []\n';

describe('the policy build section', () => {
  it('is absent unless written: the builder defaults apply', () => {
    expect(parsePolicy(base)).not.toHaveProperty('build');
  });

  it('reads the network and every limit', () => {
    const policy = parsePolicy(
      `${base}build:\n  network: egress\n  memoryMiB: 1024\n  maxProcesses: 256\n  maxContextMiB: 64\n  maxImageMiB: 2048\n`,
    );
    expect(policy.build).toEqual({
      network: 'egress',
      memoryMiB: 1024,
      maxProcesses: 256,
      maxContextMiB: 64,
      maxImageMiB: 2048,
    });
  });

  it('refuses a network other than none or egress, a fractional or tiny limit, and unknown keys', () => {
    for (const build of [
      'network: host',
      'memoryMiB: 1.5',
      'maxProcesses: 2',
      'maxImageMiB: "4G"',
      'cpus: 2',
    ]) {
      expect(() => parsePolicy(`${base}build:\n  ${build}\n`), build).toThrow(PolicyValidationError);
    }
  });
});
