import { describe, expect, it } from 'vitest';
import { type AdmissionRules, admitImage } from '../../../core/admission/admit.js';

const OLD = `sha256:${'a'.repeat(64)}`;
const OLD_CONFIG = `sha256:${'b'.repeat(64)}`;
const OTHER = `sha256:${'c'.repeat(64)}`;

const rules: AdmissionRules = {
  unsupported: [
    {
      digest: OLD,
      configDigest: OLD_CONFIG,
      ref: '127.0.0.1:5000/apps/web:abc',
      banIds: ['ban-1'],
      reason: 'CVE-2026-1',
    },
  ],
  banned: [{ pattern: 'docker.io/library/busybox:1.36.0', reason: 'CVE-2026-1', banId: 'ban-1' }],
};

describe('admitImage', () => {
  it('denies an image whose manifest digest is listed unsupported, naming the ban and reason', () => {
    expect(admitImage({ refs: ['127.0.0.1:5000/apps/web:x'], digests: [OLD] }, rules)).toEqual({
      allow: false,
      reason: '127.0.0.1:5000/apps/web:abc is unsupported (ban ban-1): CVE-2026-1',
      banIds: ['ban-1'],
    });
  });

  it('denies an image known only by its config digest (a local image under another name)', () => {
    expect(
      admitImage({ refs: ['localhost/copy:1'], digests: [OTHER], configDigest: OLD_CONFIG }, rules),
    ).toMatchObject({
      allow: false,
      banIds: ['ban-1'],
    });
  });

  it('denies a plain run of the banned base by its reference, normalised', () => {
    expect(admitImage({ refs: ['busybox:1.36.0'], digests: [] }, rules)).toEqual({
      allow: false,
      reason: 'busybox:1.36.0 is banned by docker.io/library/busybox:1.36.0: CVE-2026-1',
      banIds: ['ban-1'],
    });
  });

  it('allows an image no ban covers, and another tag of the banned repository', () => {
    expect(admitImage({ refs: ['busybox:1.36.1'], digests: [OTHER], configDigest: OTHER }, rules)).toEqual({
      allow: true,
    });
  });

  it('denies by a digest-only ban whatever the name', () => {
    const byDigest: AdmissionRules = { unsupported: [], banned: [{ pattern: OTHER, reason: 'leaked key' }] };
    expect(admitImage({ refs: ['anything:1'], digests: [OTHER] }, byDigest)).toMatchObject({
      allow: false,
      reason: `${OTHER} is banned: leaked key`,
      banIds: [],
    });
  });

  it('denies by a name glob', () => {
    const glob: AdmissionRules = {
      unsupported: [],
      banned: [{ pattern: 'docker.io/library/debian:buster*', reason: 'EOL' }],
    };
    expect(admitImage({ refs: ['debian:buster-slim'], digests: [] }, glob).allow).toBe(false);
    expect(admitImage({ refs: ['debian:bookworm'], digests: [] }, glob).allow).toBe(true);
  });

  it('refuses when a ban pattern cannot be read, rather than let a banned image through', () => {
    const broken: AdmissionRules = { unsupported: [], banned: [{ pattern: 'UPPER/Case::', reason: 'x' }] };
    expect(admitImage({ refs: ['busybox:1'], digests: [] }, broken)).toMatchObject({ allow: false });
  });
});
