import { describe, expect, it } from 'vitest';
import { findRegistryDrift } from '../../../core/lineage/registry-drift.js';

const HOST = '127.0.0.1:5000';
const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;
const C = `sha256:${'c'.repeat(64)}`;
const tag = (repository: string, t: string, digest: string) => ({ repository, tag: t, digest });
const image = (path: string, digest: string) => ({ ref: `${HOST}/${path}`, digest });

describe('findRegistryDrift', () => {
  it('finds none when every tag is a recorded image or a base at its digest', () => {
    expect(
      findRegistryDrift({
        registryHost: HOST,
        tags: [tag('apps/web', '1', A), tag('base/busybox', '1.36.1', B)],
        images: [image('apps/web:1', A)],
        bases: [image('base/busybox:1.36.1', B)],
      }),
    ).toEqual([]);
  });

  it('reports a recorded image whose tag names another digest as moved', () => {
    expect(
      findRegistryDrift({
        registryHost: HOST,
        tags: [tag('apps/web', '1', B)],
        images: [image('apps/web:1', A)],
        bases: [],
      }),
    ).toEqual([{ kind: 'moved', ref: `${HOST}/apps/web:1`, registryDigest: B, lineageDigest: A }]);
  });

  it('reports a recorded image whose tag is gone as missing', () => {
    expect(
      findRegistryDrift({ registryHost: HOST, tags: [], images: [image('apps/web:1', A)], bases: [] }),
    ).toEqual([{ kind: 'missing', ref: `${HOST}/apps/web:1`, lineageDigest: A }]);
  });

  it('reports a tag neither recorded nor a base as untracked', () => {
    expect(
      findRegistryDrift({
        registryHost: HOST,
        tags: [tag('apps/rogue', 'latest', C)],
        images: [],
        bases: [],
      }),
    ).toEqual([{ kind: 'untracked', ref: `${HOST}/apps/rogue:latest`, registryDigest: C }]);
  });

  it('reports a recorded image of another registry as missing here', () => {
    expect(
      findRegistryDrift({
        registryHost: HOST,
        tags: [tag('apps/web', '1', A)],
        images: [{ ref: '127.0.0.1:6000/apps/web:1', digest: A }],
        bases: [],
      }).map((d) => d.kind),
    ).toEqual(['missing', 'untracked']);
  });

  it('sorts moved, then missing, then untracked, each by reference', () => {
    const drift = findRegistryDrift({
      registryHost: HOST,
      tags: [tag('apps/z', '1', C), tag('apps/b', '1', B), tag('apps/a', '1', C), tag('apps/y', '1', C)],
      images: [image('apps/b:1', A), image('apps/m:1', A), image('apps/a:1', A)],
      bases: [],
    });
    expect(drift.map((d) => `${d.kind} ${d.ref.slice(HOST.length + 1)}`)).toEqual([
      'moved apps/a:1',
      'moved apps/b:1',
      'missing apps/m:1',
      'untracked apps/y:1',
      'untracked apps/z:1',
    ]);
  });

  describe('support markers', () => {
    const markerTag = (digest: string) => `${digest.replace(':', '-')}.unsupported`;
    const marker = (repository: string, subject: string, digest = C) => ({
      repository,
      tag: markerTag(subject),
      digest,
      markerOf: subject,
    });

    it('finds no drift in markers of recorded images and of bases, in their own repositories', () => {
      expect(
        findRegistryDrift({
          registryHost: HOST,
          tags: [
            tag('apps/web', '1', A),
            marker('apps/web', A),
            tag('base/busybox', '1.36.0', B),
            marker('base/busybox', B),
          ],
          images: [image('apps/web:1', A)],
          bases: [image('base/busybox:1.36.0', B)],
        }),
      ).toEqual([]);
    });

    it('reports a marker of an image its repository does not record, even one recorded elsewhere', () => {
      expect(
        findRegistryDrift({
          registryHost: HOST,
          tags: [tag('apps/web', '1', A), marker('apps/api', A), marker('apps/web', B)],
          images: [image('apps/web:1', A)],
          bases: [],
        }),
      ).toEqual([
        { kind: 'unknown-marker', ref: `${HOST}/apps/api:${markerTag(A)}`, registryDigest: C, subject: A },
        { kind: 'unknown-marker', ref: `${HOST}/apps/web:${markerTag(B)}`, registryDigest: C, subject: B },
      ]);
    });

    it('treats a marker-looking tag that holds no marker as an ordinary tag: untracked', () => {
      expect(
        findRegistryDrift({
          registryHost: HOST,
          tags: [tag('apps/web', '1', A), tag('apps/web', markerTag(A), B)],
          images: [image('apps/web:1', A)],
          bases: [],
        }),
      ).toEqual([{ kind: 'untracked', ref: `${HOST}/apps/web:${markerTag(A)}`, registryDigest: B }]);
    });

    it('sorts unknown markers after missing images and before untracked tags', () => {
      const drift = findRegistryDrift({
        registryHost: HOST,
        tags: [tag('apps/a', 'x', A), marker('apps/a', B)],
        images: [image('apps/m:1', A)],
        bases: [],
      });
      expect(drift.map((d) => d.kind)).toEqual(['missing', 'unknown-marker', 'untracked']);
    });
  });
});
