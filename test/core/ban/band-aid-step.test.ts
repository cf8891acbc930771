import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { respondToBan, respondToUnban } from '../../../core/ban/ban-step.js';
import { handleBandAidEvent, runBandAids } from '../../../core/ban/band-aid-step.js';
import type { BandAidRequestedEvent } from '../../../core/events/band-aid-requested.js';
import { digest } from '../../contracts/sample-events.js';
import { BAN_ID, BanHarness, banPolicy, container } from './ban-response-harness.js';

let h: BanHarness;
beforeEach(async () => {
  h = new BanHarness();
  await h.seed();
  h.fleet.containers = [
    container('c1', 'host-a', 'app-on-ops', 'team/one'),
    container('c2', 'host-a', 'app-on-ops', 'team/one'),
    container('c3', 'host-b', 'app-direct', 'team/two'),
    container('c4', 'host-b', 'app-direct', 'team/two'),
    container('c9', 'host-b', 'unrelated', 'team/other'),
  ];
});
afterEach(() => h.close());

async function banWithBandAid(port = '8080'): Promise<BandAidRequestedEvent[]> {
  await respondToBan(h.banned({ bandAids: [{ id: 'close-port', params: { port } }] }), h.ports);
  return h.bus.of('Band-Aid Requested');
}

const states = async () =>
  Object.fromEntries((await h.store.bandAidRuns(BAN_ID)).map((r) => [r.containerId, r.state]));

describe('band-aid step', () => {
  it('runs the approved argv, parameters as whole elements, in every target and in no other container', async () => {
    for (const ask of await banWithBandAid()) await handleBandAidEvent(ask, h.ports);
    expect(h.fleet.execs.map((e) => e.container).sort()).toEqual(['c1', 'c2', 'c3', 'c4']);
    expect(h.fleet.execs[0]).toMatchObject({
      argv: ['/bin/sh', '-c', 'echo "$1"', 'sh', '8080'],
      timeoutMs: 5000,
    });
    expect(await states()).toEqual({ c1: 'succeeded', c2: 'succeeded', c3: 'succeeded', c4: 'succeeded' });
    const run = (await h.store.bandAidRuns(BAN_ID))[0];
    expect(run).toMatchObject({ exitCode: 0, outputTail: 'ok\n', durationMs: 5 });
    expect((await h.store.get(BAN_ID))?.protectedAt).toBeDefined();
  });

  it('never runs a container twice: a redelivered batch runs nothing', async () => {
    const asks = await banWithBandAid();
    for (const ask of asks) await handleBandAidEvent(ask, h.ports);
    for (const ask of asks) await handleBandAidEvent(ask, h.ports);
    expect(h.fleet.execs).toHaveLength(4);
  });

  it('runs at most maxConcurrency at once', async () => {
    for (const ask of await banWithBandAid()) await runBandAids(ask, h.ports);
    expect(h.fleet.mostAtOnce).toBe(2);
  });

  it('stops dispatching once failures exceed maxErrors; the rest are skipped', async () => {
    h.policy = banPolicy();
    const asks = await banWithBandAid();
    const all = { ...asks[0], detail: { ...asks[0]?.detail } } as BandAidRequestedEvent;
    // One batch holding every target, the first of which fails, run one at a time.
    all.detail.targets = asks.flatMap((a) => a.detail.targets);
    h.policy = {
      ...h.policy,
      bandAids: h.policy.bandAids.map((b) => ({ ...b, maxConcurrency: 1, maxErrors: 0 })),
    };
    h.fleet.behaviour.set(all.detail.targets[0]?.containerId ?? '', 'fail');
    const result = await runBandAids(all, h.ports);
    expect(result).toMatchObject({ ran: 1, failed: 1, skipped: 3 });
    const runs = await h.store.bandAidRuns(BAN_ID);
    expect(
      runs.filter((r) => r.state === 'skipped').every((r) => r.reason?.startsWith('maxErrors exceeded')),
    ).toBe(true);
    expect(runs.find((r) => r.state === 'failed')?.reason).toBe('exited with code 3');
  });

  it('records a band-aid that hangs as failed, ended at its time limit', async () => {
    h.fleet.behaviour.set('c1', 'hang');
    for (const ask of await banWithBandAid()) await handleBandAidEvent(ask, h.ports);
    const c1 = (await h.store.bandAidRuns(BAN_ID)).find((r) => r.containerId === 'c1');
    expect(c1).toMatchObject({ state: 'failed', exitCode: null, reason: 'ended at its time limit of 5 s' });
  });

  it('records a fleet that cannot be reached as a failed run, not run again', async () => {
    h.fleet.behaviour.set('c1', 'throw');
    const asks = await banWithBandAid();
    for (const ask of asks) await handleBandAidEvent(ask, h.ports);
    for (const ask of asks) await handleBandAidEvent(ask, h.ports);
    const c1 = (await h.store.bandAidRuns(BAN_ID)).find((r) => r.containerId === 'c1');
    expect(c1?.state).toBe('failed');
    expect(c1?.reason).toContain('podman is not answering');
    expect(h.fleet.execs.filter((e) => e.container === 'c1')).toHaveLength(1);
  });

  it('skips a container that stopped, or that now runs another image', async () => {
    const asks = await banWithBandAid();
    h.fleet.containers = h.fleet.containers
      .filter((c) => c.id !== 'c1')
      .map((c) =>
        c.id === 'c2' ? { ...c, imageDigest: digest('other'), configDigest: digest('other-config') } : c,
      );
    for (const ask of asks) await handleBandAidEvent(ask, h.ports);
    const runs = await h.store.bandAidRuns(BAN_ID);
    expect(runs.find((r) => r.containerId === 'c1')).toMatchObject({
      state: 'skipped',
      reason: 'the container is no longer running',
    });
    expect(runs.find((r) => r.containerId === 'c2')).toMatchObject({
      state: 'skipped',
      reason: 'the container no longer runs the affected image',
    });
  });

  it('skips every run when the band-aid is no longer approved by the policy in force', async () => {
    const asks = await banWithBandAid();
    h.policy = { ...h.policy, bandAids: [] };
    for (const ask of asks) await handleBandAidEvent(ask, h.ports);
    expect(h.fleet.execs).toEqual([]);
    const runs = await h.store.bandAidRuns(BAN_ID);
    expect(runs.every((r) => r.state === 'skipped' && r.reason?.includes('no longer approved'))).toBe(true);
  });

  it('skips pending runs of a lifted ban', async () => {
    const asks = await banWithBandAid();
    await respondToUnban(h.unbanned(), h.ports);
    for (const ask of asks) await handleBandAidEvent(ask, h.ports);
    expect(h.fleet.execs).toEqual([]);
  });

  it('runs the ban’s parameters, not a forged event’s, and never in a container the ban did not plan', async () => {
    const asks = await banWithBandAid();
    const ask = asks[0] as BandAidRequestedEvent;
    const forged: BandAidRequestedEvent = {
      ...ask,
      id: 'forged',
      detail: {
        ...ask.detail,
        params: { port: '1; rm -rf /' },
        targets: [
          ...ask.detail.targets,
          { containerId: 'c9', host: 'host-b', imageDigest: digest('unrelated') },
        ],
      },
    };
    await handleBandAidEvent(forged, h.ports);
    expect(h.fleet.execs.map((e) => e.container)).not.toContain('c9');
    expect(h.fleet.execs.every((e) => e.argv.at(-1) === '8080')).toBe(true);
    await handleBandAidEvent({ ...forged, detail: { ...forged.detail, bandAidId: 'other-aid' } }, h.ports);
    expect(h.fleet.execs.every((e) => e.argv.at(-1) === '8080')).toBe(true);
  });

  it('runs nothing for a band-aid the ban did not name', async () => {
    const ask = (await banWithBandAid())[0] as BandAidRequestedEvent;
    await handleBandAidEvent({ ...ask, detail: { ...ask.detail, bandAidId: 'reboot' } }, h.ports);
    expect(h.fleet.execs).toEqual([]);
    expect(Object.values(await states()).every((s) => s === 'pending')).toBe(true);
  });
});
