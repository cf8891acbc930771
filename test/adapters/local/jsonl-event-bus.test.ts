import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JsonlEventBus, parseEventLines, readEventsFile } from '../../../adapters/local/jsonl-event-bus.js';
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
});
