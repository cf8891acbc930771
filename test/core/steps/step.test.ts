import { describe, expect, it } from 'vitest';
import { BUILD_FAILED } from '../../../core/events/build-failed.js';
import { DEFINITION_VERDICT } from '../../../core/events/definition-verdict.js';
import { IMAGE_PUBLISHED } from '../../../core/events/image-published.js';
import { type DrydockEvent, parseEvent } from '../../../core/events/index.js';
import { systemClock } from '../../../core/ports/clock.js';
import type { EventBus } from '../../../core/ports/event-bus.js';
import {
  defineStep,
  notifyStep,
  runStep,
  StepEmitError,
  type TeamNotifier,
} from '../../../core/steps/index.js';
import { eventFixture } from '../events/fixtures.js';

function fixture(name: string): DrydockEvent {
  const parsed = parseEvent(eventFixture(name));
  if (!parsed.ok) throw parsed.error;
  return parsed.event;
}

/** The real bus a runtime would pass: it keeps what reached it. */
function recordingBus(): EventBus & { readonly seen: DrydockEvent[] } {
  const seen: DrydockEvent[] = [];
  return { seen, publish: async (events) => void seen.push(...events) };
}

const failed = fixture('build-failed.json');
const published = fixture('image-published.json');
const verdict = fixture('definition-verdict-failed.json');

/** A step that consumes `Build Failed`, may publish `Image Published`, and publishes what the test gives it. */
function relayStep(toPublish: (event: DrydockEvent) => DrydockEvent[], calls: DrydockEvent[] = []) {
  return defineStep({
    name: 'relay',
    description: 'publishes what it is given',
    consumes: [BUILD_FAILED],
    emits: [IMAGE_PUBLISHED],
    ports: ['bus'],
    handle: async (event, ports) => {
      calls.push(event);
      await ports.bus.publish(toPublish(event));
    },
  });
}

describe('runStep', () => {
  it('ignores an event the step does not consume: the handler is not called', async () => {
    const calls: DrydockEvent[] = [];
    const bus = recordingBus();
    const run = await runStep(
      relayStep(() => [published], calls),
      published,
      { bus },
    );
    expect(run).toEqual({ ran: false, reason: 'step relay does not consume Image Published' });
    expect(calls).toEqual([]);
    expect(bus.seen).toEqual([]);
  });

  it('ignores for a real step too: the notify step tells no team about a published image', async () => {
    const told: DrydockEvent[] = [];
    const notifier: TeamNotifier = {
      notify: async (e) => {
        told.push(e);
        return e.id;
      },
    };
    expect((await runStep(notifyStep, published, { notifier })).ran).toBe(false);
    expect(told).toEqual([]);
    expect(await runStep(notifyStep, verdict, { notifier })).toEqual({ ran: true });
    expect(told.map((e) => e.detailType)).toEqual([DEFINITION_VERDICT]);
  });

  it('refuses an undeclared emit with StepEmitError before anything of the batch reaches the real bus', async () => {
    const bus = recordingBus();
    const error = await runStep(
      relayStep(() => [published, verdict]),
      failed,
      { bus },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StepEmitError);
    expect(error).toMatchObject({ code: 'STEP_EMIT_UNDECLARED', retryable: false });
    expect((error as Error).message).toBe('step relay may publish Image Published, not "Definition Verdict"');
    // The declared event of the same batch was refused with it: nothing reached the bus.
    expect(bus.seen).toEqual([]);
  });

  it('refuses a detail-type that only looks like a declared one', async () => {
    const bus = recordingBus();
    const forged = { ...published, detailType: 'Image Published ' } as unknown as DrydockEvent;
    await expect(
      runStep(
        relayStep(() => [forged]),
        failed,
        { bus },
      ),
    ).rejects.toBeInstanceOf(StepEmitError);
    const cased = { ...published, detailType: 'image published' } as unknown as DrydockEvent;
    await expect(
      runStep(
        relayStep(() => [cased]),
        failed,
        { bus },
      ),
    ).rejects.toBeInstanceOf(StepEmitError);
    expect(bus.seen).toEqual([]);
  });

  it('says "nothing" for a step that may publish nothing', async () => {
    const silent = defineStep({
      name: 'silent',
      description: 'publishes nothing',
      consumes: [BUILD_FAILED],
      emits: [],
      ports: ['bus'],
      handle: async (_event, ports) => ports.bus.publish([published]),
    });
    await expect(runStep(silent, failed, { bus: recordingBus() })).rejects.toThrow(
      'step silent may publish nothing, not "Image Published"',
    );
  });

  it('passes declared events through, in order, to the real bus', async () => {
    const bus = recordingBus();
    const second = { ...published, id: 'published-2' } as DrydockEvent;
    const calls: DrydockEvent[] = [];
    expect(
      await runStep(
        relayStep(() => [published, second], calls),
        failed,
        { bus },
      ),
    ).toEqual({ ran: true });
    expect(calls).toEqual([failed]);
    expect(bus.seen.map((e) => e.id)).toEqual([published.id, 'published-2']);
  });

  it('runs a step that has no bus port, with the ports it was given', async () => {
    let seen: unknown;
    const busless = defineStep({
      name: 'busless',
      description: 'reads the time',
      consumes: [BUILD_FAILED],
      emits: [],
      ports: ['clock'],
      handle: async (_event, ports) => {
        seen = ports;
      },
    });
    expect(await runStep(busless, failed, { clock: systemClock })).toEqual({ ran: true });
    expect(seen).toEqual({ clock: systemClock });
  });
});
