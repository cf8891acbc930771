import { describe, expect, it } from 'vitest';
import { DrydockError } from '../../core/errors.js';
import {
  BuildNotFoundError,
  type BuildRecords,
  type BuildRequest,
  BuildTransitionError,
} from '../../core/ports/build-records.js';
import { type ContractHarness, ManualClock } from './manual-clock.js';
import { commit, digest } from './sample-events.js';

const request = (buildId: string, definition = 'services/api/Dockerfile'): BuildRequest => ({
  buildId,
  repository: 'team/apps',
  definition,
  commit: commit('c1'),
  correlationId: `push-${buildId}`,
});

/** The behaviour every BuildRecords adapter must have. */
export function buildRecordsContract(
  name: string,
  make: (clock: ManualClock) => ContractHarness<BuildRecords>,
): void {
  const withRecords = async (
    fn: (r: BuildRecords, clock: ManualClock, h: ContractHarness<BuildRecords>) => Promise<void>,
  ) => {
    const clock = new ManualClock();
    const h = make(clock);
    try {
      await fn(h.subject, clock, h);
    } finally {
      h.close();
    }
  };

  describe(`BuildRecords contract: ${name}`, () => {
    it('queues one build per (repository, definition, commit)', () =>
      withRecords(async (records, clock) => {
        const first = await records.enqueue(request('b1'));
        expect(first.created).toBe(true);
        expect(first.record).toMatchObject({
          buildId: 'b1',
          state: 'queued',
          attempts: 0,
          queuedAt: clock.now(),
        });
        const again = await records.enqueue(request('b2'));
        expect(again).toEqual({ record: first.record, created: false });
        expect(await records.get('b2')).toBeUndefined();
        expect((await records.enqueue(request('b3', 'other/Dockerfile'))).created).toBe(true);
      }));

    it('moves through the states with timestamps, duration and details', () =>
      withRecords(async (records, clock) => {
        await records.enqueue(request('b1'));
        clock.advance(1_000);
        const started = clock.now();
        await records.transition('b1', 'building', { logPath: '.drydock/logs/b1.log' });
        clock.advance(60_000);
        await records.transition('b1', 'testing');
        clock.advance(5_000);
        await records.transition('b1', 'pushing');
        clock.advance(2_000);
        const done = await records.transition('b1', 'published', { imageDigest: digest('app') });
        expect(done).toMatchObject({
          state: 'published',
          attempts: 1,
          startedAt: started,
          finishedAt: clock.now(),
          durationMs: 67_000,
          logPath: '.drydock/logs/b1.log',
          imageDigest: digest('app'),
        });
        expect(done.history.map((h) => h.state)).toEqual([
          'queued',
          'building',
          'testing',
          'pushing',
          'published',
        ]);
        expect(
          await records.find({
            repository: 'team/apps',
            definition: 'services/api/Dockerfile',
            commit: commit('c1'),
          }),
        ).toEqual(done);
      }));

    it('refuses forbidden transitions and unknown builds', () =>
      withRecords(async (records) => {
        await records.enqueue(request('b1'));
        const skip = records.transition('b1', 'published');
        await expect(skip).rejects.toBeInstanceOf(BuildTransitionError);
        await expect(skip).rejects.toMatchObject({
          code: 'BUILD_TRANSITION_INVALID',
          from: 'queued',
          to: 'published',
        });
        await records.transition('b1', 'failed', { error: 'base image pull failed' });
        await expect(records.transition('b1', 'building')).rejects.toBeInstanceOf(DrydockError);
        await expect(records.transition('nope', 'building')).rejects.toBeInstanceOf(BuildNotFoundError);
        expect((await records.get('b1'))?.error).toBe('base image pull failed');
      }));

    it('restarts an interrupted build and ignores repeated steps', () =>
      withRecords(async (records, clock) => {
        await records.enqueue(request('b1'));
        const first = clock.now();
        await records.transition('b1', 'building');
        await records.transition('b1', 'testing');
        clock.advance(10_000);
        const restarted = await records.transition('b1', 'building');
        expect(restarted).toMatchObject({ state: 'building', attempts: 2, startedAt: first });
        await records.transition('b1', 'testing');
        await records.transition('b1', 'pushing');
        await records.transition('b1', 'pushing');
        const published = await records.transition('b1', 'published');
        clock.advance(10_000);
        expect(await records.transition('b1', 'published')).toEqual(published);
        expect(published.history.map((h) => h.state)).toEqual([
          'queued',
          'building',
          'testing',
          'building',
          'testing',
          'pushing',
          'published',
        ]);
      }));

    it('lists builds newest first, by state when asked', () =>
      withRecords(async (records, clock) => {
        for (const d of ['a', 'b', 'c']) {
          await records.enqueue(request(`b-${d}`, `${d}/Dockerfile`));
          clock.advance(1);
        }
        await records.transition('b-b', 'building');
        expect((await records.list()).map((r) => r.buildId)).toEqual(['b-c', 'b-b', 'b-a']);
        expect((await records.list({ states: ['building'] })).map((r) => r.buildId)).toEqual(['b-b']);
        expect((await records.list({ states: ['queued'], limit: 1 })).map((r) => r.buildId)).toEqual(['b-c']);
      }));

    it("keeps each rebuild of a commit apart from the push's build of it", () =>
      withRecords(async (records) => {
        const push = (await records.enqueue(request('b1'))).record;
        expect(push).not.toHaveProperty('rebuild');
        const rebuild = await records.enqueue({ ...request('r1'), rebuild: 'ban-1#1' });
        expect(rebuild.created).toBe(true);
        expect(rebuild.record).toMatchObject({ buildId: 'r1', rebuild: 'ban-1#1', state: 'queued' });
        expect((await records.enqueue({ ...request('r2'), rebuild: 'ban-2#1' })).created).toBe(true);
        // Asked again under another id: the same rebuild, not a third build.
        expect(await records.enqueue({ ...request('r1-again'), rebuild: 'ban-1#1' })).toEqual({
          record: rebuild.record,
          created: false,
        });
        // '' is a push's build, as absent is.
        expect((await records.enqueue({ ...request('b1-again'), rebuild: '' })).record.buildId).toBe('b1');
        const key = { repository: 'team/apps', definition: 'services/api/Dockerfile', commit: commit('c1') };
        expect((await records.find(key))?.buildId).toBe('b1');
        expect((await records.find({ ...key, rebuild: '' }))?.buildId).toBe('b1');
        expect((await records.find({ ...key, rebuild: 'ban-1#1' }))?.buildId).toBe('r1');
        expect(await records.find({ ...key, rebuild: 'ban-1#2' })).toBeUndefined();
      }));

    it('refuses a build id that another (definition, commit, rebuild) already has', () =>
      withRecords(async (records) => {
        await records.enqueue(request('b1'));
        // A rebuild cannot take over the push's record by naming its build id.
        const taken = records.enqueue({ ...request('b1'), rebuild: 'ban-1#1' });
        await expect(taken).rejects.toBeInstanceOf(DrydockError);
        await expect(taken).rejects.toMatchObject({ code: 'BUILD_ID_CONFLICT' });
        expect(await records.get('b1')).not.toHaveProperty('rebuild');
      }));

    it('finds the newest build of a definition, push or rebuild', () =>
      withRecords(async (records, clock) => {
        const api = 'services/api/Dockerfile';
        expect(await records.newestFor('team/apps', api)).toBeUndefined();
        await records.enqueue(request('push-c1'));
        clock.advance(1_000);
        await records.enqueue({ ...request('rebuild-c1'), rebuild: 'ban-1#1' });
        await records.enqueue(request('other', 'other/Dockerfile'));
        expect(await records.newestFor('team/apps', api)).toMatchObject({
          buildId: 'rebuild-c1',
          rebuild: 'ban-1#1',
          queuedAt: clock.now(),
        });
        clock.advance(1_000);
        await records.enqueue({ ...request('push-c2'), commit: commit('c2') });
        const newest = await records.newestFor('team/apps', api);
        expect(newest).toMatchObject({ buildId: 'push-c2', commit: commit('c2'), queuedAt: clock.now() });
        expect(newest).not.toHaveProperty('rebuild');
        // Queued in the same millisecond: the one queued later is newer.
        await records.enqueue({ ...request('rebuild-c2'), commit: commit('c2'), rebuild: 'ban-1#1' });
        expect((await records.newestFor('team/apps', api))?.buildId).toBe('rebuild-c2');
        expect(await records.newestFor('team/other', api)).toBeUndefined();
        expect(await records.newestFor('team/apps', 'services/api')).toBeUndefined();
      }));

    it('shows committed state to a second connection', () =>
      withRecords(async (records, _clock, h) => {
        await records.enqueue(request('b1'));
        await records.transition('b1', 'building');
        const other = h.reopen();
        expect((await other.get('b1'))?.state).toBe('building');
        expect((await other.enqueue(request('b9'))).record.buildId).toBe('b1');
      }));
  });
}
