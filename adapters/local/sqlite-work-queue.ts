import { randomUUID } from 'node:crypto';
import { DrydockError } from '../../core/errors.js';
import { type Clock, systemClock } from '../../core/ports/clock.js';
import type {
  DeadLetter,
  QueueDepth,
  ReceivedMessage,
  SendResult,
  WorkQueue,
} from '../../core/ports/work-queue.js';
import type { StateDatabase } from './sqlite-database.js';

/** How one queue behaves; the defaults are SQS's. */
export interface SqliteWorkQueueOptions {
  readonly name: string;
  /** @default 30_000 */
  readonly visibilityTimeoutMs?: number;
  /** Receives before a message goes to the DLQ. @default 5 */
  readonly maxReceives?: number;
  /** How long a dedup id suppresses a second send. @default 300_000 (SQS FIFO's five minutes) */
  readonly dedupWindowMs?: number;
  readonly clock?: Clock;
}

interface MessageRow {
  id: string;
  body: string;
  receipt: string;
  receive_count: number;
  sent_at: number;
  last_error: string | null;
}

interface DeadRow {
  id: string;
  body: string;
  receive_count: number;
  sent_at: number;
  dead_at: number;
  reason: string;
}

/**
 * A work queue in the SQLite state database; claims are `UPDATE … RETURNING` inside BEGIN IMMEDIATE. Messages
 * sent with a group id (the repository) are received fairly, like SQS fair queues: the group served longest
 * ago goes next, so a repository with thousands of queued messages delays another's single one by one turn.
 */
export class SqliteWorkQueue<T = unknown> implements WorkQueue<T> {
  readonly name: string;
  private readonly db: StateDatabase;
  private readonly clock: Clock;
  private readonly visibilityTimeoutMs: number;
  /** Receives before a message goes to the DLQ. */
  readonly maxReceives: number;
  private readonly dedupWindowMs: number;
  private readonly statements;

  constructor(db: StateDatabase, options: SqliteWorkQueueOptions) {
    this.db = db;
    this.name = options.name;
    this.clock = options.clock ?? systemClock;
    this.visibilityTimeoutMs = options.visibilityTimeoutMs ?? 30_000;
    this.maxReceives = options.maxReceives ?? 5;
    this.dedupWindowMs = options.dedupWindowMs ?? 300_000;
    if (!Number.isInteger(this.maxReceives) || this.maxReceives < 1) {
      throw new DrydockError(`queue ${this.name}: maxReceives must be a positive integer`, {
        code: 'QUEUE_CONFIG_INVALID',
      });
    }
    this.statements = {
      dedup: db.prepare(
        'SELECT message_id FROM queue_dedup WHERE queue = ? AND dedup_id = ? AND expires_at > ?',
      ),
      remember: db.prepare(
        `INSERT INTO queue_dedup (queue, dedup_id, message_id, expires_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (queue, dedup_id) DO UPDATE SET message_id = excluded.message_id, expires_at = excluded.expires_at`,
      ),
      forget: db.prepare('DELETE FROM queue_dedup WHERE queue = ? AND expires_at <= ?'),
      insert: db.prepare(
        'INSERT INTO queue_messages (queue, id, body, sent_at, visible_at, grp) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      // A message still holding a receipt when it becomes visible again was not acked in time.
      exhaustReason: db.prepare(
        `UPDATE queue_messages SET last_error = CASE WHEN receipt IS NOT NULL
           THEN 'visibility timeout expired without ack' ELSE coalesce(last_error, 'no reason given') END
         WHERE queue = @queue AND receive_count >= @max AND visible_at <= @now`,
      ),
      exhaust: db.prepare(
        `INSERT INTO queue_dead (queue, id, body, sent_at, receive_count, dead_at, reason, grp)
         SELECT queue, id, body, sent_at, receive_count, @now,
                'exceeded ' || CAST(@max AS INTEGER) || ' receives; last error: ' || last_error, grp
         FROM queue_messages WHERE queue = @queue AND receive_count >= @max AND visible_at <= @now ORDER BY seq`,
      ),
      dropExhausted: db.prepare(
        'DELETE FROM queue_messages WHERE queue = @queue AND receive_count >= @max AND visible_at <= @now',
      ),
      // The next message: the oldest visible one of the group served longest ago (a group never served first).
      next: db.prepare(
        `SELECT m.seq, m.grp FROM queue_messages m
         LEFT JOIN queue_groups g ON g.queue = m.queue AND g.grp = m.grp
         WHERE m.queue = @queue AND m.visible_at <= @now
         ORDER BY coalesce(g.served, 0), m.visible_at, m.seq LIMIT 1`,
      ),
      claim: db.prepare(
        `UPDATE queue_messages SET
           receipt = lower(hex(randomblob(16))),
           receive_count = receive_count + 1,
           visible_at = @now + @timeout,
           last_error = CASE WHEN receipt IS NOT NULL THEN 'visibility timeout expired without ack' ELSE last_error END
         WHERE seq = @seq
         RETURNING id, body, receipt, receive_count, sent_at, last_error`,
      ),
      served: db.prepare(
        `INSERT INTO queue_groups (queue, grp, served)
         VALUES (@queue, @grp, (SELECT coalesce(max(served), 0) + 1 FROM queue_groups WHERE queue = @queue))
         ON CONFLICT (queue, grp) DO UPDATE SET served = excluded.served`,
      ),
      ack: db.prepare('DELETE FROM queue_messages WHERE queue = ? AND receipt = ?'),
      held: db.prepare('SELECT receive_count FROM queue_messages WHERE queue = ? AND receipt = ?'),
      release: db.prepare(
        `UPDATE queue_messages SET receipt = NULL, visible_at = @visibleAt, last_error = @reason
         WHERE queue = @queue AND receipt = @receipt`,
      ),
      deadOne: db.prepare(
        `INSERT INTO queue_dead (queue, id, body, sent_at, receive_count, dead_at, reason, grp)
         SELECT queue, id, body, sent_at, receive_count, @now, @reason, grp FROM queue_messages
         WHERE queue = @queue AND receipt = @receipt`,
      ),
      dropOne: db.prepare('DELETE FROM queue_messages WHERE queue = @queue AND receipt = @receipt'),
      deadList: db.prepare(
        'SELECT id, body, receive_count, sent_at, dead_at, reason FROM queue_dead WHERE queue = ? ORDER BY seq LIMIT ?',
      ),
      redriveAll: db.prepare(
        `INSERT INTO queue_messages (queue, id, body, sent_at, visible_at, grp)
         SELECT queue, id, body, sent_at, ?, grp FROM queue_dead WHERE queue = ? ORDER BY seq`,
      ),
      dropDeadAll: db.prepare('DELETE FROM queue_dead WHERE queue = ?'),
      redriveOne: db.prepare(
        `INSERT INTO queue_messages (queue, id, body, sent_at, visible_at, grp)
         SELECT queue, id, body, sent_at, ?, grp FROM queue_dead WHERE queue = ? AND id = ?`,
      ),
      dropDeadOne: db.prepare('DELETE FROM queue_dead WHERE queue = ? AND id = ?'),
      recover: db.prepare(
        `UPDATE queue_messages SET receipt = NULL, visible_at = @now, last_error = @reason
         WHERE queue = @queue AND receipt IS NOT NULL AND visible_at > @now`,
      ),
      depth: db.prepare(
        `SELECT
           (SELECT count(*) FROM queue_messages WHERE queue = @queue AND visible_at <= @now) AS visible,
           (SELECT count(*) FROM queue_messages WHERE queue = @queue AND visible_at > @now) AS inFlight,
           (SELECT count(*) FROM queue_dead WHERE queue = @queue) AS dead`,
      ),
    };
  }

  async send(
    body: T,
    options: { dedupId?: string; delayMs?: number; groupId?: string } = {},
  ): Promise<SendResult> {
    const json = JSON.stringify(body);
    if (json === undefined) {
      throw new DrydockError(`queue ${this.name}: a message body must be JSON`, {
        code: 'QUEUE_MESSAGE_INVALID',
      });
    }
    const now = this.clock.now().getTime();
    const s = this.statements;
    return this.db.write(() => {
      if (options.dedupId !== undefined) {
        const seen = s.dedup.get(this.name, options.dedupId, now) as { message_id: string } | undefined;
        if (seen) return { messageId: seen.message_id, duplicate: true };
      }
      const messageId = randomUUID();
      s.insert.run(
        this.name,
        messageId,
        json,
        now,
        now + Math.max(0, options.delayMs ?? 0),
        options.groupId ?? '',
      );
      if (options.dedupId !== undefined) {
        s.forget.run(this.name, now);
        s.remember.run(this.name, options.dedupId, messageId, now + this.dedupWindowMs);
      }
      return { messageId, duplicate: false };
    });
  }

  async receive(options: { max?: number; visibilityTimeoutMs?: number } = {}): Promise<ReceivedMessage<T>[]> {
    const limit = Math.max(1, Math.min(options.max ?? 1, 1000));
    const timeout = options.visibilityTimeoutMs ?? this.visibilityTimeoutMs;
    const now = this.clock.now().getTime();
    const s = this.statements;
    const key = { queue: this.name, now, max: this.maxReceives };
    const rows = this.db.write(() => {
      this.exhaust(key);
      // One message at a time, each from the group served longest ago: the groups take turns.
      const claimed: MessageRow[] = [];
      while (claimed.length < limit) {
        const next = s.next.get({ queue: this.name, now }) as { seq: number; grp: string } | undefined;
        if (!next) break;
        claimed.push(s.claim.get({ seq: next.seq, now, timeout }) as MessageRow);
        s.served.run({ queue: this.name, grp: next.grp });
      }
      return claimed;
    });
    // In the order they were claimed: oldest first within a group, the groups in turn.
    return rows.map((row) => ({
      messageId: row.id,
      body: JSON.parse(row.body) as T,
      receiptHandle: row.receipt,
      receiveCount: row.receive_count,
      sentAt: new Date(row.sent_at),
      ...(row.last_error === null ? {} : { lastError: row.last_error }),
    }));
  }

  /**
   * Moves every visible message that has used up its receives to the dead-letter queue now, as the next receive
   * would, returning how many: a restart can then end what they were for before any worker receives.
   */
  deadLetterExhausted(): number {
    const key = { queue: this.name, now: this.clock.now().getTime(), max: this.maxReceives };
    return this.db.write(() => this.exhaust(key));
  }

  private exhaust(key: { queue: string; now: number; max: number }): number {
    const s = this.statements;
    s.exhaustReason.run(key);
    const moved = s.exhaust.run(key).changes;
    if (moved > 0) s.dropExhausted.run(key);
    return moved;
  }

  async ack(receiptHandle: string): Promise<boolean> {
    return this.db.write(() => this.statements.ack.run(this.name, receiptHandle).changes > 0);
  }

  async release(receiptHandle: string, reason: string, options: { delayMs?: number } = {}): Promise<boolean> {
    const now = this.clock.now().getTime();
    const s = this.statements;
    return this.db.write(() => {
      const held = s.held.get(this.name, receiptHandle) as { receive_count: number } | undefined;
      if (!held) return false;
      const key = { queue: this.name, receipt: receiptHandle, now };
      if (held.receive_count >= this.maxReceives) {
        s.deadOne.run({ ...key, reason: `exceeded ${this.maxReceives} receives; last error: ${reason}` });
        s.dropOne.run(key);
        return true;
      }
      s.release.run({ ...key, visibleAt: now + Math.max(0, options.delayMs ?? 0), reason });
      return true;
    });
  }

  async fail(receiptHandle: string, reason: string): Promise<boolean> {
    const now = this.clock.now().getTime();
    const s = this.statements;
    return this.db.write(() => {
      const key = { queue: this.name, receipt: receiptHandle, now };
      if (s.deadOne.run({ ...key, reason }).changes === 0) return false;
      s.dropOne.run(key);
      return true;
    });
  }

  async deadLetters(options: { limit?: number } = {}): Promise<DeadLetter<T>[]> {
    const rows = this.statements.deadList.all(this.name, options.limit ?? 100) as DeadRow[];
    return rows.map((row) => ({
      messageId: row.id,
      body: JSON.parse(row.body) as T,
      receiveCount: row.receive_count,
      sentAt: new Date(row.sent_at),
      deadAt: new Date(row.dead_at),
      reason: row.reason,
    }));
  }

  async redrive(messageIds?: readonly string[]): Promise<number> {
    const now = this.clock.now().getTime();
    const s = this.statements;
    return this.db.write(() => {
      if (messageIds === undefined) {
        const moved = s.redriveAll.run(now, this.name).changes;
        s.dropDeadAll.run(this.name);
        return moved;
      }
      let moved = 0;
      for (const id of messageIds) {
        if (s.redriveOne.run(now, this.name, id).changes > 0) {
          s.dropDeadOne.run(this.name, id);
          moved++;
        }
      }
      return moved;
    });
  }

  /**
   * Makes every message a consumer still holds visible again at once, returning how many. Only for a
   * consumer that knows it is the sole one and restarted: what its dead predecessor held is not being
   * worked on, and waiting out the visibility timeout would only delay it.
   */
  recoverInFlight(reason = 'released after a restart'): number {
    return this.db.write(
      () =>
        this.statements.recover.run({ queue: this.name, now: this.clock.now().getTime(), reason }).changes,
    );
  }

  async depth(): Promise<QueueDepth> {
    const now = this.clock.now().getTime();
    return this.statements.depth.get({ queue: this.name, now }) as QueueDepth;
  }
}
