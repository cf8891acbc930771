import { afterEach, describe, expect, it } from 'vitest';
import { SqliteEventLog } from '../../../adapters/local/sqlite-event-log.js';
import { SqliteOutbox } from '../../../adapters/local/sqlite-outbox.js';
import { BUILD_FAILED } from '../../../core/events/build-failed.js';
import { IMAGE_PUBLISHED } from '../../../core/events/image-published.js';
import { type DrydockEvent, parseEvent } from '../../../core/events/index.js';
import { defineStep, STEPS, StepEmitError } from '../../../core/steps/index.js';
import { drainOnce } from '../../../runtime/local/queue-worker.js';
import { queueHandlers, StepQueueMismatchError, stepHandler } from '../../../runtime/local/step-dispatch.js';
import { TempState } from '../../contracts/local-state.js';
import { eventFixture } from '../../core/events/fixtures.js';
import { openLocalStepPorts } from '../../helpers/local-step-ports.js';

const states: TempState[] = [];
afterEach(() => {
  for (const s of states.splice(0)) s.close();
});

function fixture(name: string): DrydockEvent {
  const parsed = parseEvent(eventFixture(name));
  if (!parsed.ok) throw parsed.error;
  return parsed.event;
}

/** The local queues, bus and ports on a fresh state (no registry or containers: nothing here builds or pushes). */
function local() {
  const state = new TempState();
  states.push(state);
  return openLocalStepPorts(state);
}

describe('queueHandlers', () => {
  it('gives every queue the local pipeline creates a step, and every step a queue', () => {
    const { queues, ports } = local();
    const names = Object.keys(queues).sort();
    expect(names).toEqual(STEPS.map((s) => s.name).sort());
    expect(Object.keys(queueHandlers(Object.keys(queues), ports)).sort()).toEqual(names);
  });

  it('refuses a queue no step drains, and a step no queue feeds', () => {
    const { queues, ports } = local();
    const extra = () => queueHandlers([...Object.keys(queues), 'sign'], ports);
    expect(extra).toThrow(StepQueueMismatchError);
    expect(extra).toThrow('the local queues and the step registry disagree (queues with no step: sign)');
    const missing = () =>
      queueHandlers(
        Object.keys(queues).filter((n) => n !== 'band-aids'),
        ports,
      );
    expect(missing).toThrow('(steps with no queue: band-aids)');
    try {
      missing();
    } catch (error) {
      expect(error).toMatchObject({ code: 'STEP_QUEUE_MISMATCH', retryable: false });
    }
  });

  it("runs the step of the queue's name on what the rules queued, and drops what the step does not consume", async () => {
    const { queues, bus, ports } = local();
    const handlers = queueHandlers(Object.keys(queues), ports);
    const published = fixture('image-published.json');
    await bus.publish([published]);
    await bus.route();
    const lineage = await drainOnce(queues.lineage!, handlers.lineage!);
    expect(lineage).toEqual({ handled: 1, retried: 0, deadLettered: 0 });
    const digest = published.detailType === 'Image Published' ? published.detail.digest : '';
    expect(await ports.lineage.image(digest)).toMatchObject({
      digest,
      definition: 'services/api/Dockerfile',
    });
    // The notify step does not consume a published image: acknowledged, nobody told.
    await handlers.notify!(published);
    expect(await queues.notify!.depth()).toMatchObject({ visible: 0 });
  });

  it("tells the team through the notify queue's step: the outbox holds the notification", async () => {
    const { db, queues, bus, ports } = local();
    const handlers = queueHandlers(Object.keys(queues), ports);
    const failed = fixture('build-failed.json');
    await bus.publish([failed]);
    await bus.route();
    expect(await drainOnce(queues.notify!, handlers.notify!)).toMatchObject({ handled: 1 });
    expect((await new SqliteOutbox(db).list()).map((n) => [n.id, n.kind])).toEqual([
      [failed.id, 'build-failed'],
    ]);
  });
});

describe('stepHandler', () => {
  it("refuses what a step does not declare before the local bus logs it: a step cannot forge ops' ban", async () => {
    const { db, ports } = local();
    const ban = fixture('base-image-banned.json');
    const rogue = defineStep({
      name: 'rogue',
      description: 'publishes a ban it may not',
      consumes: [BUILD_FAILED],
      emits: [IMAGE_PUBLISHED],
      ports: ['bus'],
      handle: async (_event, p) => p.bus.publish([ban]),
    });
    await expect(stepHandler(rogue, ports)(fixture('build-failed.json'))).rejects.toBeInstanceOf(
      StepEmitError,
    );
    expect(await new SqliteEventLog(db).get(ban.id)).toBeUndefined();
  });
});
