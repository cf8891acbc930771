import { describe, expect, it } from 'vitest';
import { SqliteWorkQueue } from '../../../adapters/local/sqlite-work-queue.js';
import { sqliteHarness } from '../../contracts/local-state.js';
import { ManualClock } from '../../contracts/manual-clock.js';
import { type Job, workQueueContract } from '../../contracts/work-queue.contract.js';

workQueueContract('SqliteWorkQueue', (settings) => {
  const h = sqliteHarness((db) => new SqliteWorkQueue<Job>(db, settings));
  const db = h.state.open();
  return { ...h, queue: (name) => new SqliteWorkQueue<Job>(db, { ...settings, name }) };
});

describe('SqliteWorkQueue message groups', () => {
  const withQueue = async (fn: (q: SqliteWorkQueue<Job>, clock: ManualClock) => Promise<void>) => {
    const clock = new ManualClock();
    const h = sqliteHarness((db) => new SqliteWorkQueue<Job>(db, { name: 'gate', clock }));
    try {
      await fn(h.subject, clock);
    } finally {
      h.close();
    }
  };
  // Receives one message at a time, as a worker does, acking each; returns the groups in the order served.
  const drain = async (q: SqliteWorkQueue<Job>, receives: number): Promise<number[]> => {
    const seen: number[] = [];
    for (let i = 0; i < receives; i++) {
      const [m] = await q.receive();
      if (!m) break;
      seen.push(m.body.n);
      await q.ack(m.receiptHandle);
    }
    return seen;
  };

  it("serves repository B's one message among the first receives after 300 of repository A", () =>
    withQueue(async (q, clock) => {
      for (let i = 0; i < 300; i++) {
        await q.send({ n: 1 }, { groupId: 'repo-a' });
        clock.advance(1);
      }
      await q.send({ n: 2 }, { groupId: 'repo-b' });
      const first = await drain(q, 3);
      expect(first).toContain(2);
      expect(first.indexOf(2)).toBeLessThanOrEqual(1);
      expect((await q.depth()).visible).toBe(298);
    }));

  it('takes the groups in turn while each has messages, oldest first within a group', () =>
    withQueue(async (q, clock) => {
      for (const [n, group] of [
        [10, 'a'],
        [11, 'a'],
        [12, 'a'],
        [20, 'b'],
        [21, 'b'],
        [30, 'c'],
      ] as const) {
        await q.send({ n }, { groupId: group });
        clock.advance(1);
      }
      expect(await drain(q, 10)).toEqual([10, 20, 30, 11, 21, 12]);
    }));

  it('takes the groups in turn within one batch too', () =>
    withQueue(async (q) => {
      for (let i = 0; i < 5; i++) await q.send({ n: 1 }, { groupId: 'a' });
      await q.send({ n: 2 }, { groupId: 'b' });
      expect((await q.receive({ max: 3 })).map((m) => m.body.n)).toEqual([1, 2, 1]);
    }));

  it('keeps the group of a dead letter when it is redriven', () =>
    withQueue(async (q) => {
      for (let i = 0; i < 3; i++) await q.send({ n: 1 }, { groupId: 'a' });
      await q.send({ n: 2 }, { groupId: 'b' });
      const [, b] = await q.receive({ max: 2 });
      expect(b!.body.n).toBe(2);
      await q.fail(b!.receiptHandle, 'bad');
      expect(await q.redrive()).toBe(1);
      // b was served last, so a goes first; then b again, ahead of a's remaining messages.
      expect(await drain(q, 2)).toEqual([1, 2]);
    }));
});

describe('SqliteWorkQueue.deadLetterExhausted', () => {
  it('dead-letters at once a message a restart left on its last receive, and no other', async () => {
    const clock = new ManualClock();
    const h = sqliteHarness((db) => new SqliteWorkQueue<Job>(db, { name: 'build', clock, maxReceives: 2 }));
    try {
      const q = h.subject;
      await q.send({ n: 1 });
      await q.send({ n: 2 });
      // Message 1 is received twice, its consumer killed each time; message 2 once.
      for (let kill = 0; kill < 2; kill++) {
        const [m] = await q.receive();
        expect(m?.body.n).toBe(1);
        if (kill === 0) q.recoverInFlight();
      }
      const [second] = await q.receive();
      expect(second?.body.n).toBe(2);
      q.recoverInFlight();
      expect(q.deadLetterExhausted()).toBe(1);
      const dead = await q.deadLetters();
      expect(dead.map((d) => [d.body.n, d.reason])).toEqual([
        [1, 'exceeded 2 receives; last error: released after a restart'],
      ]);
      expect(q.deadLetterExhausted()).toBe(0);
      expect((await q.receive()).map((m) => m.body.n)).toEqual([2]);
    } finally {
      h.close();
    }
  });
});
