import { describe, expect, it } from 'vitest';
import {
  BanNotFoundError,
  type BanStore,
  definitionKey,
  type MarkedImage,
  type NewBan,
  type PlannedRebuild,
} from '../../core/ports/ban-store.js';
import { type ContractHarness, ManualClock } from './manual-clock.js';
import { commit, digest } from './sample-events.js';

const BUSYBOX = 'docker.io/library/busybox:1.36.0';

/** A ban of `ref` with id `banId`, published at `at`. */
export const newBan = (banId: string, ref = BUSYBOX, at = '2025-03-14T09:00:00.000Z'): NewBan => ({
  banId,
  ref,
  reason: `CVE-2025-0001 in ${ref}`,
  replacement: 'docker.io/library/busybox:1.36.1',
  bandAids: [{ id: 'restart-httpd', params: { signal: 'HUP' } }],
  by: 'ops@example.org',
  at,
});

/** An image named `name` marked at `depth`. */
export const marked = (name: string, depth = 1): MarkedImage => ({
  digest: digest(name),
  configDigest: digest(`${name}-config`),
  ref: `registry.local/team/${name}@${digest(name)}`,
  repository: name.startsWith('ops') ? 'ops/bases' : 'team/apps',
  definition: `${name}/Dockerfile`,
  depth,
});

/** The planned rebuild of the definition of the image named `name`. */
export const planned = (name: string, extra: Partial<PlannedRebuild> = {}): PlannedRebuild => ({
  repository: name.startsWith('ops') ? 'ops/bases' : 'team/apps',
  definition: `${name}/Dockerfile`,
  commit: commit(name),
  of: digest(name),
  ofRef: `registry.local/team/${name}@${digest(name)}`,
  depth: 1,
  waitsFor: [],
  substitutions: [{ from: BUSYBOX, to: 'docker.io/library/busybox:1.36.1', rule: 'ban replacement' }],
  runningContainers: 0,
  ...extra,
});

const keyOf = (name: string): string => definitionKey(planned(name).repository, planned(name).definition);

const run = (container: string, banId = 'ban-1', bandAidId = 'restart-httpd') => ({
  banId,
  bandAidId,
  containerId: container,
  host: `host-${container.slice(-1)}`,
  imageDigest: digest('app'),
});

/** The behaviour every BanStore adapter must have. */
export function banStoreContract(
  name: string,
  make: (clock: ManualClock) => ContractHarness<BanStore>,
): void {
  const withStore = async (
    fn: (s: BanStore, clock: ManualClock, h: ContractHarness<BanStore>) => Promise<void>,
  ) => {
    const clock = new ManualClock();
    const h = make(clock);
    try {
      await fn(h.subject, clock, h);
    } finally {
      h.close();
    }
  };

  describe(`BanStore contract: ${name}`, () => {
    it('records a ban once per active ref and returns the first one again', () =>
      withStore(async (s) => {
        const first = await s.create(newBan('ban-1'));
        expect(first.created).toBe(true);
        expect(first.ban).toEqual({ ...newBan('ban-1'), state: 'active' });
        expect(await s.create(newBan('ban-1'))).toEqual({ ban: first.ban, created: false });
        // Another id for the same ref is the same ban published twice: nothing new.
        expect(await s.create({ ...newBan('ban-2'), reason: 'other' })).toEqual({
          ban: first.ban,
          created: false,
        });
        expect(await s.get('ban-2')).toBeUndefined();
        expect(await s.activeFor(BUSYBOX)).toEqual(first.ban);
        expect(await s.activeFor('docker.io/library/busybox:1.36.1')).toBeUndefined();
        expect(await s.get('nope')).toBeUndefined();
      }));

    it('keeps a ban without replacement or band-aids as it came', () =>
      withStore(async (s) => {
        const { replacement: _, ...bare } = { ...newBan('ban-1'), bandAids: [] };
        const { ban } = await s.create(bare);
        expect(ban).toEqual({ ...bare, state: 'active' });
        expect('replacement' in ban).toBe(false);
        expect(await s.get('ban-1')).toEqual(ban);
      }));

    it('lifts a ban once, and a new ban of the same ref after it is a new ban', () =>
      withStore(async (s) => {
        await s.create(newBan('ban-1'));
        const lifted = await s.lift('ban-1', 'ops2@example.org', '2025-03-14T10:00:00.000Z');
        expect(lifted).toMatchObject({
          state: 'lifted',
          liftedBy: 'ops2@example.org',
          liftedAt: '2025-03-14T10:00:00.000Z',
        });
        expect(await s.lift('ban-1', 'someone-else', '2025-03-14T11:00:00.000Z')).toEqual(lifted);
        expect(await s.lift('nope', 'x', '2025-03-14T11:00:00.000Z')).toBeUndefined();
        expect(await s.activeFor(BUSYBOX)).toBeUndefined();
        // The lifted ban redelivered stays what it is: a redelivery must not ban again.
        expect(await s.create(newBan('ban-1'))).toEqual({ ban: lifted, created: false });
        const again = await s.create(newBan('ban-2', BUSYBOX, '2025-03-14T12:00:00.000Z'));
        expect(again.created).toBe(true);
        expect(await s.activeFor(BUSYBOX)).toEqual(again.ban);
        expect((await s.list()).map((b) => [b.banId, b.state])).toEqual([
          ['ban-2', 'active'],
          ['ban-1', 'lifted'],
        ]);
      }));

    it('lists bans newest first by when they were recorded', () =>
      withStore(async (s) => {
        // Recorded order, not the `at` text, decides: clocks of publishers differ.
        await s.create(newBan('b-z', 'docker.io/library/a:1', '2025-03-14T12:00:00.000Z'));
        await s.create(newBan('b-a', 'docker.io/library/b:1', '2025-03-14T09:00:00.000Z'));
        await s.create(newBan('b-m', 'docker.io/library/c:1', '2025-03-14T10:00:00.000Z'));
        expect((await s.list()).map((b) => b.banId)).toEqual(['b-m', 'b-a', 'b-z']);
      }));

    it('stamps each time once and refuses an unknown ban', () =>
      withStore(async (s) => {
        await s.create(newBan('ban-1'));
        const t1 = '2025-03-14T09:00:01.000Z';
        const t2 = '2025-03-14T09:00:09.000Z';
        expect(await s.stamp('ban-1', 'plannedAt', t1)).toMatchObject({ plannedAt: t1 });
        expect((await s.stamp('ban-1', 'plannedAt', t2)).plannedAt).toBe(t1);
        await s.stamp('ban-1', 'protectedAt', t2);
        const ban = await s.stamp('ban-1', 'remediatedAt', t2);
        expect(ban).toMatchObject({ plannedAt: t1, protectedAt: t2, remediatedAt: t2 });
        expect(await s.get('ban-1')).toEqual(ban);
        await expect(s.stamp('nope', 'plannedAt', t1)).rejects.toBeInstanceOf(BanNotFoundError);
        await expect(s.stamp('nope', 'plannedAt', t1)).rejects.toMatchObject({ code: 'BAN_NOT_FOUND' });
      }));

    it('marks images once and returns them by depth', () =>
      withStore(async (s) => {
        await s.create(newBan('ban-1'));
        expect(await s.markUnsupported('ban-1', [marked('app', 2), marked('ops-base', 1)])).toBe(2);
        expect(await s.markUnsupported('ban-1', [marked('app', 2), marked('other', 1)])).toBe(1);
        expect(await s.markUnsupported('ban-1', [])).toBe(0);
        const byDepth = await s.marked('ban-1');
        expect(byDepth.map((m) => m.depth)).toEqual([1, 1, 2]);
        expect(byDepth).toContainEqual(marked('app', 2));
        expect(await s.marked('nope')).toEqual([]);
        await expect(s.markUnsupported('nope', [marked('app')])).rejects.toBeInstanceOf(BanNotFoundError);
      }));

    it('tells which digests, manifest or config, an active ban marks, and why', () =>
      withStore(async (s) => {
        await s.create(newBan('ban-1'));
        await s.create({ ...newBan('ban-2', 'docker.io/library/alpine:3.18'), reason: 'end of life' });
        await s.markUnsupported('ban-1', [marked('app'), marked('shared')]);
        await s.markUnsupported('ban-2', [marked('shared')]);
        const support = await s.supportOf([
          digest('app'),
          digest('shared-config'),
          digest('unrelated'),
          digest('app'),
        ]);
        expect([...support.keys()].sort()).toEqual([digest('app'), digest('shared-config')].sort());
        expect(support.get(digest('app'))).toEqual([
          { banId: 'ban-1', reason: `CVE-2025-0001 in ${BUSYBOX}` },
        ]);
        expect(support.get(digest('shared-config'))).toEqual([
          { banId: 'ban-1', reason: `CVE-2025-0001 in ${BUSYBOX}` },
          { banId: 'ban-2', reason: 'end of life' },
        ]);
        expect((await s.supportOf([])).size).toBe(0);
        // A lifted ban no longer marks: only the other ban remains on the shared image.
        await s.lift('ban-1', 'ops', '2025-03-14T10:00:00.000Z');
        const after = await s.supportOf([digest('app'), digest('shared')]);
        expect(after.has(digest('app'))).toBe(false);
        expect(after.get(digest('shared'))).toEqual([{ banId: 'ban-2', reason: 'end of life' }]);
      }));

    it('treats digests as data, not as query text', () =>
      withStore(async (s) => {
        await s.create(newBan('ban-1'));
        await s.markUnsupported('ban-1', [marked('app')]);
        const hostile = [`' OR 1=1 --`, '"]', '%', `${digest('app')}' OR '1'='1`, '*'];
        expect((await s.supportOf(hostile)).size).toBe(0);
        expect((await s.activeFor('%')) ?? null).toBeNull();
        expect((await s.activeFor(`' OR state = 'active' --`)) ?? null).toBeNull();
      }));

    it('lists every image active bans mark, one entry per image with every ban and reason', () =>
      withStore(async (s) => {
        await s.create(newBan('ban-1'));
        await s.create({ ...newBan('ban-2', 'docker.io/library/alpine:3.18'), reason: 'end of life' });
        await s.create({ ...newBan('ban-3', 'docker.io/library/debian:11'), reason: 'lifted soon' });
        await s.markUnsupported('ban-1', [marked('app'), marked('shared')]);
        await s.markUnsupported('ban-2', [marked('shared', 2)]);
        await s.markUnsupported('ban-3', [marked('gone')]);
        await s.lift('ban-3', 'ops', '2025-03-14T10:00:00.000Z');
        const images = await s.unsupportedImages();
        expect(images).toHaveLength(2);
        expect(images).toContainEqual({
          digest: digest('app'),
          configDigest: digest('app-config'),
          ref: marked('app').ref,
          banIds: ['ban-1'],
          reason: `CVE-2025-0001 in ${BUSYBOX}`,
        });
        const shared = images.find((i) => i.digest === digest('shared'));
        expect(shared?.banIds).toEqual(['ban-1', 'ban-2']);
        expect(shared?.reason).toContain('CVE-2025-0001');
        expect(shared?.reason).toContain('end of life');
        await s.lift('ban-1', 'ops', '2025-03-14T10:00:00.000Z');
        expect((await s.unsupportedImages()).map((i) => [i.digest, i.banIds])).toEqual([
          [digest('shared'), ['ban-2']],
        ]);
      }));

    it('records rebuilds once per definition, in plan order, each in its first state', () =>
      withStore(async (s, clock) => {
        await s.create(newBan('ban-1'));
        const plan = [
          planned('ops-base'),
          planned('app', { depth: 2, waitsFor: [keyOf('ops-base')], runningContainers: 3 }),
          planned('orphan', { reportReason: 'no approved base to substitute' }),
        ];
        const records = await s.addRebuilds('ban-1', plan);
        expect(records.map((r) => [r.definition, r.state, r.number])).toEqual([
          ['ops-base/Dockerfile', 'ready', 1],
          ['app/Dockerfile', 'waiting', 1],
          ['orphan/Dockerfile', 'reported', 1],
        ]);
        expect(records[1]).toEqual({
          ...plan[1],
          banId: 'ban-1',
          number: 1,
          state: 'waiting',
          updatedAt: clock.now().toISOString(),
        });
        expect(records[2]?.reportReason).toBe('no approved base to substitute');

        clock.advance(1000);
        await s.updateRebuild('ban-1', keyOf('ops-base'), ['ready'], { state: 'dispatched', buildId: 'b1' });
        // A redelivery of the plan, with a definition more: the known ones stay as they are, the new one is added.
        const again = await s.addRebuilds('ban-1', [...plan, planned('late'), planned('late')]);
        expect(again.map((r) => r.definition)).toEqual([
          'ops-base/Dockerfile',
          'app/Dockerfile',
          'orphan/Dockerfile',
          'late/Dockerfile',
        ]);
        expect(again[0]).toMatchObject({ state: 'dispatched', buildId: 'b1', number: 1 });
        expect(await s.rebuilds('ban-1')).toEqual(again);
        expect(await s.rebuilds('nope')).toEqual([]);
        await expect(s.addRebuilds('nope', plan)).rejects.toBeInstanceOf(BanNotFoundError);
      }));

    it('numbers a rebuild after every earlier rebuild of the same commit, whatever the ban', () =>
      withStore(async (s) => {
        await s.create(newBan('ban-1'));
        await s.create(newBan('ban-2', 'docker.io/library/alpine:3.18'));
        await s.create(newBan('ban-3', 'docker.io/library/debian:11'));
        await s.addRebuilds('ban-1', [planned('app')]);
        const second = await s.addRebuilds('ban-2', [planned('app'), planned('other')]);
        expect(second.map((r) => r.number)).toEqual([2, 1]);
        // Another commit of the same definition starts again at 1.
        const third = await s.addRebuilds('ban-3', [planned('app', { commit: commit('newer') })]);
        expect(third[0]?.number).toBe(1);
      }));

    it('moves a rebuild only from the states it is expected in', () =>
      withStore(async (s, clock) => {
        await s.create(newBan('ban-1'));
        await s.addRebuilds('ban-1', [planned('app')]);
        const key = keyOf('app');
        expect(await s.updateRebuild('ban-1', key, ['waiting'], { state: 'ready' })).toBeUndefined();
        clock.advance(5000);
        const subs = [
          { from: BUSYBOX, to: `docker.io/library/busybox@${digest('bb')}`, rule: 'ban replacement' },
        ];
        const dispatched = await s.updateRebuild('ban-1', key, ['ready'], {
          state: 'dispatched',
          buildId: 'build-9',
          dispatchedSubstitutions: subs,
        });
        expect(dispatched).toMatchObject({
          state: 'dispatched',
          buildId: 'build-9',
          dispatchedSubstitutions: subs,
          updatedAt: clock.now().toISOString(),
        });
        // A redelivered dispatch finds it moved already.
        expect(
          await s.updateRebuild('ban-1', key, ['ready'], { state: 'dispatched', buildId: 'x' }),
        ).toBeUndefined();
        const done = await s.updateRebuild('ban-1', key, ['dispatched'], {
          state: 'published',
          newRef: 'registry.local/team/app:abc-r1',
          newDigest: digest('app-r1'),
        });
        // What an update does not set stays.
        expect(done).toMatchObject({ state: 'published', buildId: 'build-9', dispatchedSubstitutions: subs });
        expect(await s.rebuildByBuild('build-9')).toEqual(done);
        expect(await s.rebuildByBuild('build-0')).toBeUndefined();
        expect(await s.updateRebuild('ban-1', 'no-such-key', ['ready'], { state: 'failed' })).toBeUndefined();
        expect(await s.updateRebuild('nope', key, ['published'], { state: 'failed' })).toBeUndefined();
      }));

    it('lets exactly one of two racing updates of a rebuild win', () =>
      withStore(async (s, _clock, h) => {
        await s.create(newBan('ban-1'));
        await s.addRebuilds('ban-1', [planned('app')]);
        const other = h.reopen();
        const results = await Promise.all([
          s.updateRebuild('ban-1', keyOf('app'), ['ready'], { state: 'dispatched', buildId: 'b-one' }),
          other.updateRebuild('ban-1', keyOf('app'), ['ready'], { state: 'cancelled', reason: 'lifted' }),
        ]);
        expect(results.filter((r) => r !== undefined)).toHaveLength(1);
      }));

    it('records band-aid runs once and runs each at most once, ever', () =>
      withStore(async (s) => {
        await s.create(newBan('ban-1'));
        expect(await s.addBandAidRuns([run('c1'), run('c2'), run('c1')])).toBe(2);
        expect(await s.addBandAidRuns([run('c1'), run('c3')])).toBe(1);
        const t = '2025-03-14T09:01:00.000Z';
        expect(await s.claimBandAidRun('ban-1', 'restart-httpd', 'c1', t)).toBe(true);
        expect(await s.claimBandAidRun('ban-1', 'restart-httpd', 'c1', t)).toBe(false);
        await s.finishBandAidRun(
          'ban-1',
          'restart-httpd',
          'c1',
          { state: 'succeeded', exitCode: 0, outputTail: 'reloaded\n', durationMs: 42 },
          '2025-03-14T09:01:01.000Z',
        );
        expect(await s.claimBandAidRun('ban-1', 'restart-httpd', 'c1', t)).toBe(false);
        // Re-adding a finished run does not make it pending again.
        expect(await s.addBandAidRuns([run('c1')])).toBe(0);
        expect(await s.claimBandAidRun('ban-1', 'restart-httpd', 'c1', t)).toBe(false);
        expect(await s.claimBandAidRun('ban-1', 'restart-httpd', 'nope', t)).toBe(false);
        const runs = await s.bandAidRuns('ban-1');
        expect(runs.map((r) => [r.containerId, r.state])).toEqual([
          ['c1', 'succeeded'],
          ['c2', 'pending'],
          ['c3', 'pending'],
        ]);
        expect(runs[0]).toEqual({
          ...run('c1'),
          state: 'succeeded',
          exitCode: 0,
          outputTail: 'reloaded\n',
          durationMs: 42,
          startedAt: t,
          finishedAt: '2025-03-14T09:01:01.000Z',
        });
        expect(runs[1]).toEqual({ ...run('c2'), state: 'pending' });
        await expect(s.addBandAidRuns([run('c9', 'nope')])).rejects.toBeInstanceOf(BanNotFoundError);
        expect(await s.bandAidRuns('nope')).toEqual([]);
      }));

    it('keeps the first end of a run, skips a pending one and records a timeout without exit code', () =>
      withStore(async (s) => {
        await s.create(newBan('ban-1'));
        await s.addBandAidRuns([run('c1'), run('c2')]);
        const at = '2025-03-14T09:02:00.000Z';
        await s.claimBandAidRun('ban-1', 'restart-httpd', 'c1', at);
        await s.finishBandAidRun(
          'ban-1',
          'restart-httpd',
          'c1',
          { state: 'failed', exitCode: null, reason: 'timed out after 30000 ms', durationMs: 30000 },
          at,
        );
        await s.finishBandAidRun('ban-1', 'restart-httpd', 'c1', { state: 'succeeded', exitCode: 0 }, at);
        await s.finishBandAidRun(
          'ban-1',
          'restart-httpd',
          'c2',
          { state: 'skipped', reason: 'maxErrors' },
          at,
        );
        expect(await s.claimBandAidRun('ban-1', 'restart-httpd', 'c2', at)).toBe(false);
        const [c1, c2] = await s.bandAidRuns('ban-1');
        expect(c1).toMatchObject({ state: 'failed', exitCode: null, reason: 'timed out after 30000 ms' });
        expect(c2).toMatchObject({ state: 'skipped', reason: 'maxErrors', finishedAt: at });
        expect(c2?.startedAt).toBeUndefined();
      }));

    it('marks runs left running by a dead process interrupted, never to run again', () =>
      withStore(async (s, _clock, h) => {
        await s.create(newBan('ban-1'));
        await s.create(newBan('ban-2', 'docker.io/library/alpine:3.18'));
        await s.addBandAidRuns([run('c1'), run('c2'), run('c3'), run('c4', 'ban-2')]);
        const at = '2025-03-14T09:03:00.000Z';
        await s.claimBandAidRun('ban-1', 'restart-httpd', 'c1', at);
        await s.claimBandAidRun('ban-1', 'restart-httpd', 'c2', at);
        await s.claimBandAidRun('ban-2', 'restart-httpd', 'c4', at);
        await s.finishBandAidRun('ban-1', 'restart-httpd', 'c2', { state: 'succeeded', exitCode: 0 }, at);
        // The restarted process sees the same state through a new connection.
        const restarted = h.reopen();
        expect(await restarted.interruptRunning('2025-03-14T09:04:00.000Z')).toBe(2);
        expect(await restarted.interruptRunning('2025-03-14T09:05:00.000Z')).toBe(0);
        const runs = await restarted.bandAidRuns('ban-1');
        expect(runs.map((r) => r.state)).toEqual(['interrupted', 'succeeded', 'pending']);
        expect(runs[0]).toMatchObject({ finishedAt: '2025-03-14T09:04:00.000Z' });
        expect(runs[0]?.reason).toBeTruthy();
        expect((await restarted.bandAidRuns('ban-2'))[0]?.state).toBe('interrupted');
        expect(await restarted.claimBandAidRun('ban-1', 'restart-httpd', 'c1', at)).toBe(false);
        await restarted.finishBandAidRun(
          'ban-1',
          'restart-httpd',
          'c1',
          { state: 'succeeded', exitCode: 0 },
          at,
        );
        expect((await restarted.bandAidRuns('ban-1'))[0]?.state).toBe('interrupted');
      }));

    it('lets exactly one of many racing claims of a run win', () =>
      withStore(async (s, _clock, h) => {
        await s.create(newBan('ban-1'));
        await s.addBandAidRuns([run('c1')]);
        const stores = [s, h.reopen(), h.reopen()];
        const claims = await Promise.all(
          stores.flatMap((store) =>
            [1, 2].map(() => store.claimBandAidRun('ban-1', 'restart-httpd', 'c1', 't')),
          ),
        );
        expect(claims.filter(Boolean)).toHaveLength(1);
      }));

    it('keeps everything when opened again', () =>
      withStore(async (s, _clock, h) => {
        await s.create(newBan('ban-1'));
        await s.stamp('ban-1', 'plannedAt', '2025-03-14T09:00:01.000Z');
        await s.markUnsupported('ban-1', [marked('app')]);
        await s.addRebuilds('ban-1', [planned('app')]);
        await s.addBandAidRuns([run('c1')]);
        const other = h.reopen();
        expect(await other.get('ban-1')).toEqual(await s.get('ban-1'));
        expect(await other.marked('ban-1')).toEqual(await s.marked('ban-1'));
        expect(await other.rebuilds('ban-1')).toEqual(await s.rebuilds('ban-1'));
        expect(await other.bandAidRuns('ban-1')).toEqual(await s.bandAidRuns('ban-1'));
        expect((await other.create(newBan('ban-1'))).created).toBe(false);
      }));
  });
}
