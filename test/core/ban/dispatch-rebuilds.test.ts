import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { respondToBan } from '../../../core/ban/ban-step.js';
import {
  dispatchRebuilds,
  inProcessLock,
  rebuildBuildId,
  rebuildGateRequestId,
  rebuildSlots,
} from '../../../core/ban/dispatch-rebuilds.js';
import { stableId } from '../../../core/events/ids.js';
import { definitionKey } from '../../../core/ports/ban-store.js';
import { BAN_ID, BanHarness, banPolicy } from './ban-response-harness.js';

let h: BanHarness;
beforeEach(async () => {
  h = new BanHarness();
  await h.seed();
});
afterEach(() => h.close());

describe('dispatchRebuilds', () => {
  it('gives a rebuild the build id the gate derives for it', () => {
    expect(rebuildBuildId('team/two', 'c0ffee', 'Dockerfile', BAN_ID, 2)).toBe(
      stableId('build', 'team/two', 'c0ffee', 'Dockerfile', BAN_ID, '2'),
    );
    expect(rebuildBuildId('team/two', 'c0ffee', 'Dockerfile', BAN_ID, 2)).not.toBe(
      stableId('build', 'team/two', 'c0ffee', 'Dockerfile'),
    );
  });

  it('takes the cap from the policy, else the build concurrency', () => {
    expect(rebuildSlots(banPolicy(), 3)).toBe(3);
    expect(rebuildSlots(banPolicy({ response: { maxConcurrentRebuilds: 5 } }), 3)).toBe(5);
  });

  it('publishes again the gate request of a rebuild moved to dispatched before a crash', async () => {
    await respondToBan(h.banned(), h.ports);
    const dispatched = (await h.store.rebuilds(BAN_ID)).filter((r) => r.state === 'dispatched');
    expect(dispatched).toHaveLength(2);
    // The crash: the state was saved, the event never reached the bus.
    const lost = dispatched[0];
    if (!lost) throw new Error('nothing dispatched');
    h.bus.byId.delete(rebuildGateRequestId(lost));
    await dispatchRebuilds(h.ports);
    expect(h.bus.byId.get(rebuildGateRequestId(lost))?.detail).toMatchObject({
      repository: lost.repository,
      rebuild: { banId: BAN_ID, number: lost.number },
    });
    expect(await h.states()).toMatchObject({ [lost.repository]: 'dispatched' });
  });

  it('counts the rebuilds of every active ban against one cap, and never passes it when called at once', async () => {
    h.buildConcurrency = 1;
    await respondToBan(h.banned(), h.ports);
    await Promise.all([dispatchRebuilds(h.ports), dispatchRebuilds(h.ports), dispatchRebuilds(h.ports)]);
    const states = Object.values(await h.states());
    expect(states.filter((s) => s === 'dispatched')).toHaveLength(1);
  });

  it('starts nothing while the slot is taken, and the waiting rebuild once the slot frees', async () => {
    h.buildConcurrency = 1;
    await respondToBan(h.banned(), h.ports);
    const before = await h.states();
    expect(await dispatchRebuilds(h.ports)).toEqual([]);
    expect(await h.states()).toEqual(before);
    const running = Object.entries(before).find(([, s]) => s === 'dispatched')?.[0] ?? '';
    const r = await h.rebuild(running);
    await h.store.updateRebuild(BAN_ID, definitionKey(r.repository, r.definition), ['dispatched'], {
      state: 'failed',
      reason: 'test',
    });
    expect((await dispatchRebuilds(h.ports)).map((d) => d.state)).toEqual(['dispatched']);
  });
});

describe('inProcessLock', () => {
  it('runs one section at a time, and goes on after a section throws', async () => {
    const lock = inProcessLock();
    const order: string[] = [];
    const section = (name: string, fail = false) =>
      lock.run(async () => {
        order.push(`${name}+`);
        await new Promise((r) => setTimeout(r, 5));
        order.push(`${name}-`);
        if (fail) throw new Error(name);
        return name;
      });
    const results = await Promise.allSettled([section('a'), section('b', true), section('c')]);
    expect(order).toEqual(['a+', 'a-', 'b+', 'b-', 'c+', 'c-']);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });
});
