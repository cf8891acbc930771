import { afterEach, describe, expect, it } from 'vitest';
import { OutboxNotifier } from '../../../adapters/local/outbox-notifier.js';
import { openStateDatabase, type StateDatabase } from '../../../adapters/local/sqlite-database.js';
import { SqliteOutbox } from '../../../adapters/local/sqlite-outbox.js';
import { type DrydockEvent, parseEvent } from '../../../core/events/index.js';
import type { TeamNotification } from '../../../core/notify/team-notification.js';
import { eventFixture } from '../../core/events/fixtures.js';

const opened: StateDatabase[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

function outbox(): SqliteOutbox {
  const db = openStateDatabase(':memory:');
  opened.push(db);
  return new SqliteOutbox(db);
}

function fixture(
  name: string,
  change: (raw: Record<string, unknown>) => void = () => undefined,
): DrydockEvent {
  const raw = eventFixture(name);
  change(raw);
  const parsed = parseEvent(raw);
  if (!parsed.ok) throw parsed.error;
  return parsed.event;
}

describe('OutboxNotifier', () => {
  it("stores an event's notification in the outbox and returns its id", async () => {
    const box = outbox();
    const told: TeamNotification[] = [];
    const notifier = new OutboxNotifier(box, { onStored: (n) => told.push(n) });
    const failed = fixture('build-failed.json');
    expect(await notifier.notify(failed)).toBe(failed.id);
    const [stored] = await box.list();
    expect(stored).toMatchObject({
      id: failed.id,
      kind: 'build-failed',
      definition: 'services/api/Dockerfile',
    });
    expect(told.map((n) => n.id)).toEqual([failed.id]);
  });

  it('stores and tells a redelivered event once', async () => {
    const box = outbox();
    const told: TeamNotification[] = [];
    const notifier = new OutboxNotifier(box, { onStored: (n) => told.push(n) });
    const failed = fixture('definition-verdict-failed.json');
    await notifier.notify(failed);
    expect(await notifier.notify(failed)).toBe(failed.id);
    expect(await box.list()).toHaveLength(1);
    expect(told).toHaveLength(1);
  });

  it('stores nothing for an event with nothing to tell', async () => {
    const box = outbox();
    const told: TeamNotification[] = [];
    const notifier = new OutboxNotifier(box, { onStored: (n) => told.push(n) });
    expect(await notifier.notify(fixture('image-published.json'))).toBeUndefined();
    expect(await box.list()).toEqual([]);
    expect(told).toEqual([]);
  });

  it('keeps the notification when the observer throws: the step is not run (and the team told) again', async () => {
    const box = outbox();
    const notifier = new OutboxNotifier(box, {
      onStored: () => {
        throw new Error('log closed');
      },
    });
    const failed = fixture('build-failed.json');
    expect(await notifier.notify(failed)).toBe(failed.id);
    expect((await box.list()).map((n) => n.id)).toEqual([failed.id]);
  });

  it("hands the observer no control character of a team's definition path (it becomes a log line)", async () => {
    const told: TeamNotification[] = [];
    const notifier = new OutboxNotifier(outbox(), { onStored: (n) => told.push(n) });
    await notifier.notify(
      fixture('definition-verdict-failed.json', (raw) => {
        (raw.detail as Record<string, unknown>).definition = 'app/\u001b]0;owned\u0007\nDockerfile';
      }),
    );
    expect(told).toHaveLength(1);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find them.
    expect(`${told[0]?.definition} ${told[0]?.summary}`).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
  });
});
