import { afterEach, describe, expect, it } from 'vitest';
import { SqliteEventLog } from '../../../adapters/local/sqlite-event-log.js';
import { SqliteWorkQueue } from '../../../adapters/local/sqlite-work-queue.js';
import { DrydockError } from '../../../core/errors.js';
import { EVENT_RULES } from '../../../core/events/rules.js';
import { LocalEventBus, type QueuedEvent } from '../../../runtime/local/local-event-bus.js';
import { pipelineQueues } from '../../../runtime/local/open-local-pipeline.js';
import { drainOnce } from '../../../runtime/local/queue-worker.js';
import { TempState } from '../../contracts/local-state.js';
import { ManualClock } from '../../contracts/manual-clock.js';
import { buildRequested } from '../../contracts/sample-events.js';

const TARGETS = [...new Set(EVENT_RULES.map((r) => r.target))];
const states: TempState[] = [];
afterEach(() => {
  for (const s of states.splice(0)) s.close();
});

function setup(state = new TempState(), clock = new ManualClock()) {
  if (!states.includes(state)) states.push(state);
  const db = state.open();
  const queues = Object.fromEntries(
    TARGETS.map((name) => [
      name,
      new SqliteWorkQueue<QueuedEvent>(db, { name, clock, maxReceives: 3, visibilityTimeoutMs: 60_000 }),
    ]),
  );
  const log = new SqliteEventLog(db, { clock });
  return { state, clock, queues, log, bus: new LocalEventBus(log, queues, EVENT_RULES) };
}

describe('LocalEventBus over the pipeline queues', () => {
  it('does not queue an event again when the router restarts long after a crash between send and cursor', async () => {
    const state = new TempState();
    states.push(state);
    const clock = new ManualClock();
    const db = state.open();
    const queues = pipelineQueues(db, { maxReceives: 3, visibilityTimeoutMs: 60_000, clock });
    const log = new SqliteEventLog(db, { clock });
    const event = buildRequested('a');
    // The run that crashed: the event logged and sent to its queue, the cursor not saved.
    await log.append(event);
    await queues.build?.send(
      { rule: 'build-requested-definitions', event },
      { dedupId: `${event.id}:build-requested-definitions` },
    );
    const handled: string[] = [];
    await drainOnce(queues.build!, async (e) => {
      handled.push(e.id);
    });
    clock.advance(6 * 60 * 60_000);
    await new LocalEventBus(log, queues, EVENT_RULES).route();
    expect(await queues.build?.depth()).toMatchObject({ visible: 0, inFlight: 0 });
    expect(handled).toEqual([event.id]);
  });
});

describe('LocalEventBus', () => {
  it('logs a published event and delivers it to the queue its rule targets, once', async () => {
    const { bus, queues } = setup();
    await bus.publish([buildRequested('a')]);
    await bus.publish([buildRequested('a')]);
    expect(await queues.build?.depth()).toMatchObject({ visible: 1 });
    expect(await queues.gate?.depth()).toMatchObject({ visible: 0 });
  });

  it('routes events logged before a crash when it starts again, without delivering twice', async () => {
    const first = setup();
    await first.log.append(buildRequested('b'));
    // A second process on the same state: the router resumes from its cursor.
    const second = setup(first.state);
    expect(await second.bus.route()).toBe(1);
    expect(await second.bus.route()).toBe(0);
    expect(await second.queues.build?.depth()).toMatchObject({ visible: 1 });
  });

  it('refuses a rule whose target queue does not exist', () => {
    const { log } = setup();
    expect(() => new LocalEventBus(log, {}, EVENT_RULES)).toThrow(
      /targets queue "gate", which does not exist/,
    );
  });
});

describe('drainOnce', () => {
  it('acks handled events, retries failures until the queue dead-letters them, and dead-letters bad input at once', async () => {
    const { bus, queues, clock } = setup();
    const build = queues.build!;
    await bus.publish([buildRequested('ok'), buildRequested('flaky')]);
    await build.send({ rule: 'x', event: { not: 'an event' } as never });
    const seen: string[] = [];
    const handler = async (e: { id: string }) => {
      seen.push(e.id);
      if (e.id === 'flaky') throw new Error('registry unavailable');
    };
    expect(await drainOnce(build, handler)).toEqual({ handled: 1, retried: 1, deadLettered: 1 });
    for (let i = 0; i < 3; i++) {
      clock.advance(120_000);
      await drainOnce(build, handler);
    }
    const dead = await build.deadLetters();
    expect(dead.map((d) => d.reason)).toEqual([
      expect.stringContaining('invalid event'),
      expect.stringContaining('registry unavailable'),
    ]);
    expect(seen.filter((id) => id === 'flaky')).toHaveLength(3);
    expect(await build.depth()).toMatchObject({ visible: 0, inFlight: 0, dead: 2 });
  });

  it('dead-letters a non-retryable failure on the first attempt', async () => {
    const { bus, queues } = setup();
    await bus.publish([buildRequested('c')]);
    const r = await drainOnce(queues.build!, async () => {
      throw new DrydockError('definition is gone', { code: 'GONE' });
    });
    expect(r).toEqual({ handled: 0, retried: 0, deadLettered: 1 });
  });
});

describe('LocalEventBus message groups', () => {
  it("delivers repository B's one event among the first after 300 of repository A's", async () => {
    const { bus, queues } = setup();
    const forRepo = (id: string, repository: string) => {
      const event = buildRequested(id);
      return { ...event, detail: { ...event.detail, repository } };
    };
    await bus.publish(Array.from({ length: 300 }, (_, i) => forRepo(`a-${i}`, 'team/a')));
    await bus.publish([forRepo('b-0', 'team/b')]);
    const handled: string[] = [];
    for (let i = 0; i < 3; i++) {
      await drainOnce(
        queues.build!,
        async (e) => {
          if (e.detailType === 'Build Requested') handled.push(e.detail.repository);
        },
        { batch: 1 },
      );
    }
    expect(handled).toContain('team/b');
  });
});
