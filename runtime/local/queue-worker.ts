import type { SqliteWorkQueue } from '../../adapters/local/sqlite-work-queue.js';
import { rebuildAwaitsEvent } from '../../core/ban/end-dead-rebuilds.js';
import { DrydockError } from '../../core/errors.js';
import type { BuildFailedEvent } from '../../core/events/build-failed.js';
import { type DrydockEvent, parseEvent } from '../../core/events/index.js';
import { type FailDeadLetteredDeps, failDeadLettered } from '../../core/pipeline/fail-build.js';
import type { BanStore } from '../../core/ports/ban-store.js';
import type { EventBus } from '../../core/ports/event-bus.js';
import type { WorkQueue } from '../../core/ports/work-queue.js';
import type { QueuedEvent } from './local-event-bus.js';

/** Handles one event; throws to retry (or a non-retryable DrydockError to dead-letter at once). */
export type EventHandler = (event: DrydockEvent) => Promise<void>;

/** What one pass over a queue did. */
export interface DrainResult {
  readonly handled: number;
  readonly retried: number;
  readonly deadLettered: number;
}

/**
 * Receives up to `batch` messages and handles each: success acks it; invalid input and non-retryable
 * failures go to the dead-letter queue with the reason; anything else is released for a retry, and the
 * queue dead-letters it after its maximum receives. Nothing is dropped.
 */
export async function drainOnce(
  queue: WorkQueue<QueuedEvent>,
  handle: EventHandler,
  options: {
    readonly batch?: number;
    readonly visibilityTimeoutMs?: number;
    readonly retryDelayMs?: number;
    /** The queue's maximum receives: a failure on the last one is counted as dead-lettered, not retried. */
    readonly maxReceives?: number;
  } = {},
): Promise<DrainResult> {
  const messages = await queue.receive({
    max: options.batch ?? 10,
    ...(options.visibilityTimeoutMs ? { visibilityTimeoutMs: options.visibilityTimeoutMs } : {}),
  });
  let handled = 0;
  let retried = 0;
  let deadLettered = 0;
  for (const message of messages) {
    const parsed = parseEvent(message.body?.event);
    if (!parsed.ok) {
      await queue.fail(message.receiptHandle, `invalid event: ${parsed.error.message}`);
      deadLettered++;
      continue;
    }
    try {
      await handle(parsed.event);
      await queue.ack(message.receiptHandle);
      handled++;
    } catch (err) {
      const reason = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      if (err instanceof DrydockError && !err.retryable) {
        await queue.fail(message.receiptHandle, reason);
        deadLettered++;
      } else {
        await queue.release(message.receiptHandle, reason, { delayMs: options.retryDelayMs ?? 1000 });
        // The queue moves a message released on its last receive to the DLQ (see WorkQueue.release).
        if (options.maxReceives !== undefined && message.receiveCount >= options.maxReceives) deadLettered++;
        else retried++;
      }
    }
  }
  return { handled, retried, deadLettered };
}

// Dead letters stay until ops redrive or drop them; a sweep reads them all, which is cheap at this size.
const SWEEP_LIMIT = 100_000;

/**
 * Ends the builds whose gate, build, test or publish messages were dead-lettered (`failDeadLettered` decides):
 * first moves the messages that used up their receives to the dead-letter queues (as a crash's restart leaves
 * them), then publishes a `Build Failed` for each build that no step will ever finish, which the rebuild step
 * settles for a ban's rebuild. Idempotent: the dead letters stay, and an event already logged is not published
 * again. Returns the events it published.
 */
export async function endDeadLetteredBuilds(
  queues: Readonly<Record<string, SqliteWorkQueue<QueuedEvent>>>,
  deps: FailDeadLetteredDeps & { readonly bus: EventBus },
): Promise<readonly BuildFailedEvent[]> {
  const ended: BuildFailedEvent[] = [];
  for (const [name, queue] of Object.entries(queues)) {
    queue.deadLetterExhausted();
    for (const letter of await queue.deadLetters({ limit: SWEEP_LIMIT })) {
      // An invalid body was dead-lettered for being invalid; it names no build to end.
      const parsed = parseEvent(letter.body?.event);
      if (!parsed.ok) continue;
      const failed = await failDeadLettered(
        { queue: name, event: parsed.event, reason: letter.reason },
        deps,
      );
      // Ended by an earlier sweep (or the step's own failure of the same id): nothing new to say.
      if (failed && !(await deps.logged(failed.id))) ended.push(failed);
    }
  }
  if (ended.length) await deps.bus.publish(ended);
  return ended;
}

/**
 * Sends the rebuild step's dead letters that a still-`dispatched` rebuild waits for (`rebuildAwaitsEvent`) back to
 * its queue, returning how many: a crash on each receive of its `Image Published` or `Build Failed` would else
 * leave the rebuild holding its slot for good. For a start only: each start gives such a message its receives
 * again, where redriving on every dead letter would loop.
 */
export async function redriveAwaitedRebuildEvents(
  queue: SqliteWorkQueue<QueuedEvent>,
  store: Pick<BanStore, 'rebuilds'>,
): Promise<number> {
  queue.deadLetterExhausted();
  const ids: string[] = [];
  for (const letter of await queue.deadLetters({ limit: SWEEP_LIMIT })) {
    const parsed = parseEvent(letter.body?.event);
    if (parsed.ok && (await rebuildAwaitsEvent(parsed.event, store))) ids.push(letter.messageId);
  }
  return ids.length ? queue.redrive(ids) : 0;
}
