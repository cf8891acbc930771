import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { respondToBan } from '../../../core/ban/ban-step.js';
import { failureReason, handleRebuildEvent } from '../../../core/ban/rebuild-step.js';
import type { BuildFailedEvent } from '../../../core/events/build-failed.js';
import { teamNotificationFor } from '../../../core/notify/team-notification.js';
import { commit, digest } from '../../contracts/sample-events.js';
import { BAN_ID, BanHarness, BUSYBOX, container } from './ban-response-harness.js';

let h: BanHarness;
beforeEach(async () => {
  h = new BanHarness();
  await h.seed();
});
afterEach(() => h.close());

async function failed(repository: string): Promise<BuildFailedEvent> {
  const r = await h.rebuild(repository);
  return {
    id: `failed-${repository}`,
    source: 'drydock',
    detailType: 'Build Failed',
    time: '2026-12-07T12:05:00.000Z',
    detail: {
      buildId: r.buildId ?? 'none',
      repository,
      commit: r.commit,
      definition: r.definition,
      correlationId: BAN_ID,
      rebuild: { banId: BAN_ID, number: r.number, of: r.of, substitutions: [] },
      stage: 'build',
      reason: 'RUN step exited 1',
      logTail: '',
    },
  };
}

describe('rebuild step', () => {
  it('starts a child only once its base is published, on the base’s new ref@digest', async () => {
    await respondToBan(h.banned(), h.ports);
    expect((await h.rebuild('team/one')).state).toBe('waiting');
    const base = await h.rebuildPublished('ops/bases');
    await handleRebuildEvent(base, h.ports);
    const ops = await h.rebuild('ops/bases');
    expect(ops).toMatchObject({ state: 'published', newRef: base.detail.ref, newDigest: base.detail.digest });
    const child = await h.rebuild('team/one');
    expect(child.state).toBe('dispatched');
    const request = h.bus.of('Definition Gate Requested').find((r) => r.detail.repository === 'team/one');
    expect(request?.detail.rebuild?.substitutions).toEqual([
      expect.objectContaining({
        from: 'registry.local/ops/bases:ops-base',
        to: `${base.detail.ref}@${base.detail.digest}`,
      }),
    ]);
  });

  it('tells the team what was rebuilt on what, with the one-line FROM change', async () => {
    await respondToBan(h.banned(), h.ports);
    await handleRebuildEvent(await h.rebuildPublished('team/two'), h.ports);
    const outcome = h.bus.of('Rebuild Outcome').find((o) => o.detail.repository === 'team/two');
    expect(outcome?.detail).toMatchObject({
      state: 'published',
      banRef: `${BUSYBOX}:1.36.0`,
      banReason: 'CVE-2026-0001',
      commit: commit('app-direct'),
      of: digest('app-direct'),
      base: { from: `${BUSYBOX}:1.36.0`, to: `${BUSYBOX}:1.36.1` },
    });
    expect(outcome?.detail.fromChange).toBe(
      [
        '--- a/app-direct/Dockerfile',
        '+++ b/app-direct/Dockerfile',
        '@@ -2 +2 @@',
        '-FROM --platform=linux/amd64 docker.io/library/busybox:1.36.0',
        `+FROM --platform=linux/amd64 ${BUSYBOX}:1.36.1`,
      ].join('\n'),
    );
    const note = outcome && teamNotificationFor(outcome);
    expect(note?.kind).toBe('rebuild-outcome');
    expect(note?.summary).toContain('Ops banned docker.io/library/busybox:1.36.0 (CVE-2026-0001');
    expect(note?.summary).toContain('-FROM --platform=linux/amd64 docker.io/library/busybox:1.36.0');
  });

  it('a child built on a rebuilt base is told to pin the base’s new tag', async () => {
    await respondToBan(h.banned(), h.ports);
    const base = await h.rebuildPublished('ops/bases');
    await handleRebuildEvent(base, h.ports);
    await handleRebuildEvent(await h.rebuildPublished('team/one'), h.ports);
    const outcome = h.bus.of('Rebuild Outcome').find((o) => o.detail.repository === 'team/one');
    expect(outcome?.detail.fromChange).toContain(`+FROM ${base.detail.ref}\n`.trimEnd());
    expect(outcome?.detail.fromChange).toContain('-FROM registry.local/ops/bases:ops-base');
  });

  it('keeps at most maxConcurrentRebuilds running, definitions with running containers first', async () => {
    h.policy = { ...h.policy, response: { maxConcurrentRebuilds: 1 } } as typeof h.policy;
    h.fleet.containers = [container('c1', 'host-a', 'app-direct', 'team/two')];
    await respondToBan(h.banned(), h.ports);
    expect(await h.states()).toEqual({
      'team/two': 'dispatched',
      'ops/bases': 'ready',
      'team/one': 'waiting',
    });
    await handleRebuildEvent(await h.rebuildPublished('team/two'), h.ports);
    expect(await h.states()).toEqual({
      'team/two': 'published',
      'ops/bases': 'dispatched',
      'team/one': 'waiting',
    });
  });

  it('supersedes a rebuild not started when the team pushed the definition after the ban', async () => {
    h.buildConcurrency = 1;
    await respondToBan(h.banned(), h.ports);
    const waiting = Object.entries(await h.states()).find(([, s]) => s === 'ready')?.[0] ?? '';
    const r = await h.rebuild(waiting);
    h.newest.set(`${r.repository}\u0000${r.definition}`, {
      buildId: 'build-of-a-push',
      repository: r.repository,
      definition: r.definition,
      commit: commit('newer'),
      correlationId: 'definition-pushed-1',
      state: 'queued',
      attempts: 0,
      queuedAt: new Date('2026-12-07T12:02:00Z'),
      updatedAt: new Date('2026-12-07T12:02:00Z'),
      history: [],
    });
    const first = Object.entries(await h.states()).find(([, s]) => s === 'dispatched')?.[0] ?? '';
    await handleRebuildEvent(await h.rebuildPublished(first), h.ports);
    expect((await h.rebuild(waiting)).state).toBe('superseded');
    expect(h.bus.of('Rebuild Outcome').map((o) => [o.detail.repository, o.detail.state])).toContainEqual([
      waiting,
      'superseded',
    ]);
  });

  it('a failed base rebuild fails, and every rebuild waiting on it is reported', async () => {
    await respondToBan(h.banned(), h.ports);
    await handleRebuildEvent(await failed('ops/bases'), h.ports);
    expect(await h.states()).toMatchObject({ 'ops/bases': 'failed', 'team/one': 'reported' });
    const outcomes = h.bus.of('Rebuild Outcome');
    expect(outcomes.find((o) => o.detail.repository === 'ops/bases')?.detail.reason).toBe(
      'build failed: RUN step exited 1',
    );
    expect(outcomes.find((o) => o.detail.repository === 'team/one')?.detail.reason).toContain(
      'its base registry.local/ops/bases:ops-base (failed) was not republished',
    );
    await handleRebuildEvent(await h.rebuildPublished('team/two'), h.ports);
    expect((await h.store.get(BAN_ID))?.remediatedAt).toBeDefined();
  });

  it('does nothing twice for a redelivered Image Published or Build Failed', async () => {
    await respondToBan(h.banned(), h.ports);
    const base = await h.rebuildPublished('ops/bases');
    await handleRebuildEvent(base, h.ports);
    const published = h.bus.order.length;
    const states = await h.states();
    await handleRebuildEvent(base, h.ports);
    await handleRebuildEvent(await failed('ops/bases'), h.ports);
    expect(h.bus.order.length).toBe(published);
    expect(await h.states()).toEqual(states);
  });

  it('tells the outcome again when a crash came between recording it and publishing it', async () => {
    await respondToBan(h.banned(), h.ports);
    const base = await h.rebuildPublished('ops/bases');
    await handleRebuildEvent(base, h.ports);
    const told = h.bus.of('Rebuild Outcome').find((o) => o.detail.repository === 'ops/bases');
    if (!told) throw new Error('no outcome');
    // The crash: the state was saved, the outcome never reached the bus, nor the child's dispatch.
    h.bus.byId.delete(told.id);
    await handleRebuildEvent(base, h.ports);
    expect(h.bus.byId.get(told.id)?.detail).toMatchObject({ state: 'published', ref: base.detail.ref });
  });

  it('ignores an event of another rebuild number or of an unknown ban', async () => {
    await respondToBan(h.banned(), h.ports);
    const base = await h.rebuildPublished('ops/bases');
    const rebuild = base.detail.rebuild;
    if (!rebuild) throw new Error('no rebuild');
    await handleRebuildEvent(
      { ...base, detail: { ...base.detail, rebuild: { ...rebuild, number: 7 } } },
      h.ports,
    );
    await handleRebuildEvent(
      { ...base, detail: { ...base.detail, rebuild: { ...rebuild, banId: 'ban-unknown' } } },
      h.ports,
    );
    expect((await h.rebuild('ops/bases')).state).toBe('dispatched');
  });

  it('says why a verdict or image tests failed', () => {
    expect(
      failureReason({
        id: 'v',
        source: 'drydock',
        detailType: 'Image Tested',
        time: '2026-12-07T12:05:00.000Z',
        detail: {
          buildId: 'b',
          repository: 'team/two',
          commit: commit('x'),
          definition: 'Dockerfile',
          correlationId: BAN_ID,
          imageRef: 'localhost/x',
          configDigest: digest('x'),
          passed: false,
          summary: { tests: 3, failures: 1, skipped: 0, durationMs: 5 },
          failures: [{ name: 'commandTests[0] uid', message: 'want 0' }],
        },
      }),
    ).toBe('image tests failed (1 of 3): commandTests[0] uid');
  });
});
