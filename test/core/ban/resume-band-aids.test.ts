import { describe, expect, it } from 'vitest';
import { resumeBandAids } from '../../../core/ban/resume-band-aids.js';
import { BandAidRequestedEvent } from '../../../core/events/band-aid-requested.js';
import type { DrydockEvent } from '../../../core/events/index.js';
import { MemoryBanStore } from '../../fixtures/ban/memory-ban-store.js';

const clock = { now: () => new Date('2026-12-07T12:00:00.000Z') };

async function setUp() {
  const store = new MemoryBanStore({ clock });
  const published: DrydockEvent[] = [];
  const bus = { publish: async (events: readonly DrydockEvent[]) => void published.push(...events) };
  const ban = (banId: string, ref: string) =>
    store.create({
      banId,
      ref,
      reason: 'CVE',
      bandAids: [
        { id: 'stamp', params: { note: 'x' } },
        { id: 'close-port', params: { port: '80' } },
      ],
      by: 'ops',
      at: '2026-12-07T11:00:00.000Z',
    });
  await ban('ban-a', 'docker.io/library/busybox:1.36.0');
  await ban('ban-b', 'docker.io/library/alpine:3.19');
  const run = (banId: string, bandAidId: string, containerId: string, host: string) => ({
    banId,
    bandAidId,
    containerId,
    host,
    imageDigest: `sha256:${'a'.repeat(64)}`,
  });
  await store.addBandAidRuns([
    run('ban-a', 'stamp', 'c1', 'host-b'),
    run('ban-a', 'stamp', 'c2', 'host-a'),
    run('ban-a', 'stamp', 'c3', 'host-a'),
    run('ban-a', 'stamp', 'c4', 'host-c'),
    run('ban-a', 'close-port', 'c1', 'host-b'),
    run('ban-b', 'stamp', 'c9', 'host-z'),
  ]);
  return { store, bus, published };
}

describe('resumeBandAids', () => {
  it('requests the pending runs of active bans again, every run of a host in one batch, and no other run', async () => {
    const { store, bus, published } = await setUp();
    // c2 ran, c4 was interrupted by a crash: neither is asked for again.
    await store.claimBandAidRun('ban-a', 'stamp', 'c2', clock.now().toISOString());
    await store.finishBandAidRun('ban-a', 'stamp', 'c2', { state: 'succeeded', exitCode: 0 }, 'x');
    await store.claimBandAidRun('ban-a', 'stamp', 'c4', clock.now().toISOString());
    await store.interruptRunning(clock.now().toISOString());
    // A lifted ban's pending runs are not run.
    await store.lift('ban-b', 'ops', clock.now().toISOString());

    const events = await resumeBandAids({ store, bus, clock }, 'restart-1');
    expect(published).toEqual(events);
    for (const e of events) expect(BandAidRequestedEvent.safeParse(e).success).toBe(true);
    expect(
      events.map((e) => [e.detail.banId, e.detail.bandAidId, e.detail.params, e.detail.targets]),
    ).toEqual([
      [
        'ban-a',
        'stamp',
        { note: 'x' },
        [
          { containerId: 'c3', host: 'host-a', imageDigest: `sha256:${'a'.repeat(64)}` },
          { containerId: 'c1', host: 'host-b', imageDigest: `sha256:${'a'.repeat(64)}` },
        ],
      ],
      [
        'ban-a',
        'close-port',
        { port: '80' },
        [{ containerId: 'c1', host: 'host-b', imageDigest: `sha256:${'a'.repeat(64)}` }],
      ],
    ]);
  });

  it('gives each restart its own event ids, so the bus never drops them as copies of the batch left behind', async () => {
    const { store, bus } = await setUp();
    const first = await resumeBandAids({ store, bus, clock }, 'restart-1');
    const again = await resumeBandAids({ store, bus, clock }, 'restart-1');
    const next = await resumeBandAids({ store, bus, clock }, 'restart-2');
    expect(again.map((e) => e.id)).toEqual(first.map((e) => e.id));
    expect(new Set([...first, ...next].map((e) => e.id)).size).toBe(first.length + next.length);
  });

  it('splits more than 50 hosts into batches of 50 hosts', async () => {
    const store = new MemoryBanStore({ clock });
    const published: DrydockEvent[] = [];
    await store.create({
      banId: 'ban-a',
      ref: 'docker.io/library/busybox:1.36.0',
      reason: 'CVE',
      bandAids: [{ id: 'stamp', params: {} }],
      by: 'ops',
      at: '2026-12-07T11:00:00.000Z',
    });
    await store.addBandAidRuns(
      Array.from({ length: 120 }, (_, i) => ({
        banId: 'ban-a',
        bandAidId: 'stamp',
        containerId: `c${i}`,
        host: `host-${String(i % 101).padStart(3, '0')}`,
        imageDigest: `sha256:${'b'.repeat(64)}`,
      })),
    );
    const events = await resumeBandAids(
      { store, bus: { publish: async (e) => void published.push(...e) }, clock },
      'r',
    );
    expect(events.map((e) => new Set(e.detail.targets.map((t) => t.host)).size)).toEqual([50, 50, 1]);
    expect(events.map((e) => e.detail.batch)).toEqual([0, 1, 2]);
    expect(events.flatMap((e) => e.detail.targets)).toHaveLength(120);
  });

  it('publishes nothing when no run is pending', async () => {
    const store = new MemoryBanStore({ clock });
    const published: DrydockEvent[] = [];
    expect(
      await resumeBandAids({ store, bus: { publish: async (e) => void published.push(...e) }, clock }, 'r'),
    ).toEqual([]);
    expect(published).toEqual([]);
  });
});
