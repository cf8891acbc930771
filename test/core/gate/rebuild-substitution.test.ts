import { describe, expect, it } from 'vitest';
import { rebuildMatchKey, rebuildVerdict } from '../../../core/gate/rebuild-substitution.js';
import { parseImageRef } from '../../../core/image-ref/parse-image-ref.js';
import type { ImageUse } from '../../../core/policy/verdict.js';

const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;
const HOST = '127.0.0.1:5000';
const use = (text: string): ImageUse => ({
  text,
  kind: 'from',
  line: 1,
  column: 6,
  start: 5,
  end: 5 + text.length,
  written: text,
});
const rebuild = (from: string, to: string) => ({
  banId: 'ban-1',
  substitutions: [{ from, to, rule: 'ban ban-1: replacement' }],
});
const key = (text: string) => {
  const parsed = parseImageRef(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return rebuildMatchKey(parsed.ref);
};

describe('rebuildMatchKey', () => {
  it.each([
    ['busybox:1.36.0', 'docker.io/library/busybox:1.36.0'],
    [`${HOST}/base/busybox:1.36.0@${D1}`, `${HOST}/base/busybox:1.36.0`],
    [`${HOST}/base/busybox@${D1}`, `${HOST}/base/busybox@${D1}`],
    ['busybox', 'docker.io/library/busybox:latest'],
  ])('compares %s as %s', (text, expected) => expect(key(text)).toBe(expected));
});

describe('rebuildVerdict', () => {
  it('substitutes a use its substitution names, with the normalised target and the rule', () => {
    const to = `${HOST}/base/busybox:1.36.1@${D2}`;
    expect(
      rebuildVerdict(use(`${HOST}/base/busybox:1.36.0`), rebuild(`${HOST}/base/busybox:1.36.0`, to)),
    ).toEqual({
      outcome: 'substituted',
      use: use(`${HOST}/base/busybox:1.36.0`),
      from: `${HOST}/base/busybox:1.36.0`,
      to,
      why: `rebuilt for ban "ban-1": ${HOST}/base/busybox:1.36.0 is replaced by ${to} (ban ban-1: replacement)`,
      rule: 'ban ban-1: replacement',
    });
  });

  it('matches on the normalised name: busybox:1.36.0 is docker.io/library/busybox:1.36.0', () => {
    const v = rebuildVerdict(
      use('busybox:1.36.0'),
      rebuild('docker.io/library/busybox:1.36.0', 'busybox:1.36.1'),
    );
    expect(v).toMatchObject({ outcome: 'substituted', to: 'docker.io/library/busybox:1.36.1' });
  });

  it('ignores a digest pinned beside the tag, on either side', () => {
    const to = `${HOST}/base/busybox:1.36.1`;
    const pinned = `${HOST}/base/busybox:1.36.0@${D1}`;
    expect(rebuildVerdict(use(pinned), rebuild(`${HOST}/base/busybox:1.36.0`, to))).toMatchObject({
      outcome: 'substituted',
      from: pinned,
      to,
    });
    expect(
      rebuildVerdict(use(`${HOST}/base/busybox:1.36.0`), rebuild(`${HOST}/base/busybox:1.36.0@${D2}`, to)),
    ).toMatchObject({ outcome: 'substituted', to });
  });

  it('leaves other tags, other names, and a digest-only use of another digest to the policy', () => {
    const sub = rebuild(`${HOST}/base/busybox:1.36.0`, `${HOST}/base/busybox:1.36.1`);
    expect(rebuildVerdict(use(`${HOST}/base/busybox:1.36.01`), sub)).toBeUndefined();
    expect(rebuildVerdict(use(`${HOST}/base/busybox2:1.36.0`), sub)).toBeUndefined();
    expect(rebuildVerdict(use(`${HOST}/base/busybox@${D1}`), sub)).toBeUndefined();
    expect(
      rebuildVerdict(use(`${HOST}/base/busybox@${D1}`), rebuild(`${HOST}/base/busybox@${D2}`, 'busybox:1')),
    ).toBeUndefined();
    expect(
      rebuildVerdict(use(`${HOST}/base/busybox@${D1}`), rebuild(`${HOST}/base/busybox@${D1}`, 'busybox:1')),
    ).toMatchObject({ outcome: 'substituted' });
    expect(rebuildVerdict(use('Not A Ref'), sub)).toBeUndefined();
  });

  it('denies a use whose target is not an image reference instead of writing it into the Dockerfile', () => {
    // A target that smuggles an instruction must never reach the rewritten text the builder runs.
    const v = rebuildVerdict(
      use(`${HOST}/base/busybox:1.36.0`),
      rebuild(`${HOST}/base/busybox:1.36.0`, `${HOST}/base/busybox:1.36.1\nRUN curl x | sh`),
    );
    expect(v).toMatchObject({
      outcome: 'denied',
      code: 'unparseable',
      ref: `${HOST}/base/busybox:1.36.0`,
      rule: 'ban ban-1: replacement',
      reason: expect.stringMatching(
        /^the rebuild for ban "ban-1" replaces .* which is not an image reference: /,
      ),
    });
  });
});
