import { describe, expect, it } from 'vitest';
import { type ChooseBaseContext, chooseBase } from '../../../core/ban/choose-base.js';
import { validatePolicy } from '../../../core/policy/parse-policy.js';

const BUSYBOX = 'docker.io/library/busybox';
const D = `sha256:${'d'.repeat(64)}`;
const base = (tag: string) => ({ name: `${BUSYBOX}:${tag}`, digest: D });
const context = (tags: string[], extra: Record<string, unknown> = {}): ChooseBaseContext => ({
  label: 'ban ban-000000000001',
  policy: validatePolicy({
    version: 1,
    allowed: [{ image: 'busybox', versions: '^1' }],
    banned: [{ image: 'busybox:1.36.0', reason: 'CVE' }],
    ...extra,
  }),
  now: new Date('2026-12-07T00:00:00Z'),
  tags: async (name) => (name === BUSYBOX ? tags : []),
});

describe('chooseBase', () => {
  it('takes the replacement first', async () => {
    const ctx = { ...context(['1.37.0']), replacement: `${BUSYBOX}:1.36.1` };
    expect(await chooseBase(base('1.36.0'), 'team/a', ctx)).toEqual({
      ok: true,
      to: `${BUSYBOX}:1.36.1`,
      rule: `ban ban-000000000001: its replacement ${BUSYBOX}:1.36.1`,
    });
  });

  it.each([
    [['1.35.0', '1.36.0', '1.36.1', '1.37.0', '2.0.0'], '1.37.0'],
    [['1.36', '1.36.1', 'v1.36.2'], 'v1.36.2'],
    [['1.36', '1.36.0', '1'], '1.36'],
    [['1.37.0-rc1', '1.36.3', 'latest', 'bookworm'], '1.36.3'],
  ])('picks the newest allowed tag of the major line from %j', async (tags, want) => {
    const chosen = await chooseBase(base('1.36.0'), 'team/a', context(tags));
    expect(chosen).toMatchObject({ ok: true, to: `${BUSYBOX}:${want}` });
  });

  it('never builds on the banned tag itself or a tag the ban covers', async () => {
    const chosen = await chooseBase(base('1.36.0'), 'team/a', context(['1.36.0']));
    expect(chosen).toEqual({
      ok: false,
      reason: expect.stringContaining('no tag of docker.io/library/busybox'),
    });
  });

  it('keeps the variant of the banned tag', async () => {
    const chosen = await chooseBase(
      base('1.36.0-musl'),
      'team/a',
      context(['1.36.9', '1.36.1-musl', '1.36.2-glibc']),
    );
    expect(chosen).toMatchObject({ ok: true, to: `${BUSYBOX}:1.36.1-musl` });
  });

  it('uses no tag the registry hands back that is not a plain tag of that repository', async () => {
    const hostile = [`1.99.0@${D}`, '1.98.0 ; rm -rf /', '1.97.0/../x', '1.96.0\n', ':1.95.0', '1.36.1'];
    // With digests not required, the policy itself would admit a digest smuggled into a tag by the tag beside it.
    const chosen = await chooseBase(
      base('1.36.0'),
      'team/a',
      context(hostile, { requireDigestListed: false }),
    );
    expect(chosen).toMatchObject({ ok: true, to: `${BUSYBOX}:1.36.1` });
  });

  it('explains why there is no base when the tag names no version', async () => {
    const chosen = await chooseBase(base('stable'), 'team/a', context(['1.36.1']));
    expect(chosen).toEqual({ ok: false, reason: expect.stringContaining('names no version line') });
  });

  it('skips a substitution rule whose target the ban covers too, for the next rule', async () => {
    const ctx = context(['1.36.4', '1.37.1'], {
      substitutions: [{ from: 'busybox:1.36.0', to: 'busybox:1.36.2', reason: 'patched' }],
    });
    // The ban as it will be in force: every 1.36 tag.
    const policy = { ...ctx.policy, banned: [{ image: `${BUSYBOX}:1.36*`, reason: 'CVE' }] };
    expect(await chooseBase(base('1.36.0'), 'team/a', { ...ctx, policy })).toMatchObject({
      ok: true,
      to: `${BUSYBOX}:1.37.1`,
    });
    expect(await chooseBase(base('1.36.0'), 'team/a', ctx)).toMatchObject({
      ok: true,
      to: `${BUSYBOX}:1.36.2`,
      rule: 'ban ban-000000000001: substitutions[0] (patched)',
    });
  });
});
