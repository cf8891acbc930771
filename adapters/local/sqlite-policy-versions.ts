import { createHash } from 'node:crypto';
import { type Clock, systemClock } from '../../core/ports/clock.js';
import type { StateDatabase } from './sqlite-database.js';

/** A policy document the gate applied: its hash, where it came from, when. */
export interface PolicyVersion {
  readonly version: number;
  readonly sha256: string;
  readonly source: string;
  readonly appliedAt: string;
}

interface Row {
  seq: number;
  sha256: string;
  source: string;
  applied_at: number;
  text?: string;
}

const toVersion = (r: Row): PolicyVersion => ({
  version: r.seq,
  sha256: r.sha256,
  source: r.source,
  appliedAt: new Date(r.applied_at).toISOString(),
});

/** The history of applied policy documents in the SQLite state; a document equal to the latest is not stored again. */
export class SqlitePolicyVersions {
  private readonly latestRow;
  private readonly insert;
  private readonly recent;
  private readonly textOf;

  constructor(
    private readonly db: StateDatabase,
    private readonly clock: Clock = systemClock,
  ) {
    this.latestRow = db.prepare(
      'SELECT seq, sha256, source, applied_at FROM policy_versions ORDER BY seq DESC LIMIT 1',
    );
    this.insert = db.prepare(
      'INSERT INTO policy_versions (sha256, source, text, applied_at) VALUES (?, ?, ?, ?) RETURNING seq, sha256, source, applied_at',
    );
    this.recent = db.prepare(
      'SELECT seq, sha256, source, applied_at FROM policy_versions ORDER BY seq DESC LIMIT ?',
    );
    this.textOf = db.prepare('SELECT text FROM policy_versions WHERE seq = ?');
  }

  /** Records a validated document as applied unless it equals the latest; returns the version in force. */
  record(text: string, source: string): { readonly version: PolicyVersion; readonly changed: boolean } {
    const sha256 = createHash('sha256').update(text, 'utf8').digest('hex');
    return this.db.write(() => {
      const latest = this.latestRow.get() as Row | undefined;
      if (latest && latest.sha256 === sha256) return { version: toVersion(latest), changed: false };
      const row = this.insert.get(sha256, source, text, this.clock.now().getTime()) as Row;
      return { version: toVersion(row), changed: true };
    });
  }

  /** The version in force, if any was applied. */
  latest(): PolicyVersion | undefined {
    const row = this.latestRow.get() as Row | undefined;
    return row ? toVersion(row) : undefined;
  }

  /** Applied versions, newest first. */
  history(limit = 20): PolicyVersion[] {
    return (this.recent.all(limit) as Row[]).map(toVersion);
  }

  /** The text of a version. */
  text(version: number): string | undefined {
    return (this.textOf.get(version) as { text: string } | undefined)?.text;
  }
}
