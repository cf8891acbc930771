import { afterEach, describe, expect, it } from 'vitest';
import { SqliteBuildRecords } from '../../../adapters/local/sqlite-build-records.js';
import { stableId } from '../../../core/events/ids.js';
import type { DrydockEvent } from '../../../core/events/index.js';
import { parseEvent } from '../../../core/events/index.js';
import { buildIdFor, verdictIdFor } from '../../../core/gate/handle-push.js';
import { failBuild, failDeadLettered } from '../../../core/pipeline/fail-build.js';
import { TempState } from '../../contracts/local-state.js';

const COMMIT = '405906c9d5be6ae5393ca65fb0e7c38e0d585ecb';
const clock = { now: () => new Date('2026-11-27T12:00:00Z') };
const states: TempState[] = [];
afterEach(() => {
  for (const s of states.splice(0)) s.close();
});

async function testing(buildId: string, rebuild?: string) {
  const state = new TempState();
  states.push(state);
  const records = new SqliteBuildRecords(state.open());
  const subject = {
    buildId,
    repository: 'payments',
    commit: COMMIT,
    definition: 'web/Dockerfile',
    correlationId: 'push-1',
  };
  await records.enqueue({ ...subject, ...(rebuild ? { rebuild } : {}) });
  await records.transition(buildId, 'building');
  await records.transition(buildId, 'testing');
  return { records, subject };
}

describe('failBuild', () => {
  it('fails the record and tells the team with Build Failed, the same event on a redelivery', async () => {
    const { records, subject } = await testing('build-web');
    const event = await failBuild(subject, 'push', 'registry refused the push', { records, clock });
    expect(parseEvent(event).ok).toBe(true);
    expect(event.detail).toMatchObject({
      buildId: 'build-web',
      stage: 'push',
      reason: 'registry refused the push',
    });
    expect(event.detail).not.toHaveProperty('rebuild');
    expect(await records.get('build-web')).toMatchObject({
      state: 'failed',
      error: 'push: registry refused the push',
    });
    expect(await failBuild(subject, 'push', 'registry refused the push', { records, clock })).toEqual(event);
  });

  it("carries a rebuild on, with an id apart from the push's failure of the same commit", async () => {
    const { records, subject } = await testing('rebuild-web', 'ban-1#1');
    const rebuild = { banId: 'ban-1', number: 1, of: `sha256:${'e'.repeat(64)}`, substitutions: [] };
    const event = await failBuild({ ...subject, rebuild }, 'test', 'sandbox gone', { records, clock });
    expect(parseEvent(event).ok).toBe(true);
    expect(event.detail).toMatchObject({ buildId: 'rebuild-web', stage: 'test', rebuild });
    const push = await failBuild(subject, 'test', 'sandbox gone', { records, clock });
    expect(event.id).not.toBe(push.id);
    expect(await records.get('rebuild-web')).toMatchObject({ state: 'failed', rebuild: 'ban-1#1' });
  });
});

const REBUILD = { banId: 'ban-1', number: 1, of: `sha256:${'e'.repeat(64)}`, substitutions: [] };
const CONFIG = `sha256:${'c'.repeat(64)}`;
const DEAD = 'exceeded 3 receives; last error: released after a restart';

function gateRequest(rebuild = true): DrydockEvent {
  return {
    id: 'gate-requested-web',
    source: 'drydock',
    detailType: 'Definition Gate Requested',
    time: '2026-11-27T11:00:00.000Z',
    detail: {
      repository: 'payments',
      commit: COMMIT,
      definition: 'web/Dockerfile',
      change: 'modified',
      correlationId: 'ban-1',
      ...(rebuild ? { rebuild: REBUILD } : {}),
    },
  };
}

function buildCompleted(buildId: string): DrydockEvent {
  return {
    id: 'build-completed-web',
    source: 'drydock',
    detailType: 'Build Completed',
    time: '2026-11-27T11:00:00.000Z',
    detail: {
      buildId,
      repository: 'payments',
      commit: COMMIT,
      definition: 'web/Dockerfile',
      correlationId: 'push-1',
      imageRef: `localhost/drydock-build/${buildId}:latest`,
      configDigest: CONFIG,
      bases: [],
      durationMs: 1,
      logTail: '',
    },
  } as DrydockEvent;
}

describe('failDeadLettered', () => {
  const never = async () => false;

  it("fails a rebuild's gate request that never reached a verdict, under the build id the gate would give", async () => {
    const { records } = await testing('other-build');
    const event = await failDeadLettered(
      { queue: 'gate', event: gateRequest(), reason: DEAD },
      { records, clock, logged: never },
    );
    expect(event && parseEvent(event).ok).toBe(true);
    expect(event?.detail).toMatchObject({
      buildId: buildIdFor('payments', COMMIT, 'web/Dockerfile', REBUILD),
      stage: 'gate',
      reason: `its gate message was dead-lettered: ${DEAD}`,
      rebuild: REBUILD,
      correlationId: 'ban-1',
    });
  });

  it("cuts a long dead-letter reason (a handler's last error) to 1000 characters", async () => {
    const { records } = await testing('build-web');
    const work = { queue: 'test', event: buildCompleted('build-web'), reason: `x${'y'.repeat(5000)}` };
    const event = await failDeadLettered(work, { records, clock, logged: async () => false });
    expect(event?.detail.reason).toBe(`its test message was dead-lettered: x${'y'.repeat(999)}…`);
  });

  it('leaves a gate request whose verdict is logged, or whose build the build step has', async () => {
    const { records } = await testing('other-build', 'ban-9#1');
    const verdict = verdictIdFor('payments', COMMIT, 'web/Dockerfile', REBUILD);
    const logged = async (id: string) => id === verdict;
    const work = { queue: 'gate', event: gateRequest(), reason: DEAD };
    expect(await failDeadLettered(work, { records, clock, logged })).toBeUndefined();
    await records.enqueue({
      buildId: buildIdFor('payments', COMMIT, 'web/Dockerfile', REBUILD),
      repository: 'payments',
      definition: 'web/Dockerfile',
      commit: COMMIT,
      correlationId: 'ban-1',
      rebuild: 'ban-1#1',
    });
    expect(await failDeadLettered(work, { records, clock, logged: never })).toBeUndefined();
    // The push's gate request of the same commit is another build: it is ended.
    const push = { queue: 'gate', event: gateRequest(false), reason: DEAD };
    expect((await failDeadLettered(push, { records, clock, logged: never }))?.detail.stage).toBe('gate');
  });

  it('fails a build whose tests never reported, and leaves one whose Image Tested is logged', async () => {
    const { records } = await testing('build-web');
    const work = { queue: 'test', event: buildCompleted('build-web'), reason: DEAD };
    const tested = stableId('image-tested', 'build-web', CONFIG);
    expect(
      await failDeadLettered(work, { records, clock, logged: async (id) => id === tested }),
    ).toBeUndefined();
    expect((await records.get('build-web'))?.state).toBe('testing');
    const event = await failDeadLettered(work, { records, clock, logged: never });
    expect(event?.detail).toMatchObject({ stage: 'test', buildId: 'build-web' });
    expect(await records.get('build-web')).toMatchObject({
      state: 'failed',
      error: `test: ${event?.detail.reason}`,
    });
  });

  it('never fails a published build, and ignores queues that run no build step', async () => {
    const { records } = await testing('build-web');
    await records.transition('build-web', 'pushing');
    await records.transition('build-web', 'published', { imageDigest: `sha256:${'d'.repeat(64)}` });
    const tested = { ...buildCompleted('build-web'), detailType: 'Image Tested' } as DrydockEvent;
    expect(
      await failDeadLettered(
        { queue: 'publish', event: tested, reason: DEAD },
        { records, clock, logged: never },
      ),
    ).toBeUndefined();
    const other = await testing('build-api');
    expect(
      await failDeadLettered(
        { queue: 'notify', event: buildCompleted('build-api'), reason: DEAD },
        { records: other.records, clock, logged: never },
      ),
    ).toBeUndefined();
    expect((await other.records.get('build-api'))?.state).toBe('testing');
  });
});
