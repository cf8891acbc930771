import { describe, expect, it } from 'vitest';
import type { WorkQueue } from '../../core/ports/work-queue.js';
import { type ContractHarness, ManualClock } from './manual-clock.js';

/** A job as the contract sends it. */
export interface Job {
  readonly n: number;
}

/** How the contract configures a queue; an adapter maps these onto its own settings. */
export interface QueueSettings {
  readonly name: string;
  readonly visibilityTimeoutMs: number;
  readonly maxReceives: number;
  readonly dedupWindowMs: number;
  readonly clock: ManualClock;
}

/** A queue under test, plus another queue of that name on the same state. */
export interface QueueHarness extends ContractHarness<WorkQueue<Job>> {
  queue(name: string): WorkQueue<Job>;
}

/** The behaviour every WorkQueue adapter must have: SQS semantics with an injected clock. */
export function workQueueContract(name: string, make: (settings: QueueSettings) => QueueHarness): void {
  const TIMEOUT = 30_000;
  const withQueue = async (
    fn: (q: WorkQueue<Job>, clock: ManualClock, h: QueueHarness) => Promise<void>,
    overrides: Partial<QueueSettings> = {},
  ) => {
    const clock = new ManualClock();
    const h = make({
      name: 'build',
      visibilityTimeoutMs: TIMEOUT,
      maxReceives: 3,
      dedupWindowMs: 300_000,
      clock,
      ...overrides,
    });
    try {
      await fn(h.subject, clock, h);
    } finally {
      h.close();
    }
  };

  describe(`WorkQueue contract: ${name}`, () => {
    it('delivers a message once while it is invisible', () =>
      withQueue(async (q, clock) => {
        const { messageId, duplicate } = await q.send({ n: 1 });
        expect(duplicate).toBe(false);
        const [m] = await q.receive({ max: 10 });
        expect(m).toMatchObject({ messageId, body: { n: 1 }, receiveCount: 1, sentAt: clock.now() });
        expect(m!.lastError).toBeUndefined();
        clock.advance(TIMEOUT - 1);
        expect(await q.receive({ max: 10 })).toEqual([]);
        expect(await q.depth()).toEqual({ visible: 0, inFlight: 1, dead: 0 });
        expect(await q.ack(m!.receiptHandle)).toBe(true);
        expect(await q.depth()).toEqual({ visible: 0, inFlight: 0, dead: 0 });
      }));

    it('redelivers after the visibility timeout with a new handle and a higher receive count', () =>
      withQueue(async (q, clock) => {
        await q.send({ n: 1 });
        const [first] = await q.receive();
        clock.advance(TIMEOUT);
        const [second] = await q.receive();
        expect(second).toMatchObject({ messageId: first!.messageId, receiveCount: 2 });
        expect(second!.receiptHandle).not.toBe(first!.receiptHandle);
        expect(second!.lastError).toMatch(/visibility timeout/);
        // The first worker was too late: its handle no longer deletes the message the second one holds.
        expect(await q.ack(first!.receiptHandle)).toBe(false);
        expect(await q.ack(second!.receiptHandle)).toBe(true);
        clock.advance(TIMEOUT);
        expect(await q.receive()).toEqual([]);
      }));

    it('accepts an ack after the timeout when nobody received the message again', () =>
      withQueue(async (q, clock) => {
        await q.send({ n: 1 });
        const [m] = await q.receive();
        clock.advance(TIMEOUT * 3);
        expect(await q.ack(m!.receiptHandle)).toBe(true);
        expect(await q.receive()).toEqual([]);
        expect(await q.ack(m!.receiptHandle)).toBe(false);
      }));

    it('honours a per-receive visibility timeout', () =>
      withQueue(async (q, clock) => {
        await q.send({ n: 1 });
        await q.receive({ visibilityTimeoutMs: 1_000 });
        clock.advance(1_000);
        expect(await q.receive()).toHaveLength(1);
      }));

    it('moves a message past its max receives to the DLQ with the last error', () =>
      withQueue(async (q, clock) => {
        const { messageId } = await q.send({ n: 7 });
        for (let i = 1; i <= 3; i++) {
          const [m] = await q.receive();
          expect(m!.receiveCount).toBe(i);
          clock.advance(TIMEOUT);
        }
        expect(await q.receive()).toEqual([]);
        const [dead] = await q.deadLetters();
        expect(dead).toMatchObject({ messageId, body: { n: 7 }, receiveCount: 3, deadAt: clock.now() });
        expect(dead!.reason).toMatch(/3 receives.*visibility timeout/);
        expect(await q.depth()).toEqual({ visible: 0, inFlight: 0, dead: 1 });
      }));

    it('keeps the reason of a release, and dead-letters a release on the last receive', () =>
      withQueue(async (q, clock) => {
        await q.send({ n: 1 });
        const [a] = await q.receive();
        expect(await q.release(a!.receiptHandle, 'registry unreachable', { delayMs: 5_000 })).toBe(true);
        expect(await q.receive()).toEqual([]);
        clock.advance(5_000);
        const [b] = await q.receive();
        expect(b).toMatchObject({ receiveCount: 2, lastError: 'registry unreachable' });
        expect(await q.release(b!.receiptHandle, 'still unreachable')).toBe(true);
        const [c] = await q.receive();
        expect(await q.release(c!.receiptHandle, 'gave up: disk full')).toBe(true);
        expect(await q.receive()).toEqual([]);
        const [dead] = await q.deadLetters();
        expect(dead!.reason).toMatch(/gave up: disk full/);
        expect(await q.release(c!.receiptHandle, 'again')).toBe(false);
      }));

    it('dead-letters a non-retryable failure at once and redrives it with a fresh count', () =>
      withQueue(async (q) => {
        await q.send({ n: 1 });
        const { messageId } = await q.send({ n: 2 });
        const [, m2] = await q.receive({ max: 2 });
        expect(m2!.messageId).toBe(messageId);
        expect(await q.fail(m2!.receiptHandle, 'detail.commit: must be a full git commit id')).toBe(true);
        expect(await q.fail(m2!.receiptHandle, 'twice')).toBe(false);
        const dead = await q.deadLetters();
        expect(dead.map((d) => [d.messageId, d.reason])).toEqual([
          [messageId, 'detail.commit: must be a full git commit id'],
        ]);
        expect(await q.redrive(['nope'])).toBe(0);
        expect(await q.redrive([messageId])).toBe(1);
        expect(await q.deadLetters()).toEqual([]);
        const [again] = await q.receive();
        expect(again).toMatchObject({ messageId, body: { n: 2 }, receiveCount: 1 });
      }));

    it('redrives every dead letter', () =>
      withQueue(
        async (q) => {
          for (const n of [1, 2, 3]) await q.send({ n });
          for (const m of await q.receive({ max: 3 })) await q.fail(m.receiptHandle, 'bad');
          expect(await q.redrive()).toBe(3);
          expect((await q.receive({ max: 10 })).map((m) => m.body.n)).toEqual([1, 2, 3]);
        },
        { maxReceives: 1 },
      ));

    it('sends a dedup id once within the dedup window', () =>
      withQueue(async (q, clock) => {
        const first = await q.send({ n: 1 }, { dedupId: 'build:app@abc' });
        const again = await q.send({ n: 2 }, { dedupId: 'build:app@abc' });
        expect(again).toEqual({ messageId: first.messageId, duplicate: true });
        const got = await q.receive({ max: 10 });
        expect(got.map((m) => m.body)).toEqual([{ n: 1 }]);
        await q.ack(got[0]!.receiptHandle);
        expect((await q.send({ n: 3 }, { dedupId: 'build:app@abc' })).duplicate).toBe(true);
        clock.advance(300_000);
        expect((await q.send({ n: 4 }, { dedupId: 'build:app@abc' })).duplicate).toBe(false);
      }));

    it('receives oldest first, at most max, and waits for delayed messages', () =>
      withQueue(async (q, clock) => {
        await q.send({ n: 0 }, { delayMs: 10_000 });
        for (let n = 1; n <= 5; n++) {
          await q.send({ n });
          clock.advance(1);
        }
        expect((await q.receive({ max: 3 })).map((m) => m.body.n)).toEqual([1, 2, 3]);
        expect((await q.receive({ max: 3 })).map((m) => m.body.n)).toEqual([4, 5]);
        clock.advance(10_000);
        expect((await q.receive({ max: 3 })).map((m) => m.body.n)).toEqual([0]);
      }));

    it('accepts a message group and delivers the message as any other', () =>
      withQueue(async (q) => {
        const { messageId } = await q.send({ n: 1 }, { groupId: 'github.com/acme/payments' });
        const [m] = await q.receive();
        expect(m).toMatchObject({ messageId, body: { n: 1 }, receiveCount: 1 });
        expect(await q.ack(m!.receiptHandle)).toBe(true);
      }));

    it('keeps queues apart by name', () =>
      withQueue(async (q, _clock, h) => {
        await q.send({ n: 1 });
        const test = h.queue('test');
        expect(test.name).toBe('test');
        expect(await test.receive()).toEqual([]);
        await test.send({ n: 2 });
        expect((await q.receive({ max: 5 })).map((m) => m.body.n)).toEqual([1]);
        expect((await test.receive({ max: 5 })).map((m) => m.body.n)).toEqual([2]);
      }));

    it('never gives one message to two connections, and shows committed state to both', () =>
      withQueue(async (q, _clock, h) => {
        for (let n = 0; n < 50; n++) await q.send({ n });
        const other = h.reopen();
        const seen: number[] = [];
        for (;;) {
          const batch = [...(await q.receive({ max: 7 })), ...(await other.receive({ max: 5 }))];
          if (batch.length === 0) break;
          seen.push(...batch.map((m) => m.body.n));
        }
        expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, n) => n));
        expect(await other.depth()).toEqual({ visible: 0, inFlight: 50, dead: 0 });
      }));
  });
}
