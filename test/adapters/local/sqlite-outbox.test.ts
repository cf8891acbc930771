import { afterEach, describe, expect, it } from 'vitest';
import { openStateDatabase, type StateDatabase } from '../../../adapters/local/sqlite-database.js';
import { SqliteOutbox } from '../../../adapters/local/sqlite-outbox.js';
import { parseEvent } from '../../../core/events/index.js';
import { type TeamNotification, teamNotificationFor } from '../../../core/notify/team-notification.js';
import { TempState } from '../../contracts/local-state.js';
import { eventFixture } from '../../core/events/fixtures.js';

const opened: StateDatabase[] = [];
const states: TempState[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
  for (const s of states.splice(0)) s.close();
});

function outbox(): SqliteOutbox {
  const db = openStateDatabase(':memory:');
  opened.push(db);
  return new SqliteOutbox(db);
}

/** The notification a fixture event calls for. */
function noteFor(name: string): TeamNotification {
  const parsed = parseEvent(eventFixture(name));
  if (!parsed.ok) throw parsed.error;
  const note = teamNotificationFor(parsed.event);
  if (!note) throw new Error(`${name} calls for no notification`);
  return note;
}

const note = (id: string, at: string, summary = `about ${id}`): TeamNotification => ({
  id,
  kind: 'build-failed',
  repository: 'team/apps',
  definition: 'Dockerfile',
  commit: 'c'.repeat(40),
  summary,
  at,
});

describe('SqliteOutbox', () => {
  it('keeps a notification as it was put', async () => {
    const box = outbox();
    const failed = noteFor('build-failed.json');
    expect(await box.put(failed)).toBe(true);
    // Times come back in one form, with milliseconds.
    expect(await box.list()).toEqual([{ ...failed, at: '2025-03-14T09:27:40.000Z' }]);
  });

  it('stores one notification per event id', async () => {
    const box = outbox();
    expect(await box.put(note('e1', '2025-03-14T09:00:00.000Z', 'first'))).toBe(true);
    expect(await box.put(note('e1', '2025-03-14T09:05:00.000Z', 'again'))).toBe(false);
    expect(await box.list()).toEqual([note('e1', '2025-03-14T09:00:00.000Z', 'first')]);
  });

  it('lists the newest first, up to the limit', async () => {
    const box = outbox();
    for (const name of ['definition-verdict-failed.json', 'build-failed.json', 'image-tested.json'])
      await box.put(noteFor(name));
    expect((await box.list()).map((n) => n.kind)).toEqual(['tests-failed', 'build-failed', 'verdict-failed']);
    expect((await box.list(2)).map((n) => n.kind)).toEqual(['tests-failed', 'build-failed']);
  });

  it('lists in the order notifications were stored, not by their event time', async () => {
    const box = outbox();
    await box.put(note('late', '2025-03-14T10:00:00.000Z'));
    await box.put(note('early', '2025-03-14T08:00:00.000Z'));
    expect((await box.list()).map((n) => n.id)).toEqual(['early', 'late']);
  });

  it('sees what another connection to the state stored', async () => {
    const state = new TempState();
    states.push(state);
    await new SqliteOutbox(state.open()).put(note('e2', '2025-03-14T09:00:00.000Z'));
    expect((await new SqliteOutbox(state.open()).list()).map((n) => n.id)).toEqual(['e2']);
  });
});
