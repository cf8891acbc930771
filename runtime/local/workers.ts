import type { SqliteWorkQueue } from '../../adapters/local/sqlite-work-queue.js';
import type { LocalEventBus, QueuedEvent } from './local-event-bus.js';
import { drainOnce, type EventHandler } from './queue-worker.js';

/** Options of `startWorkers`. */
export interface WorkersOptions {
  readonly bus: LocalEventBus;
  readonly queues: Readonly<Record<string, SqliteWorkQueue<QueuedEvent>>>;
  readonly handlers: Readonly<Record<string, EventHandler>>;
  /** Workers per queue. @default 1 */
  readonly concurrency?: Readonly<Record<string, number>>;
  /** How often idle workers and the router look for work nobody announced (hooks of other processes). @default 250 */
  readonly pollMs?: number;
  /** Delay before a failed message is retried. @default 1000 */
  readonly retryDelayMs?: number;
  /** Called for each message handled, retried or dead-lettered, and for faults of the loop itself. */
  readonly onActivity?: (activity: WorkerActivity) => void;
}

/** What a worker did: one queue's message outcome, or a fault of the loop (which keeps going). */
export type WorkerActivity =
  | { readonly kind: 'handled' | 'retried' | 'dead-lettered'; readonly queue: string }
  | { readonly kind: 'fault'; readonly queue: string; readonly error: unknown };

/** Running workers: wake them when work arrives, stop them when the pipeline stops. */
export interface Workers {
  /** Makes idle workers and the router look for work now. */
  wake(): void;
  /** Handlers running right now. */
  readonly busy: number;
  /**
   * Stops receiving and waits for running handlers up to `graceMs`; resolves to how many were still running
   * (their messages become visible again after a restart).
   */
  stop(graceMs?: number): Promise<number>;
}

/**
 * Starts the local pipeline's consumers: per queue, `concurrency` loops that receive one message at a time and
 * call its handler, and one router loop that moves logged events into the queues. A loop that finds nothing
 * sleeps until woken or until `pollMs` passes; whenever any loop does work it wakes the others, so an event
 * crosses the whole flow without waiting for a poll.
 */
export function startWorkers(options: WorkersOptions): Workers {
  const pollMs = options.pollMs ?? 250;
  let stopped = false;
  let busy = 0;
  let sleepers: (() => void)[] = [];
  const wake = (): void => {
    const waiting = sleepers;
    sleepers = [];
    for (const resume of waiting) resume();
  };
  const sleep = (): Promise<void> =>
    new Promise((resolve) => {
      // A loop that finished its pass after stop() woke the sleepers must not sleep a whole poll more.
      if (stopped) return resolve();
      const timer = setTimeout(done, pollMs);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      sleepers.push(done);
    });
  const report = (activity: WorkerActivity): void => {
    try {
      options.onActivity?.(activity);
    } catch {
      // An observer's failure must not stop the pipeline.
    }
  };

  const loops: Promise<void>[] = [];
  loops.push(
    (async () => {
      while (!stopped) {
        try {
          if ((await options.bus.route()) > 0) {
            wake();
            continue;
          }
        } catch (error) {
          report({ kind: 'fault', queue: 'bus-router', error });
        }
        await sleep();
      }
    })(),
  );
  for (const [name, queue] of Object.entries(options.queues)) {
    const handler = options.handlers[name];
    if (!handler) continue;
    const count = Math.max(1, options.concurrency?.[name] ?? 1);
    for (let i = 0; i < count; i++) {
      loops.push(
        (async () => {
          while (!stopped) {
            let worked = false;
            busy++;
            try {
              const r = await drainOnce(queue, handler, {
                batch: 1,
                retryDelayMs: options.retryDelayMs ?? 1000,
                maxReceives: queue.maxReceives,
              });
              worked = r.handled + r.retried + r.deadLettered > 0;
              if (r.handled) report({ kind: 'handled', queue: name });
              if (r.retried) report({ kind: 'retried', queue: name });
              if (r.deadLettered) report({ kind: 'dead-lettered', queue: name });
            } catch (error) {
              report({ kind: 'fault', queue: name, error });
            } finally {
              busy--;
            }
            if (worked) wake();
            else await sleep();
          }
        })(),
      );
    }
  }

  return {
    wake,
    get busy() {
      return busy;
    },
    async stop(graceMs = 10_000) {
      stopped = true;
      wake();
      let timer: NodeJS.Timeout | undefined;
      const all = Promise.all(loops).then(() => 'done' as const);
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), graceMs);
      });
      const outcome = await Promise.race([all, timeout]);
      clearTimeout(timer);
      return outcome === 'done' ? 0 : busy;
    },
  };
}
