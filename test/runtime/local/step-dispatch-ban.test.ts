import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAdmissionFile } from '../../../adapters/local/admission-file.js';
import type { BaseImageBannedEvent } from '../../../core/events/base-image-banned.js';
import type { BaseImageUnbannedEvent } from '../../../core/events/base-image-unbanned.js';
import type { ImagePublishedEvent } from '../../../core/events/image-published.js';
import { parsePolicy } from '../../../core/policy/parse-policy.js';
import { type LocalPipeline, openLocalPipeline } from '../../../runtime/local/open-local-pipeline.js';
import { commit, digest } from '../../contracts/sample-events.js';
import { tempDir } from '../../helpers/temp-dir.js';

const BUSYBOX = 'docker.io/library/busybox';
let pipeline: LocalPipeline;

beforeAll(async () => {
  pipeline = await openLocalPipeline({
    stateDir: tempDir('drydock-ban-steps-'),
    policy: async () => parsePolicy(`version: 1\nallowed:\n  - image: busybox\n    versions: "^1"\n`),
  });
}, 60_000);
afterAll(async () => {
  await pipeline?.close();
});

function banned(banId: string, ref: string): BaseImageBannedEvent {
  const at = '2026-12-07T12:00:00.000Z';
  return {
    id: `banned-${banId}`,
    source: 'drydock',
    detailType: 'Base Image Banned',
    time: at,
    detail: { banId, ref, reason: 'CVE-2026-0001', bandAids: [], by: 'ops', at },
  };
}

function unbanned(banId: string, ref: string): BaseImageUnbannedEvent {
  const at = '2026-12-07T13:00:00.000Z';
  return {
    id: `unbanned-${banId}`,
    source: 'drydock',
    detailType: 'Base Image Unbanned',
    time: at,
    detail: { banId, ref, by: 'ops', at },
  };
}

describe('the ban steps on the local pipeline', () => {
  it('routes a ban to the ban step, which records and completes a ban nothing uses', async () => {
    await pipeline.bus.publish([banned('ban-nothing', `${BUSYBOX}:1.0.0`)]);
    await pipeline.drainUntilIdle();
    const ban = await pipeline.bans.get('ban-nothing');
    expect(ban).toMatchObject({ state: 'active', ref: `${BUSYBOX}:1.0.0` });
    expect(ban?.plannedAt).toBeDefined();
    expect(ban?.protectedAt).toBeDefined();
    expect(ban?.remediatedAt).toBeDefined();
  });

  it('marks an affected image unsupported in the admission list the hook reads, and lifts it on unban', async () => {
    const image: ImagePublishedEvent = {
      id: 'published-app',
      source: 'drydock',
      detailType: 'Image Published',
      time: '2026-12-01T09:00:00.000Z',
      detail: {
        ref: `${pipeline.registryHost}/apps/team/app:${commit('app').slice(0, 12)}`,
        digest: digest('app'),
        configDigest: digest('app-config'),
        bases: [{ name: `${BUSYBOX}:1.36.0`, digest: digest('busybox-1.36.0') }],
        definition: 'Dockerfile',
        repository: 'team/app',
        commit: commit('app'),
      },
    };
    await pipeline.lineage.record(image);
    await pipeline.bus.publish([banned('ban-busybox', `${BUSYBOX}:1.36.0`)]);
    await pipeline.drainUntilIdle();
    expect((await pipeline.bans.marked('ban-busybox')).map((m) => m.digest)).toEqual([digest('app')]);
    const listed = readAdmissionFile(pipeline.stateDir).unsupported;
    expect(listed.map((i) => i.configDigest)).toEqual([digest('app-config')]);
    // The image is in the lineage but not in the registry: its marker cannot be written, which is kept (dead
    // letter with the reason) after everything else of the response was done.
    const dead = (await pipeline.queues.ban?.deadLetters()) ?? [];
    expect(dead.map((d) => d.reason)).toEqual([
      expect.stringMatching(
        /^SupportMarkerError: registry markers not written .*no such image manifest in the registry/,
      ),
    ]);
    // No approved tag to move to (no replacement, no busybox tag in the registry): reported, not built.
    expect((await pipeline.bans.rebuilds('ban-busybox')).map((r) => r.state)).toEqual(['reported']);

    await pipeline.bus.publish([unbanned('ban-busybox', `${BUSYBOX}:1.36.0`)]);
    await pipeline.drainUntilIdle();
    expect((await pipeline.bans.get('ban-busybox'))?.state).toBe('lifted');
    expect(readAdmissionFile(pipeline.stateDir).unsupported).toEqual([]);
  });
});
