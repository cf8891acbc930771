import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  EventBridgeEventBus,
  EventTooLargeError,
  PUT_EVENTS_MAX_BYTES,
  PutEventsFailedError,
} from '../../../adapters/aws/eventbridge-event-bus.js';
import { type DrydockEvent, parseEvent, toEventBridge, WIRE_ID_KEY } from '../../../core/events/index.js';
import { buildRequested } from '../../contracts/sample-events.js';

const eb = mockClient(EventBridgeClient);
const sleeps: number[] = [];
const bus = (attempts?: number) =>
  new EventBridgeEventBus({
    client: new EventBridgeClient({ region: 'eu-west-1' }),
    busName: 'drydock-bus',
    ...(attempts ? { attempts } : {}),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
const events = (n: number): DrydockEvent[] => Array.from({ length: n }, (_, i) => buildRequested(`e${i}`));
const ok = (n: number) => ({
  FailedEntryCount: 0,
  Entries: Array.from({ length: n }, (_, i) => ({ EventId: `id-${i}` })),
});

beforeEach(() => {
  eb.reset();
  sleeps.length = 0;
});
afterEach(() => eb.reset());

describe('EventBridgeEventBus', () => {
  it('puts 23 events in 3 calls of at most 10 entries, in order', async () => {
    eb.on(PutEventsCommand).callsFake((input) => ok(input.Entries.length));
    const all = events(23);
    await bus().publish(all);
    const calls = eb.commandCalls(PutEventsCommand).map((c) => c.args[0].input.Entries ?? []);
    expect(calls.map((c) => c.length)).toEqual([10, 10, 3]);
    expect(calls.flat().map((e) => JSON.parse(e.Detail ?? '').buildId)).toEqual(
      all.map((e) => (e.detail as { buildId: string }).buildId),
    );
  });

  it('sends the wire form of toEventBridge: source, detail-type, detail, time, on the named bus', async () => {
    eb.on(PutEventsCommand).resolves(ok(1));
    const [event] = events(1);
    await bus().publish([event!]);
    const wire = toEventBridge(event!);
    expect(eb.commandCalls(PutEventsCommand)[0]!.args[0].input.Entries).toEqual([
      {
        EventBusName: 'drydock-bus',
        Source: 'drydock',
        DetailType: 'Build Requested',
        // EventBridge gives every entry an id of its own: drydock's travels in the detail.
        Detail: JSON.stringify({ ...(wire.detail as object), [WIRE_ID_KEY]: event!.id }),
        Time: new Date(event!.time),
      },
    ]);
  });

  it('splits a call before 256 KiB even with fewer than 10 entries', async () => {
    eb.on(PutEventsCommand).callsFake((input) => ok(input.Entries.length));
    const big = events(4).map((e) => ({
      ...e,
      detail: { ...(e.detail as object), dockerfile: `FROM scratch\n# ${'x'.repeat(100_000)}\n` },
    })) as DrydockEvent[];
    await bus().publish(big);
    expect(eb.commandCalls(PutEventsCommand).map((c) => c.args[0].input.Entries?.length)).toEqual([2, 2]);
  });

  it('refuses an event larger than one call can carry, before sending anything', async () => {
    const [e] = events(1);
    const huge = {
      ...e!,
      detail: { ...(e!.detail as object), dockerfile: 'x'.repeat(PUT_EVENTS_MAX_BYTES) },
    } as DrydockEvent;
    await expect(bus().publish([huge])).rejects.toBeInstanceOf(EventTooLargeError);
    expect(eb.commandCalls(PutEventsCommand)).toHaveLength(0);
  });

  it('sends again only the entries refused with a transient code', async () => {
    eb.on(PutEventsCommand)
      .resolvesOnce({
        FailedEntryCount: 2,
        Entries: [
          { EventId: 'a' },
          { ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' },
          { EventId: 'c' },
          { ErrorCode: 'InternalFailure', ErrorMessage: 'oops' },
        ],
      })
      .resolvesOnce(ok(2));
    const all = events(4);
    await bus().publish(all);
    const retry = eb.commandCalls(PutEventsCommand)[1]!.args[0].input.Entries ?? [];
    expect(retry.map((e) => JSON.parse(e.Detail ?? '').buildId)).toEqual(['build-e1', 'build-e3']);
    expect(sleeps).toEqual([100]);
  });

  it('raises every refused entry, retryable, after the last attempt', async () => {
    eb.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [{ ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' }],
    });
    const error = await bus(3)
      .publish(events(1))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PutEventsFailedError);
    expect(error).toMatchObject({
      retryable: true,
      failed: [{ eventId: 'e0', errorCode: 'ThrottlingException' }],
    });
    expect(eb.commandCalls(PutEventsCommand)).toHaveLength(3);
    expect(sleeps).toEqual([100, 200]);
  });

  it('raises a permanent refusal at once, not retryable', async () => {
    eb.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [{ EventId: 'a' }, { ErrorCode: 'AccessDeniedException', ErrorMessage: 'not allowed' }],
    });
    const error = await bus()
      .publish(events(2))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'PutEventsFailedError', retryable: false });
    expect((error as Error).message).toMatch(/e1: AccessDeniedException: not allowed/);
    expect(eb.commandCalls(PutEventsCommand)).toHaveLength(1);
  });

  it('wraps an SDK failure of the call with its retryability', async () => {
    eb.on(PutEventsCommand).rejects(
      Object.assign(new Error('Rate exceeded'), {
        name: 'ThrottlingException',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    await expect(bus().publish(events(1))).rejects.toMatchObject({
      name: 'AwsServiceError',
      awsCode: 'ThrottlingException',
      retryable: true,
    });
  });
});

describe('the drydock id on the wire', () => {
  it('comes back as the event id when EventBridge delivers the entry, and leaves the detail as it was', async () => {
    eb.on(PutEventsCommand).resolves(ok(1));
    const [event] = events(1);
    await bus().publish([event!]);
    const entry = eb.commandCalls(PutEventsCommand)[0]!.args[0].input.Entries![0]!;
    // What a rule target receives: EventBridge's own id and fields around the entry.
    const delivered = {
      version: '0',
      id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
      'detail-type': entry.DetailType,
      source: entry.Source,
      account: '111111111111',
      time: event!.time,
      region: 'eu-west-1',
      resources: [],
      detail: JSON.parse(entry.Detail!),
    };
    const parsed = parseEvent(delivered);
    expect(parsed.ok && parsed.event).toEqual(event);
  });

  it('is ignored when it is not a usable id, so the detail fails its schema instead of taking a forged one', () => {
    const parsed = parseEvent({
      id: 'eventbridge-id',
      'detail-type': 'Build Requested',
      source: 'drydock',
      time: '2025-03-14T09:27:00Z',
      detail: { [WIRE_ID_KEY]: 42 },
    });
    expect(parsed.ok).toBe(false);
  });
});
