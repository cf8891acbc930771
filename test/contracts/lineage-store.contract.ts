import { describe, expect, it } from 'vitest';
import type { LineageStore } from '../../core/ports/lineage-store.js';
import type { ContractHarness } from './manual-clock.js';
import { digest, published } from './sample-events.js';

/** The behaviour every LineageStore adapter must have. */
export function lineageStoreContract(name: string, make: () => ContractHarness<LineageStore>): void {
  const withStore = async (fn: (s: LineageStore, h: ContractHarness<LineageStore>) => Promise<void>) => {
    const h = make();
    try {
      await fn(h.subject, h);
    } finally {
      h.close();
    }
  };
  const names = (found: { image: { digest: string }; depth: number }[], all: string[]) =>
    found.map((f) => [all.find((n) => digest(n) === f.image.digest), f.depth]);

  describe(`LineageStore contract: ${name}`, () => {
    it('records an image once, with its bases in order', () =>
      withStore(async (store) => {
        const event = published('app', ['ops-python', 'ops-tools']);
        expect(await store.record(event)).toBe(true);
        expect(await store.record(event)).toBe(false);
        expect(await store.record({ ...event, id: 'another-delivery' })).toBe(false);
        const image = await store.image(digest('app'));
        expect(image).toEqual({
          digest: digest('app'),
          ref: event.detail.ref,
          configDigest: event.detail.configDigest,
          repository: 'team/apps',
          definition: 'app/Dockerfile',
          commit: event.detail.commit,
          bases: event.detail.bases,
          publishedAt: event.time,
          eventId: event.id,
        });
        expect(await store.image(digest('nothing'))).toBeUndefined();
      }));

    it('finds every image built on a digest across three levels', () =>
      withStore(async (store) => {
        // debian → ops-python → app-a → app-a-plugin; ops-python → app-b; alpine is unrelated.
        await store.record(published('ops-python', ['debian']));
        await store.record(published('app-a', ['ops-python']));
        await store.record(published('app-b', ['ops-python']));
        await store.record(published('app-a-plugin', ['app-a']));
        await store.record(published('ops-alpine', ['alpine']));
        const all = ['ops-python', 'app-a', 'app-b', 'app-a-plugin', 'ops-alpine'];
        const found = await store.imagesBuiltOn(digest('debian'));
        const expected = [
          ['ops-python', 1],
          ['app-a', 2],
          ['app-b', 2],
          ['app-a-plugin', 3],
        ];
        expect(names(found, all).sort()).toEqual(expected.sort());
        expect(found.map((f) => f.depth)).toEqual([1, 2, 2, 3]);
        expect(names(await store.imagesBuiltOn(digest('app-a')), all)).toEqual([['app-a-plugin', 1]]);
        expect(await store.imagesBuiltOn(digest('app-b'))).toEqual([]);
        expect(await store.imagesBuiltOn(digest('unknown'))).toEqual([]);
      }));

    it('lists a diamond once, at its longest depth, so bases sort before children', () =>
      withStore(async (store) => {
        // base → left, right; left + right → joined (a multi-stage build); base + joined → top.
        await store.record(published('ops-left', ['base']));
        await store.record(published('ops-right', ['base']));
        await store.record(published('joined', ['ops-left', 'ops-right']));
        await store.record(published('top', ['base', 'joined']));
        const all = ['ops-left', 'ops-right', 'joined', 'top'];
        expect(names(await store.imagesBuiltOn(digest('base')), all)).toEqual(
          [
            ['ops-left', 1],
            ['ops-right', 1],
            ['joined', 2],
            ['top', 3],
          ].sort(
            (a, b) =>
              (a[1] as number) - (b[1] as number) ||
              digest(a[0] as string).localeCompare(digest(b[0] as string)),
          ),
        );
      }));

    it('lists images newest first, by repository when asked', () =>
      withStore(async (store) => {
        await store.record(published('ops-one', ['debian']));
        await store.record(published('app-two', ['ops-one']));
        await store.record(published('app-three', ['ops-one']));
        expect((await store.list()).map((i) => i.definition)).toEqual([
          'app-three/Dockerfile',
          'app-two/Dockerfile',
          'ops-one/Dockerfile',
        ]);
        expect((await store.list({ limit: 1 })).map((i) => i.definition)).toEqual(['app-three/Dockerfile']);
        expect((await store.list({ repository: 'ops/bases' })).map((i) => i.definition)).toEqual([
          'ops-one/Dockerfile',
        ]);
      }));

    it('finds every image built on any of several digests, each once at its deepest depth', () =>
      withStore(async (store) => {
        // debian → ops-python → app-a; busybox → ops-tools; app-mixed is built on ops-python and busybox;
        // app-deep on app-a; alpine → ops-alpine is not asked for.
        await store.record(published('ops-python', ['debian']));
        await store.record(published('ops-tools', ['busybox']));
        await store.record(published('app-a', ['ops-python']));
        await store.record(published('app-mixed', ['ops-python', 'busybox']));
        await store.record(published('app-deep', ['app-a']));
        await store.record(published('ops-alpine', ['alpine']));
        const all = ['ops-python', 'ops-tools', 'app-a', 'app-mixed', 'app-deep', 'ops-alpine'];
        const found = await store.imagesBuiltOnAny([digest('debian'), digest('busybox'), digest('debian')]);
        expect(names(found, all)).toEqual(
          [
            ['ops-python', 1],
            ['ops-tools', 1],
            ['app-a', 2],
            ['app-mixed', 2],
            ['app-deep', 3],
          ].sort(
            (a, b) =>
              (a[1] as number) - (b[1] as number) ||
              digest(a[0] as string).localeCompare(digest(b[0] as string)),
          ),
        );
        expect(
          found.find((f) => f.image.digest === digest('app-mixed'))?.image.bases.map((b) => b.digest),
        ).toEqual([digest('ops-python'), digest('busybox')]);
        // A root that is itself built on another root is found at its depth below that root.
        expect(names(await store.imagesBuiltOnAny([digest('ops-python'), digest('debian')]), all)).toEqual(
          names(await store.imagesBuiltOn(digest('debian')), all),
        );
        expect(await store.imagesBuiltOnAny([])).toEqual([]);
        expect(await store.imagesBuiltOnAny([digest('unknown')])).toEqual([]);
      }));

    it('lists every distinct base reference once, whatever the number of images on it', () =>
      withStore(async (store) => {
        expect(await store.baseReferences()).toEqual([]);
        await store.record(published('ops-python', ['debian']));
        await store.record(published('app-a', ['ops-python', 'debian']));
        await store.record(published('app-b', ['ops-python']));
        // The same digest pulled by another name is another reference.
        const renamed = published('app-c', ['debian']);
        await store.record({
          ...renamed,
          detail: {
            ...renamed.detail,
            bases: [{ name: 'docker.io/library/debian:12', digest: digest('debian') }],
          },
        });
        const refs = await store.baseReferences();
        const key = (b: { name: string; digest: string }) => `${b.name} ${b.digest}`;
        expect(refs.map(key).sort()).toEqual(
          [
            { name: 'registry.local/debian:1', digest: digest('debian') },
            { name: 'docker.io/library/debian:12', digest: digest('debian') },
            { name: 'registry.local/ops-python:1', digest: digest('ops-python') },
          ]
            .map(key)
            .sort(),
        );
        for (const ref of refs) expect(Object.keys(ref).sort()).toEqual(['digest', 'name']);
      }));

    it('answers the newest image of a definition, not of another definition or repository', () =>
      withStore(async (store) => {
        const first = published('app', ['debian'], '2025-03-14T09:00:00Z');
        const second = published('app-v2', ['debian'], '2025-03-15T09:00:00Z');
        const sameDefinition = {
          ...second,
          detail: { ...second.detail, definition: first.detail.definition },
        };
        const otherRepository = published('ops-app', ['debian'], '2025-03-16T09:00:00Z');
        await store.record(first);
        await store.record(sameDefinition);
        await store.record({
          ...otherRepository,
          detail: { ...otherRepository.detail, definition: first.detail.definition },
        });
        expect((await store.newestOf('team/apps', 'app/Dockerfile'))?.digest).toBe(digest('app-v2'));
        expect((await store.newestOf('ops/bases', 'app/Dockerfile'))?.digest).toBe(digest('ops-app'));
        expect(await store.newestOf('team/apps', 'app-v2/Dockerfile')).toBeUndefined();
        expect(await store.newestOf('team/other', 'app/Dockerfile')).toBeUndefined();
      }));

    it('shows committed lineage to a second connection', () =>
      withStore(async (store, h) => {
        await store.record(published('ops-python', ['debian']));
        await store.record(published('app', ['ops-python']));
        const other = h.reopen();
        expect((await other.imagesBuiltOn(digest('debian'))).map((f) => f.depth)).toEqual([1, 2]);
        expect(await other.record(published('app', ['ops-python']))).toBe(false);
      }));
  });
}
