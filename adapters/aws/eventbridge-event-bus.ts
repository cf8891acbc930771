import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import { DrydockError } from '../../core/errors.js';
import { type DrydockEvent, toEventBridge, WIRE_ID_KEY } from '../../core/events/index.js';
import type { EventBus } from '../../core/ports/event-bus.js';
import { awsCall, chunk } from './aws-service-error.js';

/** PutEvents takes at most 10 entries per call. */
export const PUT_EVENTS_MAX_ENTRIES = 10;
/** PutEvents takes at most 256 KiB per call, counted as EventBridge counts entry sizes. */
export const PUT_EVENTS_MAX_BYTES = 256 * 1024;

// Entry error codes EventBridge documents as transient.
const RETRYABLE_ENTRY_CODES = new Set(['ThrottlingException', 'InternalFailure', 'InternalException']);

/** Options of the EventBridge bus. */
export interface EventBridgeEventBusOptions {
  readonly client: EventBridgeClient;
  /** Name or ARN of the custom bus. */
  readonly busName: string;
  /** Attempts for entries EventBridge refused with a transient code. @default 3 */
  readonly attempts?: number;
  /** Waits between attempts; injected so that tests do not sleep. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** One entry EventBridge refused for good (or after every attempt). */
export interface FailedEntry {
  readonly eventId: string;
  readonly detailType: string;
  readonly errorCode: string;
  readonly errorMessage: string;
}

/** PutEvents refused some entries; retryable when every refusal was transient. */
export class PutEventsFailedError extends DrydockError {
  override readonly name = 'PutEventsFailedError';
  readonly failed: readonly FailedEntry[];

  constructor(failed: readonly FailedEntry[], retryable: boolean) {
    const lines = failed.map((f) => `  ${f.detailType} ${f.eventId}: ${f.errorCode}: ${f.errorMessage}`);
    super(`EventBridge refused ${failed.length} event(s):\n${lines.join('\n')}`, {
      code: 'EVENTS_NOT_PUT',
      retryable,
    });
    this.failed = failed;
  }
}

/** An event larger than one PutEvents call can carry; it can never be sent as it is. */
export class EventTooLargeError extends DrydockError {
  override readonly name = 'EventTooLargeError';

  constructor(event: DrydockEvent, bytes: number) {
    super(
      `${event.detailType} ${event.id} is ${bytes} bytes on the wire; EventBridge takes at most ${PUT_EVENTS_MAX_BYTES}`,
      { code: 'EVENT_TOO_LARGE' },
    );
  }
}

/**
 * The PutEvents entry of a drydock event: the wire form of `toEventBridge`, on the given bus, with the event's own
 * id in the detail (`WIRE_ID_KEY`), since EventBridge gives the entry an id of its own.
 */
export function toPutEventsEntry(event: DrydockEvent, busName: string): PutEventsRequestEntry {
  const wire = toEventBridge(event);
  return {
    EventBusName: busName,
    Source: wire.source as string,
    DetailType: wire['detail-type'] as string,
    Detail: JSON.stringify({ ...(wire.detail as object), [WIRE_ID_KEY]: event.id }),
    Time: new Date(event.time),
  };
}

// EventBridge's documented size rule: Time counts 14 bytes, strings count their UTF-8 bytes.
export function entrySize(entry: PutEventsRequestEntry): number {
  let size = entry.Time ? 14 : 0;
  for (const text of [entry.Source, entry.DetailType, entry.Detail, ...(entry.Resources ?? [])]) {
    if (text) size += Buffer.byteLength(text, 'utf8');
  }
  return size;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The drydock event bus on an EventBridge custom bus: PutEvents in calls of at most 10 entries and 256 KiB,
 * entries refused with a transient code sent again, and anything still refused raised with every entry named.
 */
export class EventBridgeEventBus implements EventBus {
  private readonly client: EventBridgeClient;
  private readonly busName: string;
  private readonly attempts: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(options: EventBridgeEventBusOptions) {
    this.client = options.client;
    this.busName = options.busName;
    this.attempts = options.attempts ?? 3;
    this.sleep = options.sleep ?? wait;
  }

  async publish(events: readonly DrydockEvent[]): Promise<void> {
    const pending = events.map((event) => {
      const entry = toPutEventsEntry(event, this.busName);
      const bytes = entrySize(entry);
      if (bytes > PUT_EVENTS_MAX_BYTES) throw new EventTooLargeError(event, bytes);
      return { event, entry, bytes };
    });
    const batches = chunk(pending, PUT_EVENTS_MAX_ENTRIES, PUT_EVENTS_MAX_BYTES, (p) => p.bytes);
    for (const batch of batches) await this.putBatch(batch);
  }

  private async putBatch(batch: { event: DrydockEvent; entry: PutEventsRequestEntry }[]): Promise<void> {
    let remaining = batch;
    for (let attempt = 1; ; attempt++) {
      const out = await awsCall('events:PutEvents', () =>
        this.client.send(new PutEventsCommand({ Entries: remaining.map((r) => r.entry) })),
      );
      if (!out.FailedEntryCount) return;
      // Result entries are positional: the n-th result answers the n-th entry sent.
      const failed = remaining.flatMap((r, i) => {
        const result = out.Entries?.[i];
        return result?.ErrorCode
          ? [{ ...r, code: result.ErrorCode, message: result.ErrorMessage ?? '' }]
          : [];
      });
      if (failed.length === 0) return;
      const transient = failed.every((f) => RETRYABLE_ENTRY_CODES.has(f.code));
      if (!transient || attempt >= this.attempts) {
        throw new PutEventsFailedError(
          failed.map((f) => ({
            eventId: f.event.id,
            detailType: f.event.detailType,
            errorCode: f.code,
            errorMessage: f.message,
          })),
          transient,
        );
      }
      await this.sleep(100 * 2 ** (attempt - 1));
      remaining = failed;
    }
  }
}
