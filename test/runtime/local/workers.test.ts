import { afterEach, describe, expect, it } from 'vitest';
import { SqliteEventLog } from '../../../adapters/local/sqlite-event-log.js';
import { SqliteWorkQueue } from '../../../adapters/local/sqlite-work-queue.js';
import type { DrydockEvent } from '../../../core/events/index.js';
import { EVENT_RULES } from '../../../core/events/rules.js';
import { LocalEventBus, type QueuedEvent } from '../../../runtime/local/local-event-bus.js';
import type { EventHandler } from '../../../runtime/local/queue-worker.js';
import {
  startWorkers,
  type WorkerActivity,
  type Workers,
  type WorkersOptions,
} from '../../../runtime/local/workers.js';
import { TempState } from '../../contracts/local-state.js';
import { buildRequested, published } from '../../contracts/sample-events.js';

const TARGETS = [...new Set(EVENT_RULES.map((r) => r.target))];
const states: TempState[] = [];
const running: Workers[] = [];

afterEach(async () => {
  for (const w of running.splice(0)) await w.stop(1_000);
  for (const s of states.splice(0)) s.close();
});

/** The local bus and queues over a temporary state file. */
function pipelineState(maxReceives = 3) {
  const state = new TempState();
  states.push(state);
  const db = state.open();
  const queues = Object.fromEntries(
    TARGETS.map((name) => [name, new SqliteWorkQueue<QueuedEvent>(db, { name, maxReceives })]),
  );
  const bus = new LocalEventBus(new SqliteEventLog(db), queues, EVENT_RULES);
  return { state, queues, bus };
}

function start(options: WorkersOptions): Workers {
  const workers = startWorkers(options);
  running.push(workers);
  return workers;
}

/** Polls `probe` every 5 ms until it holds; fails after `timeoutMs`. */
async function until(what: string, probe: () => boolean | Promise<boolean>, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await pause(5);
  }
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A promise and the function that settles it. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open = () => {};
  const opened = new Promise<void>((r) => {
    open = r;
  });
  return { opened, open };
}

/** A handler that records the ids of the events it handles. */
function recorder(seen: string[]): EventHandler {
  return async (event: DrydockEvent) => {
    seen.push(event.id);
  };
}

describe('startWorkers', () => {
  it('handles published events on every queue that has a handler', async () => {
    const { queues, bus } = pipelineState();
    const built: string[] = [];
    const recorded: string[] = [];
    const workers = start({
      bus,
      queues,
      handlers: { build: recorder(built), lineage: recorder(recorded) },
      pollMs: 20,
    });
    await bus.publish([buildRequested('one'), buildRequested('two'), published('app', ['base'])]);
    workers.wake();
    await until('both queues handled', () => built.length === 2 && recorded.length === 1);
    expect(built.sort()).toEqual(['one', 'two']);
    expect(recorded).toEqual(['published-app']);
    expect(await queues.build!.depth()).toEqual({ visible: 0, inFlight: 0, dead: 0 });
  });

  it('retries a handler that throws, then dead-letters the message with its error', async () => {
    const { queues, bus } = pipelineState(2);
    const activity: WorkerActivity[] = [];
    let attempts = 0;
    start({
      bus,
      queues,
      handlers: {
        build: async () => {
          attempts++;
          throw new Error('registry unavailable');
        },
      },
      pollMs: 20,
      retryDelayMs: 0,
      onActivity: (a) => activity.push(a),
    });
    await bus.publish([buildRequested('flaky')]);
    await until('a dead letter', async () => (await queues.build!.depth()).dead === 1);
    expect(attempts).toBe(2);
    const [dead] = await queues.build!.deadLetters();
    expect(dead?.reason).toMatch(/exceeded 2 receives; last error: Error: registry unavailable/);
    expect(dead?.body.event.id).toBe('flaky');
    expect(activity.map((a) => a.kind)).toEqual(['retried', 'dead-lettered']);
  });

  it('wakes an idle worker long before its poll interval', async () => {
    const { queues, bus } = pipelineState();
    const seen: string[] = [];
    // An hour's poll: only the wake can make the worker find the message within the test's time.
    const workers = start({ bus, queues, handlers: { build: recorder(seen) }, pollMs: 3_600_000 });
    // Let every loop find nothing and go to sleep for the whole poll interval.
    await pause(50);
    await queues.build!.send({ rule: 'test', event: buildRequested('woken') });
    await pause(100);
    expect(seen).toEqual([]);
    workers.wake();
    await until('the woken worker', () => seen.length === 1, 20_000);
  });

  it('runs as many handlers of a queue at once as its concurrency', async () => {
    const { queues, bus } = pipelineState();
    const release = gate();
    let inside = 0;
    let most = 0;
    const workers = start({
      bus,
      queues,
      handlers: {
        build: async () => {
          inside++;
          most = Math.max(most, inside);
          await release.opened;
          inside--;
        },
      },
      concurrency: { build: 2 },
      pollMs: 20,
    });
    await bus.publish([buildRequested('a'), buildRequested('b'), buildRequested('c')]);
    workers.wake();
    await until('two handlers at once', () => inside === 2);
    // A third would be running by now if the concurrency were not respected.
    await pause(50);
    expect(most).toBe(2);
    expect(workers.busy).toBe(2);
    release.open();
    await until('every build handled', async () => (await queues.build!.depth()).visible === 0);
    await until('the queue drained', async () => (await queues.build!.depth()).inFlight === 0);
    expect(most).toBe(2);
  });

  it('stops after waiting for a running handler, which finishes its message', async () => {
    const { queues, bus } = pipelineState();
    const release = gate();
    const started = gate();
    const done: string[] = [];
    const workers = start({
      bus,
      queues,
      handlers: {
        build: async (event) => {
          started.open();
          await release.opened;
          done.push(event.id);
        },
      },
      pollMs: 20,
    });
    await bus.publish([buildRequested('slow')]);
    await started.opened;
    const stopping = workers.stop(5_000);
    setTimeout(release.open, 100);
    expect(await stopping).toBe(0);
    expect(done).toEqual(['slow']);
    expect(await queues.build!.depth()).toEqual({ visible: 0, inFlight: 0, dead: 0 });
  });

  it('stops after the grace period and says how many handlers still run', async () => {
    const { queues, bus } = pipelineState();
    const release = gate();
    const started = gate();
    const workers = start({
      bus,
      queues,
      handlers: {
        build: async () => {
          started.open();
          await release.opened;
        },
      },
      pollMs: 20,
    });
    await bus.publish([buildRequested('stuck')]);
    await started.opened;
    // The handler is released only after stop returns: a stop that waited for it would never return.
    expect(await workers.stop(100)).toBe(1);
    release.open();
  });

  it('stops at once when idle, without waiting out its poll interval', async () => {
    const { queues, bus } = pipelineState();
    // An hour's poll and an hour's grace: a stop that waited out either would pass the test's time limit.
    const workers = start({ bus, queues, handlers: { build: recorder([]) }, pollMs: 3_600_000 });
    // Stopped while every loop is still in its first look for work.
    expect(await workers.stop(3_600_000)).toBe(0);
  });

  it('keeps handling work when the activity observer throws', async () => {
    const { queues, bus } = pipelineState();
    const seen: string[] = [];
    let observed = 0;
    const workers = start({
      bus,
      queues,
      handlers: { build: recorder(seen) },
      pollMs: 20,
      onActivity: () => {
        observed++;
        throw new Error('observer broke');
      },
    });
    await bus.publish([buildRequested('first')]);
    workers.wake();
    await until('the first event', () => seen.length === 1);
    await bus.publish([buildRequested('second')]);
    workers.wake();
    await until('the second event', () => seen.length === 2);
    expect(observed).toBe(2);
  });

  it('routes events another connection appended to the log, without a publish', async () => {
    const { state, queues, bus } = pipelineState();
    const seen: string[] = [];
    start({ bus, queues, handlers: { build: recorder(seen) }, pollMs: 20 });
    // The post-receive hook appends in its own process, on its own connection.
    await new SqliteEventLog(state.open()).append(buildRequested('from-hook'));
    await until('the hook event', () => seen.length === 1);
    expect(seen).toEqual(['from-hook']);
  });
});
