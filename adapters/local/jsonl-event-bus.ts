import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DrydockError, quoteInput } from '../../core/errors.js';
import { type DrydockEvent, parseEvent, toEventBridge } from '../../core/events/index.js';
import type { EventBus } from '../../core/ports/event-bus.js';

/** An events file that cannot be read or holds a line that is not a drydock event; the message names file and line. */
export class EventsFileError extends DrydockError {
  override readonly name = 'EventsFileError';

  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { code: 'EVENTS_FILE_INVALID', ...options });
  }
}

/** The most bytes one PutEvents entry may take: what the build-state function can relay of an event. */
export const EVENTBRIDGE_ENTRY_MAX_BYTES = 256 * 1024;

/**
 * The size of an event as a PutEvents entry, by EventBridge's rule (Time 14 bytes, strings their UTF-8 bytes), with
 * the event's id counted in the detail as the EventBridge bus may carry it: never less than the entry's size.
 */
export function wireEntryBytes(event: DrydockEvent): number {
  const wire = toEventBridge(event);
  const detail = { ...(wire.detail as object), 'drydock-event-id': event.id };
  return (
    14 +
    Buffer.byteLength(String(wire.source), 'utf8') +
    Buffer.byteLength(String(wire['detail-type']), 'utf8') +
    Buffer.byteLength(JSON.stringify(detail), 'utf8')
  );
}

/** An event the build-state function could never put on the bus; it is not written to the events file. */
export class EventTooLargeForRelayError extends DrydockError {
  override readonly name = 'EventTooLargeForRelayError';

  constructor(event: DrydockEvent, bytes: number) {
    super(
      `${event.detailType} ${event.id} is ${bytes} bytes on the wire; EventBridge takes at most ${EVENTBRIDGE_ENTRY_MAX_BYTES}`,
      { code: 'EVENT_TOO_LARGE' },
    );
  }
}

/**
 * EventBus appending each event in EventBridge wire form (`toEventBridge`), one JSON object per line, to a file:
 * the CodeBuild build's record of what its steps published, which the build-state function relays. An event
 * larger than a PutEvents entry (a log tail of a team's long lines) is refused with `EventTooLargeForRelayError`
 * and nothing of its batch is written: the step fails, rather than leaving an outcome no relay can deliver.
 */
export class JsonlEventBus implements EventBus {
  readonly path: string;

  constructor(path: string) {
    this.path = path;
  }

  async publish(events: readonly DrydockEvent[]): Promise<void> {
    if (events.length === 0) return;
    for (const event of events) {
      const bytes = wireEntryBytes(event);
      if (bytes > EVENTBRIDGE_ENTRY_MAX_BYTES) throw new EventTooLargeForRelayError(event, bytes);
    }
    // One write per batch: a line is never split between two writers' appends.
    const text = events.map((e) => `${JSON.stringify(toEventBridge(e))}\n`).join('');
    try {
      await mkdir(dirname(this.path), { recursive: true });
      await appendFile(this.path, text, 'utf8');
    } catch (error) {
      throw new EventsFileError(`cannot append to ${this.path}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
}

/** One event of an events file and the line it is on (1-based). */
export interface EventsFileEntry {
  readonly event: DrydockEvent;
  readonly line: number;
}

/**
 * Every event of a JSONL events file (blank lines skipped), validated; throws `EventsFileError` naming the file
 * and line of the first line that is not JSON or not a valid drydock event, and for a file that cannot be read.
 */
export async function readEventsFile(path: string): Promise<EventsFileEntry[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new EventsFileError(`cannot read events file ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return parseEventLines(text, path);
}

/** The events of JSONL text, validated; `source` names the file in errors. */
export function parseEventLines(text: string, source: string): EventsFileEntry[] {
  const entries: EventsFileEntry[] = [];
  const lines = text.split('\n');
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '') continue;
    entries.push({ event: parseEventText(line, `${source}:${index + 1}`), line: index + 1 });
  }
  return entries;
}

/** One event from JSON text (drydock or EventBridge wire form); `where` names it in the error. */
export function parseEventText(text: string, where: string): DrydockEvent {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new EventsFileError(`${where}: not JSON: ${(error as Error).message} (${quoteInput(text)})`, {
      cause: error,
    });
  }
  const parsed = parseEvent(json);
  if (!parsed.ok) throw new EventsFileError(`${where}: ${parsed.error.message}`, { cause: parsed.error });
  return parsed.event;
}
