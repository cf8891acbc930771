import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  entrySize,
  PUT_EVENTS_MAX_BYTES,
  toPutEventsEntry,
} from '../../../adapters/aws/eventbridge-event-bus.js';
import {
  EVENTBRIDGE_ENTRY_MAX_BYTES,
  EventTooLargeForRelayError,
  JsonlEventBus,
  parseEventLines,
  readEventsFile,
  wireEntryBytes,
} from '../../../adapters/local/jsonl-event-bus.js';
import { toEventBridge } from '../../../core/events/index.js';
import { buildRequested } from '../../contracts/sample-events.js';

describe('JsonlEventBus', () => {
  it('appends each event in wire form, one line each, and reads them back in order', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'drydock-events-'));
    try {
      const path = join(dir, 'sub', 'events.jsonl');
      const bus = new JsonlEventBus(path);
      await bus.publish([buildRequested('a'), buildRequested('b')]);
      await bus.publish([buildRequested('c')]);
      const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
      expect(lines.map((l) => JSON.parse(l))).toEqual(
        ['a', 'b', 'c'].map((id) => toEventBridge(buildRequested(id))),
      );
      expect((await readEventsFile(path)).map((e) => [e.line, e.event.id])).toEqual([
        [1, 'a'],
        [2, 'b'],
        [3, 'c'],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the file and line of a line that is not an event', () => {
    const good = JSON.stringify(toEventBridge(buildRequested('a')));
    expect(() => parseEventLines(`${good}\n[1]\n`, 'events.jsonl')).toThrow('events.jsonl:2: invalid event');
    expect(() => parseEventLines(`\n${good}\nnope`, 'events.jsonl')).toThrow('events.jsonl:3: not JSON');
  });

  it('names a file it cannot read', async () => {
    await expect(readEventsFile('/nonexistent/events.jsonl')).rejects.toThrow(
      'cannot read events file /nonexistent/events.jsonl',
    );
  });

  it('refuses a batch holding an event larger than a PutEvents entry, writing none of it', async () => {
    // A log tail of a team's long lines: the build-state function could never put it on the bus.
    const dir = mkdtempSync(join(tmpdir(), 'drydock-events-'));
    try {
      const path = join(dir, 'events.jsonl');
      const bus = new JsonlEventBus(path);
      await bus.publish([buildRequested('first')]);
      const before = readFileSync(path, 'utf8');
      const big = buildRequested('big');
      const huge = { ...big, detail: { ...big.detail, dockerfile: 'x'.repeat(EVENTBRIDGE_ENTRY_MAX_BYTES) } };
      const error = await bus.publish([buildRequested('ok'), huge]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EventTooLargeForRelayError);
      expect((error as EventTooLargeForRelayError).code).toBe('EVENT_TOO_LARGE');
      expect((error as Error).message).toMatch(/^Build Requested big is \d+ bytes on the wire/);
      expect(readFileSync(path, 'utf8')).toBe(before);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('never counts an event smaller than EventBridge counts its PutEvents entry, up to the same limit', () => {
    expect(EVENTBRIDGE_ENTRY_MAX_BYTES).toBe(PUT_EVENTS_MAX_BYTES);
    const event = buildRequested('sized');
    const withUnicode = { ...event, detail: { ...event.detail, dockerfile: 'RUN echo ✓ é\n' } };
    for (const e of [event, withUnicode]) {
      const entry = entrySize(toPutEventsEntry(e, 'bus'));
      // At most the id's own key and value more: the margin of an id the bus may carry in the detail.
      expect(wireEntryBytes(e)).toBeGreaterThanOrEqual(entry);
      expect(wireEntryBytes(e)).toBeLessThanOrEqual(entry + 32 + e.id.length);
    }
  });
});
