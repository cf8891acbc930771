import { afterEach, describe, expect, it } from 'vitest';
import { SqliteBanStore } from '../../../adapters/local/sqlite-ban-store.js';
import { SqliteBuildRecords } from '../../../adapters/local/sqlite-build-records.js';
import type { StateDatabase } from '../../../adapters/local/sqlite-database.js';
import { SqliteEventLog } from '../../../adapters/local/sqlite-event-log.js';
import { SqliteLineageStore } from '../../../adapters/local/sqlite-lineage-store.js';
import { dispatchRebuilds, inProcessLock } from '../../../core/ban/dispatch-rebuilds.js';
import { handleRebuildEvent, type RebuildStepPorts } from '../../../core/ban/rebuild-step.js';
import { DrydockError } from '../../../core/errors.js';
import type { BuildRequestedEvent } from '../../../core/events/build-requested.js';
import { LOCAL_EVENT_RULES } from '../../../core/events/rules.js';
import { failBuild } from '../../../core/pipeline/fail-build.js';
import { parsePolicy } from '../../../core/policy/parse-policy.js';
import { definitionKey, type PlannedRebuild, type RebuildRecord } from '../../../core/ports/ban-store.js';
import { systemClock } from '../../../core/ports/clock.js';
import { LocalEventBus } from '../../../runtime/local/local-event-bus.js';
import { pipelineQueues } from '../../../runtime/local/open-local-pipeline.js';
import {
  drainOnce,
  endDeadLetteredBuilds,
  redriveAwaitedRebuildEvents,
} from '../../../runtime/local/queue-worker.js';
import { TempState } from '../../contracts/local-state.js';
import { commit, digest } from '../../contracts/sample-events.js';

const states: TempState[] = [];
afterEach(() => {
  for (const s of states.splice(0)) s.close();
});

const BUSYBOX = 'docker.io/library/busybox';
const substitution = { from: `${BUSYBOX}:1.36.0`, to: `${BUSYBOX}:1.36.1`, rule: 'ban replacement' };

function planned(repository: string, extra: Partial<PlannedRebuild> = {}): PlannedRebuild {
  return {
    repository,
    definition: 'Dockerfile',
    commit: commit(repository),
    of: digest(repository),
    ofRef: `127.0.0.1:5000/${repository}:old`,
    depth: 0,
    waitsFor: [],
    substitutions: [substitution],
    runningContainers: 0,
    ...extra,
  };
}

// The local pipeline's state, queues, bus and ban store on a real SQLite file; one rebuild slot.
function pipeline() {
  const state = new TempState();
  states.push(state);
  const db: StateDatabase = state.open();
  const queues = pipelineQueues(db, { maxReceives: 3, visibilityTimeoutMs: 60_000 });
  const log = new SqliteEventLog(db);
  const bus = new LocalEventBus(log, queues, LOCAL_EVENT_RULES);
  const records = new SqliteBuildRecords(db);
  const store = new SqliteBanStore(db);
  const ports: RebuildStepPorts = {
    store,
    lineage: new SqliteLineageStore(db),
    records,
    bus,
    clock: systemClock,
    policy: async () => parsePolicy(`version: 1\nallowed:\n  - image: busybox\n    versions: "^1"\n`),
    lock: inProcessLock(),
    buildConcurrency: 1,
    source: { read: async () => undefined },
  };
  const deps = { records, bus, clock: systemClock, logged: async (id: string) => !!(await log.get(id)) };
  const drain = async (name: string, handle: (e: never) => Promise<void>) => {
    const queue = queues[name];
    if (!queue) throw new Error(`no queue ${name}`);
    await bus.route();
    while ((await drainOnce(queue, handle as never, { maxReceives: 3, retryDelayMs: 0 })).handled > 0) {
      await bus.route();
    }
  };
  return { queues, bus, records, store, ports, deps, drain, log };
}

async function banWithRebuilds(p: ReturnType<typeof pipeline>, banId: string, rebuilds: PlannedRebuild[]) {
  // One active ban per ref: each ban here bans its own tag.
  await p.store.create({
    banId,
    ref: `${BUSYBOX}:1.36.0-${banId}`,
    reason: 'CVE-2026-0001',
    replacement: `${BUSYBOX}:1.36.1`,
    bandAids: [],
    by: 'ops',
    at: '2026-12-07T12:00:00.000Z',
  });
  return p.store.addRebuilds(banId, rebuilds);
}

// What the gate publishes for a definition that passed (a rebuild's when `r` has a ban): the build step's request.
function buildRequest(r: {
  buildId: string;
  repository: string;
  commit: string;
  banId?: string;
  of?: string;
}): BuildRequestedEvent {
  return {
    id: `build-requested-${r.buildId}`,
    source: 'drydock',
    detailType: 'Build Requested',
    time: new Date().toISOString(),
    detail: {
      buildId: r.buildId,
      repository: r.repository,
      commit: r.commit,
      definition: 'Dockerfile',
      correlationId: r.banId ?? 'push-1',
      ...(r.banId && r.of
        ? { rebuild: { banId: r.banId, number: 1, of: r.of, substitutions: [substitution] } }
        : {}),
      dockerfile: `FROM ${BUSYBOX}:1.36.1\n`,
      substitutions: [],
    },
  };
}

async function loggedCount(p: ReturnType<typeof pipeline>): Promise<number> {
  return (await p.log.readAfter(0, 10_000)).length;
}

const byRepo = (rebuilds: readonly RebuildRecord[]) =>
  Object.fromEntries(rebuilds.map((r) => [r.repository, r]));

describe('endDeadLetteredBuilds', () => {
  it('ends a rebuild whose build message three crashes dead-lettered, frees its slot for another ban', async () => {
    const p = pipeline();
    const base = definitionKey('ops/base', 'Dockerfile');
    await banWithRebuilds(p, 'ban-a', [
      planned('ops/base', { runningContainers: 5 }),
      planned('team/app', { depth: 1, waitsFor: [base], runningContainers: 1 }),
    ]);
    await banWithRebuilds(p, 'ban-b', [planned('team/other')]);
    expect((await dispatchRebuilds(p.ports)).map((r) => r.repository)).toEqual(['ops/base']);
    const dispatched = byRepo(await p.store.rebuilds('ban-a'))['ops/base'] as RebuildRecord;

    // The gate passed it on; the build step took the request and was killed while building, three times.
    await p.bus.route();
    const gate = await p.queues.gate?.receive();
    await p.queues.gate?.ack(gate?.[0]?.receiptHandle ?? '');
    await p.bus.publish([buildRequest({ ...dispatched, buildId: dispatched.buildId as string })]);
    await p.bus.route();
    const buildId = dispatched.buildId as string;
    await p.records.enqueue({
      buildId,
      repository: 'ops/base',
      definition: 'Dockerfile',
      commit: dispatched.commit,
      correlationId: 'ban-a',
      rebuild: 'ban-a#1',
    });
    await p.records.transition(buildId, 'building');
    for (let kill = 1; kill <= 3; kill++) {
      expect((await p.queues.build?.receive())?.[0]?.receiveCount).toBe(kill);
      p.queues.build?.recoverInFlight();
    }
    // Without the sweep nothing ends it: the rebuild keeps the only slot and ban-b's rebuild never starts.
    await p.drain('rebuilds', (e) => handleRebuildEvent(e, p.ports));
    expect(byRepo(await p.store.rebuilds('ban-a'))['ops/base']?.state).toBe('dispatched');

    const ended = await endDeadLetteredBuilds(p.queues, p.deps);
    expect(ended.map((e) => [e.detail.buildId, e.detail.stage])).toEqual([[buildId, 'build']]);
    expect((await p.queues.build?.deadLetters())?.length).toBe(1);
    await p.drain('rebuilds', (e) => handleRebuildEvent(e, p.ports));

    const a = byRepo(await p.store.rebuilds('ban-a'));
    expect(a['ops/base']).toMatchObject({ state: 'failed' });
    expect(a['ops/base']?.reason).toMatch(
      /^build failed: its build message was dead-lettered: exceeded 3 receives; last error: released after a restart/,
    );
    expect(a['team/app']).toMatchObject({ state: 'reported' });
    expect((await p.store.get('ban-a'))?.remediatedAt).toBeDefined();
    expect(byRepo(await p.store.rebuilds('ban-b'))['team/other']?.state).toBe('dispatched');
    expect((await p.records.get(buildId))?.state).toBe('failed');

    // A second sweep (the next start) publishes nothing again: nothing changes, nobody is told twice.
    const logged = await loggedCount(p);
    expect(await endDeadLetteredBuilds(p.queues, p.deps)).toEqual([]);
    await p.drain('rebuilds', (e) => handleRebuildEvent(e, p.ports));
    expect(await loggedCount(p)).toBe(logged);
  });

  it('ends a push build whose build step failed for good and tells the team', async () => {
    const p = pipeline();
    await p.bus.publish([
      buildRequest({ buildId: 'build-web', repository: 'team/web', commit: commit('web') }),
    ]);
    await p.drain('build', async () => {
      throw new DrydockError('workspace unusable', { code: 'TEST_FAULT' });
    });
    const ended = await endDeadLetteredBuilds(p.queues, p.deps);
    expect(ended.map((e) => e.detail.reason)).toEqual([
      'its build message was dead-lettered: DrydockError: workspace unusable',
    ]);
    await p.bus.route();
    const note = await p.queues.notify?.receive();
    expect(note?.[0]?.body.event).toMatchObject({
      detailType: 'Build Failed',
      detail: { buildId: 'build-web' },
    });
  });

  it('leaves a build the next step already has', async () => {
    const p = pipeline();
    const web = { buildId: 'build-web', repository: 'team/web', commit: commit('web') };
    await p.bus.publish([buildRequest({ ...web, banId: 'ban-y', of: digest('web') })]);
    await p.records.enqueue({
      buildId: 'build-web',
      repository: 'team/web',
      definition: 'Dockerfile',
      commit: web.commit,
      correlationId: 'ban-y',
      rebuild: 'ban-y#1',
    });
    await p.records.transition('build-web', 'building');
    await p.records.transition('build-web', 'testing');
    // Killed after the build finished but before the message was acknowledged, three times.
    await p.drain('build', async () => {
      throw new Error('killed');
    });
    await p.drain('build', async () => {
      throw new Error('killed');
    });
    await p.drain('build', async () => {
      throw new Error('killed');
    });
    expect((await p.queues.build?.deadLetters())?.length).toBe(1);
    expect(await endDeadLetteredBuilds(p.queues, p.deps)).toEqual([]);
    expect((await p.records.get('build-web'))?.state).toBe('testing');
  });
});

describe('redriveAwaitedRebuildEvents', () => {
  it("sends back the rebuild step's dead letter a dispatched rebuild waits for, and no other", async () => {
    const p = pipeline();
    await banWithRebuilds(p, 'ban-a', [planned('team/web')]);
    await dispatchRebuilds(p.ports);
    const web = byRepo(await p.store.rebuilds('ban-a'))['team/web'] as RebuildRecord;
    const rebuild = { banId: 'ban-a', number: web.number, of: web.of, substitutions: [substitution] };
    const subject = { ...web, buildId: web.buildId as string, correlationId: 'ban-a' };
    const failed = await failBuild({ ...subject, rebuild }, 'build', 'buildah exited 1', p.deps);
    // One for a rebuild number the ban never had: nothing waits for it.
    const stray = await failBuild(
      { ...subject, buildId: 'stray', commit: commit('stray'), rebuild: { ...rebuild, number: 7 } },
      'build',
      'buildah exited 1',
      p.deps,
    );
    await p.bus.publish([failed, stray]);
    // The rebuild step is killed on every receive of both.
    for (let kill = 0; kill < 3; kill++) {
      await p.drain('rebuilds', async () => {
        throw new Error('killed');
      });
    }
    expect((await p.queues.rebuilds?.deadLetters())?.length).toBe(2);
    expect(web.state).toBe('dispatched');

    expect(await redriveAwaitedRebuildEvents(p.queues.rebuilds as never, p.store)).toBe(1);
    await p.drain('rebuilds', (e) => handleRebuildEvent(e, p.ports));
    expect(byRepo(await p.store.rebuilds('ban-a'))['team/web']).toMatchObject({
      state: 'failed',
      reason: 'build failed: buildah exited 1',
    });
    expect((await p.store.get('ban-a'))?.remediatedAt).toBeDefined();
    // The stray one stays dead-lettered, and the ended rebuild's event is not sent again.
    expect((await p.queues.rebuilds?.deadLetters())?.map((d) => d.body.event.id)).toEqual([stray.id]);
    expect(await redriveAwaitedRebuildEvents(p.queues.rebuilds as never, p.store)).toBe(0);
  });
});
