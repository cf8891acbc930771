import { describe, expect, it } from 'vitest';
import { InvalidEventError } from '../../core/events/index.js';
import type { EventLog } from '../../core/ports/event-log.js';
import type { ContractHarness } from './manual-clock.js';
import { buildRequested } from './sample-events.js';

/** The behaviour every EventLog adapter must have. */
export function eventLogContract(name: string, make: () => ContractHarness<EventLog>): void {
  const withLog = async (fn: (h: ContractHarness<EventLog>) => Promise<void>) => {
    const h = make();
    try {
      await fn(h);
    } finally {
      h.close();
    }
  };

  describe(`EventLog contract: ${name}`, () => {
    it('appends an event once per id', () =>
      withLog(async ({ subject: log }) => {
        const first = await log.append(buildRequested('e1'));
        const again = await log.append(buildRequested('e1'));
        expect(first.appended).toBe(true);
        expect(again).toEqual({ seq: first.seq, appended: false });
        expect(await log.readAfter(0)).toHaveLength(1);
      }));

    it('reads after a cursor in order, at most the limit', () =>
      withLog(async ({ subject: log }) => {
        const seqs: number[] = [];
        for (const id of ['a', 'b', 'c', 'd']) seqs.push((await log.append(buildRequested(id))).seq);
        expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
        const page = await log.readAfter(seqs[0]!, 2);
        expect(page.map((e) => e.event.id)).toEqual(['b', 'c']);
        expect(await log.readAfter(seqs[3]!)).toEqual([]);
        expect((await log.get('c'))?.event).toEqual(buildRequested('c'));
        expect(await log.get('zzz')).toBeUndefined();
      }));

    it('refuses an invalid event and logs nothing', () =>
      withLog(async ({ subject: log }) => {
        const bad = { ...buildRequested('bad'), detail: { ...buildRequested('bad').detail, commit: 'HEAD' } };
        await expect(log.append(bad)).rejects.toBeInstanceOf(InvalidEventError);
        expect(await log.readAfter(0)).toEqual([]);
      }));

    it('keeps reader cursors, never moving them back', () =>
      withLog(async ({ subject: log }) => {
        expect(await log.cursor('bus')).toBe(0);
        await log.saveCursor('bus', 7);
        await log.saveCursor('bus', 3);
        expect(await log.cursor('bus')).toBe(7);
        expect(await log.cursor('other')).toBe(0);
      }));

    it('shows committed events and cursors to a second connection', () =>
      withLog(async (h) => {
        const { seq } = await h.subject.append(buildRequested('e1'));
        await h.subject.saveCursor('bus', seq);
        const other = h.reopen();
        expect((await other.readAfter(0)).map((e) => e.event)).toEqual([buildRequested('e1')]);
        expect(await other.cursor('bus')).toBe(seq);
        expect((await other.append(buildRequested('e1'))).appended).toBe(false);
      }));
  });
}
