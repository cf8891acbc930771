import { type DrydockEvent, parseEvent } from '../../core/events/index.js';
import { type Clock, systemClock } from '../../core/ports/clock.js';
import type { AppendResult, EventLog, LoggedEvent } from '../../core/ports/event-log.js';
import type { StateDatabase } from './sqlite-database.js';

interface EventRow {
  seq: number;
  body: string;
}

const toLogged = (row: EventRow): LoggedEvent => ({
  seq: row.seq,
  event: JSON.parse(row.body) as DrydockEvent,
});

/** The event log in the SQLite state database; an event is validated before it is logged. */
export class SqliteEventLog implements EventLog {
  private readonly db: StateDatabase;
  private readonly clock: Clock;
  private readonly insert;
  private readonly byId;
  private readonly after;
  private readonly readCursor;
  private readonly writeCursor;

  constructor(db: StateDatabase, options: { clock?: Clock } = {}) {
    this.db = db;
    this.clock = options.clock ?? systemClock;
    this.insert = db.prepare(
      `INSERT INTO events (id, detail_type, time, body, logged_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (id) DO NOTHING RETURNING seq`,
    );
    this.byId = db.prepare('SELECT seq, body FROM events WHERE id = ?');
    this.after = db.prepare('SELECT seq, body FROM events WHERE seq > ? ORDER BY seq LIMIT ?');
    this.readCursor = db.prepare('SELECT seq FROM event_cursors WHERE reader = ?');
    this.writeCursor = db.prepare(
      `INSERT INTO event_cursors (reader, seq) VALUES (?, ?)
       ON CONFLICT (reader) DO UPDATE SET seq = max(seq, excluded.seq)`,
    );
  }

  async append(event: DrydockEvent): Promise<AppendResult> {
    // A caller that skipped parsing must not poison the log: invalid events throw InvalidEventError, for the DLQ.
    const parsed = parseEvent(event);
    if (!parsed.ok) throw parsed.error;
    const valid = parsed.event;
    return this.db.write(() => {
      const inserted = this.insert.get(
        valid.id,
        valid.detailType,
        valid.time,
        JSON.stringify(valid),
        this.clock.now().getTime(),
      ) as { seq: number } | undefined;
      if (inserted) return { seq: inserted.seq, appended: true };
      const existing = this.byId.get(valid.id) as EventRow;
      return { seq: existing.seq, appended: false };
    });
  }

  async readAfter(cursor: number, limit = 100): Promise<LoggedEvent[]> {
    return (this.after.all(cursor, limit) as EventRow[]).map(toLogged);
  }

  async get(id: string): Promise<LoggedEvent | undefined> {
    const row = this.byId.get(id) as EventRow | undefined;
    return row && toLogged(row);
  }

  async cursor(reader: string): Promise<number> {
    return (this.readCursor.get(reader) as { seq: number } | undefined)?.seq ?? 0;
  }

  async saveCursor(reader: string, seq: number): Promise<void> {
    this.db.write(() => this.writeCursor.run(reader, seq));
  }
}
