import { afterEach, describe, expect, it } from 'vitest';
import { SqliteOutbox } from '../../../adapters/local/sqlite-outbox.js';
import { BUILDAH_1_28 } from '../../../core/dockerfile/builder-profile.js';
import { type DrydockEvent, parseEvent } from '../../../core/events/index.js';
import type { LintConfig } from '../../../core/lint/config.js';
import type { TeamNotification } from '../../../core/notify/team-notification.js';
import type { LocalPortOptions, ToolTiming } from '../../../runtime/local/local-ports.js';
import { TempState } from '../../contracts/local-state.js';
import { eventFixture } from '../../core/events/fixtures.js';
import { openLocalStepPorts, UNREACHABLE_REGISTRY } from '../../helpers/local-step-ports.js';

const states: TempState[] = [];
afterEach(() => {
  for (const s of states.splice(0)) s.close();
});

function fixture(name: string): DrydockEvent {
  const parsed = parseEvent(eventFixture(name));
  if (!parsed.ok) throw parsed.error;
  return parsed.event;
}

const HOST = UNREACHABLE_REGISTRY;

/** The local ports on a fresh state; the registry's address has nothing listening (nothing here may push). */
function assemble(options: Partial<LocalPortOptions> = {}) {
  const state = new TempState();
  states.push(state);
  return openLocalStepPorts(state, options);
}

describe('localStepPorts', () => {
  it('has the gate judge for buildah 1.28, with the lint configuration given', () => {
    expect(assemble().ports.gateSettings).toEqual({ builders: [BUILDAH_1_28] });
    const lintConfig: LintConfig = {
      failureThreshold: 'error',
      ignored: [],
      overrides: {},
      noFail: false,
      disableIgnorePragma: true,
    };
    expect(assemble({ lintConfig }).ports.gateSettings).toEqual({ builders: [BUILDAH_1_28], lintConfig });
  });

  it('knows an event as published once the local event log holds it', async () => {
    const { bus, ports } = assemble();
    const failed = fixture('build-failed.json');
    expect(await ports.publishedEvents.has(failed.id)).toBe(false);
    await bus.publish([failed]);
    expect(await ports.publishedEvents.has(failed.id)).toBe(true);
    expect(await ports.publishedEvents.has(`${failed.id}-other`)).toBe(false);
  });

  it('limits builds and tests (10 and 2 minutes unless set) and ends them with the runtime', () => {
    const { ports, stopping } = assemble();
    expect(ports.limits).toMatchObject({ buildTimeoutMs: 600_000, testTimeLimitMs: 120_000 });
    expect(ports.limits.signal?.aborted).toBe(false);
    stopping.abort();
    expect(ports.limits.signal?.aborted).toBe(true);
    const set = assemble({ buildTimeoutMs: 5_000, testTimeLimitMs: 1_000, buildConcurrency: 4 }).ports;
    expect(set.limits).toMatchObject({ buildTimeoutMs: 5_000, testTimeLimitMs: 1_000 });
    expect(set.buildConcurrency).toBe(4);
    expect(assemble().ports.buildConcurrency).toBe(2);
  });

  it('tells teams through the outbox, and the observer of each notification stored', async () => {
    const told: TeamNotification[] = [];
    const { db, ports } = assemble({ onNotified: (n) => told.push(n) });
    const failed = fixture('build-failed.json');
    expect(await ports.notifier.notify(failed)).toBe(failed.id);
    expect((await new SqliteOutbox(db).list()).map((n) => n.id)).toEqual([failed.id]);
    expect(told.map((n) => n.id)).toEqual([failed.id]);
  });

  it("asks only the pipeline's own registry for the tags a ban's plan may move to", async () => {
    const { ports } = assemble();
    // A ban naming another registry must not make the pipeline contact it.
    expect(await ports.banPlan.tags('evil.example/base/busybox')).toEqual([]);
    expect(await ports.banPlan.tags(`${HOST}.evil.example/base/busybox`)).toEqual([]);
    // Its own is asked (nothing listens there, so the question fails).
    await expect(ports.banPlan.tags(`${HOST}/base/busybox`)).rejects.toThrow();
  });

  it('reports how long a push took, even one that fails', async () => {
    const timings: ToolTiming[] = [];
    const { ports } = assemble({ onToolTime: (t) => timings.push(t) });
    await expect(
      ports.registry.push('localhost/x:1', { repository: 'Bad Name', tag: 't1' }),
    ).rejects.toThrow();
    expect(timings).toEqual([{ tool: 'push', ms: expect.any(Number), subject: 'Bad Name:t1' }]);
    expect(ports.registry.host).toBe(HOST);
  });

  it('serialises rebuild dispatching with one lock for the ban and rebuild steps', async () => {
    const { ports } = assemble();
    const order: string[] = [];
    let release = (): void => undefined;
    const first = ports.dispatchLock.run(async () => {
      order.push('ban starts');
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      order.push('ban ends');
    });
    const second = ports.dispatchLock.run(async () => {
      order.push('rebuilds');
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['ban starts', 'ban ends', 'rebuilds']);
  });
});
