import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteBanStore } from '../../../adapters/local/sqlite-ban-store.js';
import { runBandAids } from '../../../core/ban/band-aid-step.js';
import type { BandAidRequestedEvent } from '../../../core/events/band-aid-requested.js';
import { TempState } from '../../contracts/local-state.js';
import { BAN_AT, BAN_ID, banPolicy, container, FakeFleet } from './ban-response-harness.js';

let state: TempState;
beforeEach(() => {
  state = new TempState();
});
afterEach(() => state.close());

describe('band-aid step under attack', () => {
  it('skips the rest of a large batch in time once one container makes it fail (no read of every run per skip)', async () => {
    const store = new SqliteBanStore(state.open());
    const fleet = new FakeFleet();
    // 50,000 containers on 2,000 hosts: a batch of 50 hosts holds about 1,250; this one holds 4,000.
    const N = 4_000;
    fleet.containers = Array.from({ length: N }, (_, i) =>
      container(`c${String(i).padStart(5, '0')}`, `host-${i % 50}`, 'app-direct', 'team/two'),
    );
    // The first container is compromised: its band-aid exits non-zero, so maxErrors (0) is exceeded at once.
    fleet.behaviour.set('c00000', 'fail');
    await store.create({
      banId: BAN_ID,
      ref: 'docker.io/library/busybox:1.36.0',
      reason: 'CVE',
      bandAids: [{ id: 'close-port', params: { port: '8080' } }],
      by: 'ops',
      at: BAN_AT,
    });
    const targets = fleet.containers.map((c) => ({
      containerId: c.id,
      host: c.host,
      imageDigest: c.imageDigest ?? c.configDigest,
    }));
    await store.addBandAidRuns(targets.map((t) => ({ banId: BAN_ID, bandAidId: 'close-port', ...t })));
    const policy = banPolicy();
    const event: BandAidRequestedEvent = {
      id: 'band-aid-requested-1',
      source: 'drydock',
      detailType: 'Band-Aid Requested',
      time: BAN_AT,
      detail: { banId: BAN_ID, bandAidId: 'close-port', params: { port: '8080' }, batch: 0, targets },
    };
    const started = performance.now();
    const result = await runBandAids(event, {
      store,
      fleet,
      clock: { now: () => new Date('2026-12-07T12:00:01Z') },
      policy: async () => ({
        ...policy,
        bandAids: policy.bandAids.map((b) => ({ ...b, maxConcurrency: 1 })),
      }),
    });
    const took = performance.now() - started;
    expect(result).toEqual({ ran: 1, succeeded: 0, failed: 1, skipped: N - 1 });
    const runs = await store.bandAidRuns(BAN_ID);
    expect(runs.filter((r) => r.state === 'skipped')).toHaveLength(N - 1);
    expect(runs.find((r) => r.containerId === 'c00000')).toMatchObject({ state: 'failed', exitCode: 3 });
    // Linear work is well under a second; a read of all runs per skipped target took tens of seconds.
    expect(took).toBeLessThan(5_000);
  }, 300_000);

  it("records a run the fleet ended for flooding its output as failed with the fleet's reason", async () => {
    const store = new SqliteBanStore(state.open());
    const flooding = container('c1', 'host-a', 'app-direct', 'team/two');
    const fleet = {
      running: async () => [flooding],
      exec: async () => ({
        exitCode: null,
        outputTail: 'y\ny',
        durationMs: 40,
        timedOut: false,
        reason: 'it printed more than 1 MiB; ended',
      }),
    };
    await store.create({
      banId: BAN_ID,
      ref: 'docker.io/library/busybox:1.36.0',
      reason: 'CVE',
      bandAids: [{ id: 'close-port', params: { port: '8080' } }],
      by: 'ops',
      at: BAN_AT,
    });
    const target = { containerId: 'c1', host: 'host-a', imageDigest: flooding.imageDigest ?? '' };
    await store.addBandAidRuns([{ banId: BAN_ID, bandAidId: 'close-port', ...target }]);
    await runBandAids(
      {
        id: 'band-aid-requested-2',
        source: 'drydock',
        detailType: 'Band-Aid Requested',
        time: BAN_AT,
        detail: {
          banId: BAN_ID,
          bandAidId: 'close-port',
          params: { port: '8080' },
          batch: 0,
          targets: [target],
        },
      },
      {
        store,
        fleet,
        clock: { now: () => new Date('2026-12-07T12:00:01Z') },
        policy: async () => banPolicy(),
      },
    );
    expect((await store.bandAidRuns(BAN_ID))[0]).toMatchObject({
      state: 'failed',
      exitCode: null,
      reason: 'it printed more than 1 MiB; ended',
    });
  });
});
