import type { TeamNotification } from '../../core/notify/team-notification.js';
import type { StateDatabase } from './sqlite-database.js';

interface Row {
  id: string;
  kind: TeamNotification['kind'];
  repository: string;
  definition: string;
  commit_id: string;
  summary: string;
  at: number;
}

/** The outbox of team notifications in the SQLite state: one per event id, shown by the CLI and dashboard. */
export class SqliteOutbox {
  private readonly insert;
  private readonly recent;

  constructor(private readonly db: StateDatabase) {
    this.insert = db.prepare(
      `INSERT INTO notifications (id, kind, repository, definition, commit_id, summary, body, at)
       VALUES (@id, @kind, @repository, @definition, @commit, @summary, @body, @at) ON CONFLICT (id) DO NOTHING`,
    );
    this.recent = db.prepare(
      'SELECT id, kind, repository, definition, commit_id, summary, at FROM notifications ORDER BY seq DESC LIMIT ?',
    );
  }

  /** Stores a notification once; storing the same id again changes nothing and returns false. */
  async put(notification: TeamNotification): Promise<boolean> {
    return this.db.write(
      () =>
        this.insert.run({
          ...notification,
          body: JSON.stringify(notification),
          at: Date.parse(notification.at),
        }).changes > 0,
    );
  }

  /** Notifications, newest first. */
  async list(limit = 50): Promise<TeamNotification[]> {
    return (this.recent.all(limit) as Row[]).map((r) => ({
      id: r.id,
      kind: r.kind,
      repository: r.repository,
      definition: r.definition,
      commit: r.commit_id,
      summary: r.summary,
      at: new Date(r.at).toISOString(),
    }));
  }
}
