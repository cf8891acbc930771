import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BanPlanError, handleBanEvent, respondToBan, respondToUnban } from '../../../core/ban/ban-step.js';
import { DrydockError } from '../../../core/errors.js';
import { digest } from '../../contracts/sample-events.js';
import { BAN_ID, BanHarness, BUSYBOX, container } from './ban-response-harness.js';

let h: BanHarness;
beforeEach(async () => {
  h = new BanHarness();
  await h.seed();
});
afterEach(() => h.close());

const AFFECTED = [digest('ops-base'), digest('app-direct'), digest('app-on-ops')];

describe('ban step: Base Image Banned', () => {
  it('marks every affected image unsupported, in admission and in the registry, before anything runs', async () => {
    await respondToBan(h.banned(), h.ports);
    expect((await h.store.marked(BAN_ID)).map((m) => m.digest).sort()).toEqual([...AFFECTED].sort());
    const admitted = h.admission.at(-1) ?? [];
    expect(admitted.map((i) => i.digest).sort()).toEqual([...AFFECTED].sort());
    expect(admitted.every((i) => i.banIds.includes(BAN_ID))).toBe(true);
    expect(h.markers.get(`team/one@${digest('app-on-ops')}`)).toMatchObject({
      subject: digest('app-on-ops'),
      unsupported: true,
      bans: [{ banId: BAN_ID, reason: 'CVE-2026-0001' }],
    });
    expect(h.markers.has(`team/other@${digest('unrelated')}`)).toBe(false);
  });

  it('dispatches the bases first and holds the image built on one until its base is republished', async () => {
    await respondToBan(h.banned(), h.ports);
    expect(await h.states()).toEqual({
      'ops/bases': 'dispatched',
      'team/two': 'dispatched',
      'team/one': 'waiting',
    });
    const requests = h.bus.of('Definition Gate Requested');
    expect(requests.map((r) => r.detail.repository).sort()).toEqual(['ops/bases', 'team/two']);
    const ops = requests.find((r) => r.detail.repository === 'ops/bases');
    expect(ops?.detail).toMatchObject({
      change: 'modified',
      correlationId: BAN_ID,
      rebuild: {
        banId: BAN_ID,
        number: 1,
        of: digest('ops-base'),
        substitutions: [{ from: `${BUSYBOX}:1.36.0`, to: `${BUSYBOX}:1.36.1` }],
      },
    });
    expect((await h.store.get(BAN_ID))?.plannedAt).toBeDefined();
    // No band-aid was asked for: protection is complete once admission refuses the images.
    expect((await h.store.get(BAN_ID))?.protectedAt).toBeDefined();
    expect((await h.store.get(BAN_ID))?.remediatedAt).toBeUndefined();
  });

  it('records a band-aid run per matching container and asks for each batch once', async () => {
    h.fleet.containers = [
      container('c1', 'host-a', 'app-on-ops', 'team/one'),
      container('c2', 'host-b', 'app-direct', 'team/two'),
      container('c3', 'host-a', 'unrelated', 'team/other'),
      container('c4', 'host-a', 'ops-base', 'ops/bases'),
    ];
    await respondToBan(h.banned({ bandAids: [{ id: 'close-port', params: { port: '8080' } }] }), h.ports);
    const runs = await h.store.bandAidRuns(BAN_ID);
    // appliesTo is registry.local/team/**: not the ops base's container, never the unrelated one.
    expect(runs.map((r) => r.containerId).sort()).toEqual(['c1', 'c2']);
    expect(runs.every((r) => r.state === 'pending')).toBe(true);
    const asks = h.bus.of('Band-Aid Requested');
    expect(asks.flatMap((a) => a.detail.targets.map((t) => t.containerId)).sort()).toEqual(['c1', 'c2']);
    expect(asks[0]?.detail).toMatchObject({
      banId: BAN_ID,
      bandAidId: 'close-port',
      params: { port: '8080' },
    });
    expect((await h.store.get(BAN_ID))?.protectedAt).toBeUndefined();
  });

  it('does nothing twice when the same ban is delivered again', async () => {
    h.fleet.containers = [container('c1', 'host-a', 'app-on-ops', 'team/one')];
    const event = h.banned({ bandAids: [{ id: 'close-port', params: { port: '8080' } }] });
    await respondToBan(event, h.ports);
    const published = h.bus.order.length;
    const states = await h.states();
    const runs = await h.store.bandAidRuns(BAN_ID);
    await handleBanEvent(event, h.ports);
    expect(h.bus.order.length).toBe(published);
    expect(await h.states()).toEqual(states);
    expect(await h.store.bandAidRuns(BAN_ID)).toEqual(runs);
    expect((await h.store.list()).length).toBe(1);
  });

  it('reports a definition no approved base can replace, and tells its team', async () => {
    // No replacement, and the policy allows no other busybox 1.x tag in the registry: nothing to build on.
    await respondToBan(h.banned({ replacement: undefined }), h.ports);
    const states = await h.states();
    expect(states['ops/bases']).toBe('reported');
    // Its child waits for a base that will never come.
    expect(states['team/one']).toBe('reported');
    const outcomes = h.bus.of('Rebuild Outcome');
    expect(outcomes.map((o) => `${o.detail.repository} ${o.detail.state}`).sort()).toEqual([
      'ops/bases reported',
      'team/one reported',
      'team/two reported',
    ]);
    expect((await h.store.get(BAN_ID))?.remediatedAt).toBeDefined();
  });

  it('answers a ban of an image nothing uses with an empty response, done at once', async () => {
    await respondToBan(h.banned({ ref: `${BUSYBOX}:1.0.0`, replacement: undefined }), h.ports);
    expect(await h.store.marked(BAN_ID)).toEqual([]);
    expect(h.bus.order).toEqual([]);
    const ban = await h.store.get(BAN_ID);
    expect(ban?.protectedAt).toBeDefined();
    expect(ban?.remediatedAt).toBeDefined();
  });

  it('refuses a ban whose band-aid the policy does not approve, and changes nothing', async () => {
    const event = h.banned({ bandAids: [{ id: 'rm-rf', params: {} }] });
    await expect(respondToBan(event, h.ports)).rejects.toBeInstanceOf(BanPlanError);
    await expect(respondToBan(event, h.ports)).rejects.toMatchObject({
      code: 'BAN_PLAN_FAILED',
      retryable: false,
    });
    expect(await h.store.marked(BAN_ID)).toEqual([]);
    expect(h.admission).toEqual([]);
  });

  it('does not bring back a lifted ban when its ban event is delivered again', async () => {
    await respondToBan(h.banned(), h.ports);
    await respondToUnban(h.unbanned(), h.ports);
    const published = h.bus.order.length;
    await respondToBan(h.banned(), h.ports);
    expect((await h.store.get(BAN_ID))?.state).toBe('lifted');
    expect(h.bus.order.length).toBe(published);
  });
});

describe('ban step: Base Image Unbanned', () => {
  it('cancels rebuilds not started, skips pending band-aids, and makes the images supported again', async () => {
    h.buildConcurrency = 1;
    h.fleet.containers = [container('c1', 'host-a', 'app-on-ops', 'team/one')];
    await respondToBan(h.banned({ bandAids: [{ id: 'close-port', params: { port: '8080' } }] }), h.ports);
    const before = await h.states();
    expect(Object.values(before).sort()).toEqual(['dispatched', 'ready', 'waiting']);
    await handleBanEvent(h.unbanned(), h.ports);
    const after = await h.states();
    // What started goes on (and stays recorded); what had not started is cancelled.
    expect(Object.values(after).sort()).toEqual(['cancelled', 'cancelled', 'dispatched']);
    expect(h.bus.of('Rebuild Outcome').map((o) => o.detail.state)).toEqual(['cancelled', 'cancelled']);
    expect((await h.store.bandAidRuns(BAN_ID)).map((r) => [r.state, r.reason])).toEqual([
      ['skipped', 'ban lifted'],
    ]);
    expect(h.admission.at(-1)).toEqual([]);
    expect(h.markers.get(`team/one@${digest('app-on-ops')}`)).toMatchObject({ unsupported: false, bans: [] });
    // Lifting again changes nothing and tells nobody twice.
    const published = h.bus.order.length;
    await handleBanEvent(h.unbanned(), h.ports);
    expect(h.bus.order.length).toBe(published);
  });
});

describe('ban step: registry markers', () => {
  it('finishes the response when a marker cannot be written, then reports the images', async () => {
    const ports = {
      ...h.ports,
      markers: {
        put: async () => {
          throw new DrydockError('no such image manifest in the registry', { code: 'NOT_FOUND' });
        },
        get: async () => undefined,
      },
    };
    await expect(respondToBan(h.banned(), ports)).rejects.toMatchObject({
      code: 'SUPPORT_MARKER_FAILED',
      retryable: false,
      message: expect.stringContaining('registry.local/team/one:app-on-ops: no such image manifest'),
    });
    expect(h.admission.at(-1)).toHaveLength(3);
    expect(Object.values(await h.states()).sort()).toEqual(['dispatched', 'dispatched', 'waiting']);
    expect((await h.store.get(BAN_ID))?.plannedAt).toBeDefined();
  });

  it('stops at once on a failure a retry may fix, admission already written', async () => {
    const ports = {
      ...h.ports,
      markers: {
        put: async () => {
          throw new DrydockError('registry busy', { code: 'REGISTRY_BUSY', retryable: true });
        },
        get: async () => undefined,
      },
    };
    await expect(respondToBan(h.banned(), ports)).rejects.toMatchObject({ code: 'REGISTRY_BUSY' });
    expect(h.admission.at(-1)).toHaveLength(3);
    expect(await h.store.rebuilds(BAN_ID)).toEqual([]);
    // The redelivery, with the registry back, does the rest.
    await respondToBan(h.banned(), h.ports);
    expect(h.markers.size).toBe(3);
    expect(await h.states()).toMatchObject({ 'ops/bases': 'dispatched' });
  });
});
