import { describe, expect, it } from 'vitest';
import { bandAidsFor, resolveBandAid } from '../../../core/policy/band-aids.js';
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

const withParams = validatePolicy({
  version: 1,
  allowed: [],
  bandAids: [
    {
      id: 'close-port',
      description: 'close a port',
      command: ['/bin/sh', '-c', 'iptables -A INPUT -p tcp --dport "$1" -j DROP', 'sh', '{{port}}'],
      params: { port: { pattern: '[0-9]{1,5}', description: 'TCP port' } },
      appliesTo: ['debian:*'],
      timeoutSeconds: 5,
      maxConcurrency: 3,
      maxErrors: 2,
    },
    {
      id: 'two',
      description: 'two params',
      command: ['/usr/bin/setconf', '{{key}}', '{{value}}', '{{key}}'],
      params: { key: { pattern: '[a-z]+' }, value: { pattern: '.*' } },
      appliesTo: ['debian:*'],
    },
    { id: 'plain', description: 'no params', command: ['/bin/true'], appliesTo: ['debian:*'] },
  ],
});

describe('resolveBandAid', () => {
  it('puts each value in as one whole argv element and hands back the limits', () => {
    expect(resolveBandAid(withParams, 'close-port', { port: '8080' })).toEqual({
      ok: true,
      bandAid: withParams.bandAids[0],
      argv: ['/bin/sh', '-c', 'iptables -A INPUT -p tcp --dport "$1" -j DROP', 'sh', '8080'],
      timeoutMs: 5000,
      maxConcurrency: 3,
      maxErrors: 2,
    });
  });

  it('applies the defaults: 60 s, 10 at once, stop after the first failure', () => {
    const r = resolveBandAid(withParams, 'plain', {});
    expect(r).toMatchObject({
      ok: true,
      argv: ['/bin/true'],
      timeoutMs: 60_000,
      maxConcurrency: 10,
      maxErrors: 0,
    });
  });

  it('replaces a placeholder used twice, and a value with spaces stays one element', () => {
    const r = resolveBandAid(withParams, 'two', { key: 'mode', value: 'a b; c' });
    expect(r).toMatchObject({ ok: true, argv: ['/usr/bin/setconf', 'mode', 'a b; c', 'mode'] });
  });

  it('names the known band-aids for an unknown id', () => {
    expect(resolveBandAid(withParams, 'nope', {})).toEqual({
      ok: false,
      error: 'unknown band-aid "nope": the policy approves close-port, two, plain',
    });
  });

  it('names the missing parameter and its pattern', () => {
    expect(resolveBandAid(withParams, 'close-port', {})).toEqual({
      ok: false,
      error: 'band-aid close-port parameter port is missing (it must match [0-9]{1,5})',
    });
  });

  it('names an unknown parameter and the declared ones', () => {
    expect(resolveBandAid(withParams, 'close-port', { port: '1', host: 'x' })).toEqual({
      ok: false,
      error: 'band-aid close-port has no parameter "host" (its parameters: port)',
    });
    expect(resolveBandAid(withParams, 'plain', { x: '1' })).toMatchObject({
      ok: false,
      error: 'band-aid plain has no parameter "x" (it takes none)',
    });
  });

  it.each([['$(reboot)'], ['; rm -rf /'], ['--help'], ['80 81'], ['80\n'], ['8080\u0000'], [''], ['123456']])(
    'refuses the value %j: it does not fully match the pattern',
    (value) => {
      const r = resolveBandAid(withParams, 'close-port', { port: value });
      expect(r.ok).toBe(false);
      expect(r.ok ? '' : r.error).toMatch(/^band-aid close-port parameter port /);
    },
  );

  it('refuses a line break, NUL or other control character even where the pattern takes anything', () => {
    for (const value of ['a\nb', 'a\rb', 'a\u0000b', 'a\u001bb', 'a\u007fb']) {
      expect(resolveBandAid(withParams, 'two', { key: 'k', value })).toEqual({
        ok: false,
        error: 'band-aid two parameter value must not hold a NUL, a line break or another control character',
      });
    }
  });

  it('refuses a 10 KB value before matching it, and takes one of 256 characters', () => {
    expect(resolveBandAid(withParams, 'two', { key: 'k', value: 'x'.repeat(10_240) })).toEqual({
      ok: false,
      error: 'band-aid two parameter value is 10240 characters long, over the limit of 256',
    });
    expect(resolveBandAid(withParams, 'two', { key: 'k', value: 'x'.repeat(256) }).ok).toBe(true);
    expect(resolveBandAid(withParams, 'two', { key: 'k', value: 'x'.repeat(257) }).ok).toBe(false);
  });

  it('matches the whole value, not a part of it, even against an alternation', () => {
    const p = validatePolicy({
      version: 1,
      allowed: [],
      bandAids: [
        {
          id: 'alt',
          description: 'alt',
          command: ['/bin/echo', '{{v}}'],
          params: { v: { pattern: 'on|off' } },
          appliesTo: ['debian:*'],
        },
      ],
    });
    expect(resolveBandAid(p, 'alt', { v: 'off' }).ok).toBe(true);
    expect(resolveBandAid(p, 'alt', { v: 'on; reboot' }).ok).toBe(false);
    expect(resolveBandAid(p, 'alt', { v: 'x off' }).ok).toBe(false);
  });

  it('takes a tab where the pattern does', () => {
    expect(resolveBandAid(withParams, 'two', { key: 'k', value: 'a\tb' })).toMatchObject({ ok: true });
  });

  it('does not take inherited names as parameters', () => {
    expect(
      resolveBandAid(withParams, 'close-port', { port: '1', constructor: 'x' } as Record<string, string>).ok,
    ).toBe(false);
    expect(resolveBandAid(withParams, 'close-port', Object.create({ port: '22' })).ok).toBe(false);
  });
});
