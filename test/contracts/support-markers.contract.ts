import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SupportMarker, SupportMarkers } from '../../core/ports/support-markers.js';

/** What a contract run needs: the markers adapter, a way to put an image in its registry, and a cleanup. */
export interface SupportMarkersFixture {
  readonly markers: SupportMarkers;
  /** Puts a distinct image (named `name`) into `repository` and returns its manifest digest. */
  pushImage(repository: string, name: string): Promise<string>;
  dispose(): Promise<void>;
}

const marker = (
  subject: string,
  bans: SupportMarker['bans'],
  at = '2026-12-07T10:00:00.000Z',
): SupportMarker => ({
  subject,
  unsupported: bans.length > 0,
  bans,
  at,
});

/** The behaviour every SupportMarkers adapter shares; run it with a factory for a fresh, empty registry. */
export function supportMarkersContract(name: string, factory: () => Promise<SupportMarkersFixture>): void {
  describe(`SupportMarkers contract: ${name}`, () => {
    let fixture: SupportMarkersFixture;
    let web: string;
    let worker: string;
    beforeAll(async () => {
      fixture = await factory();
      web = await fixture.pushImage('contract/web', 'web');
      worker = await fixture.pushImage('contract/web', 'worker');
    });
    afterAll(async () => {
      await fixture?.dispose();
    });

    it('answers undefined for an image without a marker', async () => {
      expect(await fixture.markers.get('contract/web', web)).toBeUndefined();
      expect(await fixture.markers.get('contract/none', web)).toBeUndefined();
    });

    it('writes a marker and reads it back as written', async () => {
      const written = marker(web, [{ banId: 'ban-1', reason: 'CVE-2026-0001 in busybox 1.36.0' }]);
      await fixture.markers.put('contract/web', written);
      expect(await fixture.markers.get('contract/web', web)).toEqual(written);
      // Another image of the same repository, and the same digest in another repository, have none.
      expect(await fixture.markers.get('contract/web', worker)).toBeUndefined();
      expect(await fixture.markers.get('contract/other', web)).toBeUndefined();
    });

    it('writes the same marker twice without error (a redelivered ban)', async () => {
      const written = marker(worker, [{ banId: 'ban-1', reason: 'end of life' }]);
      await fixture.markers.put('contract/web', written);
      await fixture.markers.put('contract/web', written);
      expect(await fixture.markers.get('contract/web', worker)).toEqual(written);
    });

    it('replaces a marker when the bans covering the image change, and after an unban', async () => {
      const two = marker(
        web,
        [
          { banId: 'ban-1', reason: 'CVE-2026-0001' },
          { banId: 'ban-2', reason: 'end of life' },
        ],
        '2026-12-07T11:00:00.000Z',
      );
      await fixture.markers.put('contract/web', two);
      expect(await fixture.markers.get('contract/web', web)).toEqual(two);
      const lifted = marker(web, [], '2026-12-07T12:00:00.000Z');
      await fixture.markers.put('contract/web', lifted);
      expect(await fixture.markers.get('contract/web', web)).toEqual(lifted);
    });

    it('refuses a marker of an image the repository does not hold', async () => {
      const absent = `sha256:${'0'.repeat(64)}`;
      await expect(
        fixture.markers.put('contract/web', marker(absent, [{ banId: 'ban-1', reason: 'x' }])),
      ).rejects.toMatchObject({ code: 'MARKER_SUBJECT_NOT_FOUND' });
      expect(await fixture.markers.get('contract/web', absent)).toBeUndefined();
    });

    it('refuses an invalid marker before writing anything', async () => {
      const third = await fixture.pushImage('contract/web', 'third');
      const bad = [
        marker(third, [{ banId: 'ban-1,ban-2', reason: 'a comma would split the ban annotation' }]),
        marker(third, [{ banId: 'ban-1', reason: 'x' }], 'yesterday'),
        { ...marker(third, []), extra: 'field' } as SupportMarker,
      ];
      for (const m of bad) {
        await expect(fixture.markers.put('contract/web', m)).rejects.toMatchObject({
          code: 'SUPPORT_MARKER_INVALID',
        });
      }
      expect(await fixture.markers.get('contract/web', third)).toBeUndefined();
    });

    it('refuses a repository or digest that is not one', async () => {
      const written = marker(web, []);
      for (const repository of ['', 'Contract/Web', '../x', 'a//b']) {
        await expect(fixture.markers.put(repository, written)).rejects.toMatchObject({
          code: 'IMAGE_TARGET_INVALID',
        });
        await expect(fixture.markers.get(repository, web)).rejects.toMatchObject({
          code: 'IMAGE_TARGET_INVALID',
        });
      }
      for (const digest of ['latest', `sha256:${'A'.repeat(64)}`, `sha512:${'a'.repeat(64)}`]) {
        await expect(fixture.markers.get('contract/web', digest)).rejects.toMatchObject({
          code: 'IMAGE_TARGET_INVALID',
        });
        await expect(
          fixture.markers.put('contract/web', { ...written, subject: digest }),
        ).rejects.toMatchObject({
          code: 'IMAGE_TARGET_INVALID',
        });
      }
    });
  });
}
