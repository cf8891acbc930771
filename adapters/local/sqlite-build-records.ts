import { DrydockError } from '../../core/errors.js';
import {
  BUILD_TRANSITIONS,
  type BuildKey,
  BuildNotFoundError,
  type BuildRecord,
  type BuildRecords,
  type BuildRequest,
  type BuildState,
  BuildTransitionError,
  buildRecordFrom,
  isTerminal,
  type TransitionDetails,
} from '../../core/ports/build-records.js';
import { type Clock, systemClock } from '../../core/ports/clock.js';
import type { StateDatabase } from './sqlite-database.js';

interface BuildRow {
  build_id: string;
  repository: string;
  definition: string;
  commit_id: string;
  rebuild: string;
  correlation_id: string;
  state: BuildState;
  attempts: number;
  queued_at: number;
  updated_at: number;
  started_at: number | null;
  finished_at: number | null;
  log_path: string | null;
  image_digest: string | null;
  error: string | null;
}

const COLUMNS = `build_id, repository, definition, commit_id, rebuild, correlation_id, state, attempts, queued_at, updated_at,
  started_at, finished_at, log_path, image_digest, error`;

/** Build records in the SQLite state database, one per (repository, definition, commit, rebuild); '' is a push's. */
export class SqliteBuildRecords implements BuildRecords {
  private readonly db: StateDatabase;
  private readonly clock: Clock;
  private readonly s;

  constructor(db: StateDatabase, options: { clock?: Clock } = {}) {
    this.db = db;
    this.clock = options.clock ?? systemClock;
    this.s = {
      insert: db.prepare(
        `INSERT INTO builds (build_id, repository, definition, commit_id, rebuild, correlation_id, state, queued_at,
           updated_at)
         VALUES (?, ?, ?, ?, ?, ?, 'queued', ?, ?) ON CONFLICT DO NOTHING`,
      ),
      history: db.prepare('INSERT INTO build_history (build_id, state, at) VALUES (?, ?, ?)'),
      historyOf: db.prepare('SELECT state, at FROM build_history WHERE build_id = ? ORDER BY seq'),
      byId: db.prepare(`SELECT ${COLUMNS} FROM builds WHERE build_id = ?`),
      byKey: db.prepare(
        `SELECT ${COLUMNS} FROM builds WHERE repository = ? AND definition = ? AND commit_id = ? AND rebuild = ?`,
      ),
      newestOf: db.prepare(
        `SELECT ${COLUMNS} FROM builds WHERE repository = ? AND definition = ?
         ORDER BY queued_at DESC, rowid DESC LIMIT 1`,
      ),
      update: db.prepare(
        `UPDATE builds SET state = @state, attempts = @attempts, updated_at = @now, started_at = @startedAt,
           finished_at = @finishedAt, log_path = @logPath, image_digest = @imageDigest, error = @error
         WHERE build_id = @buildId`,
      ),
      newest: db.prepare(`SELECT ${COLUMNS} FROM builds ORDER BY queued_at DESC, rowid DESC LIMIT ?`),
      newestIn: db.prepare(
        `SELECT ${COLUMNS} FROM builds WHERE state IN (SELECT value FROM json_each(?))
         ORDER BY queued_at DESC, rowid DESC LIMIT ?`,
      ),
    };
  }

  async enqueue(request: BuildRequest): Promise<{ record: BuildRecord; created: boolean }> {
    const now = this.clock.now().getTime();
    const rebuild = request.rebuild ?? '';
    return this.db.write(() => {
      const { changes } = this.s.insert.run(
        request.buildId,
        request.repository,
        request.definition,
        request.commit,
        rebuild,
        request.correlationId,
        now,
        now,
      );
      if (changes > 0) this.s.history.run(request.buildId, 'queued', now);
      const row = this.s.byKey.get(request.repository, request.definition, request.commit, rebuild) as
        | BuildRow
        | undefined;
      if (!row) {
        throw new DrydockError(
          `build id ${request.buildId} is already used by another (repository, definition, commit, rebuild)`,
          { code: 'BUILD_ID_CONFLICT' },
        );
      }
      return { record: this.buildRecordFrom(row), created: changes > 0 };
    });
  }

  async transition(buildId: string, to: BuildState, details: TransitionDetails = {}): Promise<BuildRecord> {
    const now = this.clock.now().getTime();
    return this.db.write(() => {
      const row = this.s.byId.get(buildId) as BuildRow | undefined;
      if (!row) throw new BuildNotFoundError(buildId);
      if (!BUILD_TRANSITIONS[row.state].includes(to)) throw new BuildTransitionError(buildId, row.state, to);
      // Repeating a step (a redelivered event) changes nothing, except `building`, which is a restart.
      if (row.state === to && to !== 'building') return this.buildRecordFrom(row);
      const starts = to === 'building';
      this.s.update.run({
        buildId,
        state: to,
        now,
        attempts: starts ? row.attempts + 1 : row.attempts,
        startedAt: row.started_at ?? (starts ? now : null),
        finishedAt: isTerminal(to) ? now : null,
        logPath: details.logPath ?? row.log_path,
        imageDigest: details.imageDigest ?? row.image_digest,
        error: details.error ?? row.error,
      });
      this.s.history.run(buildId, to, now);
      return this.buildRecordFrom(this.s.byId.get(buildId) as BuildRow);
    });
  }

  async get(buildId: string): Promise<BuildRecord | undefined> {
    return this.db.read(() => {
      const row = this.s.byId.get(buildId) as BuildRow | undefined;
      return row && this.buildRecordFrom(row);
    });
  }

  async find(key: BuildKey): Promise<BuildRecord | undefined> {
    return this.db.read(() => {
      const row = this.s.byKey.get(key.repository, key.definition, key.commit, key.rebuild ?? '') as
        | BuildRow
        | undefined;
      return row && this.buildRecordFrom(row);
    });
  }

  async newestFor(repository: string, definition: string): Promise<BuildRecord | undefined> {
    return this.db.read(() => {
      const row = this.s.newestOf.get(repository, definition) as BuildRow | undefined;
      return row && this.buildRecordFrom(row);
    });
  }

  async list(options: { states?: readonly BuildState[]; limit?: number } = {}): Promise<BuildRecord[]> {
    const limit = options.limit ?? 100;
    return this.db.read(() => {
      const rows =
        options.states === undefined
          ? this.s.newest.all(limit)
          : this.s.newestIn.all(JSON.stringify(options.states), limit);
      return (rows as BuildRow[]).map((row) => this.buildRecordFrom(row));
    });
  }

  private buildRecordFrom(row: BuildRow): BuildRecord {
    const history = this.s.historyOf.all(row.build_id) as { state: BuildState; at: number }[];
    const optional = <T>(value: T | null): T | undefined => (value === null ? undefined : value);
    return buildRecordFrom({
      buildId: row.build_id,
      repository: row.repository,
      definition: row.definition,
      commit: row.commit_id,
      rebuild: row.rebuild,
      correlationId: row.correlation_id,
      state: row.state,
      attempts: row.attempts,
      queuedAt: row.queued_at,
      updatedAt: row.updated_at,
      startedAt: optional(row.started_at),
      finishedAt: optional(row.finished_at),
      logPath: optional(row.log_path),
      imageDigest: optional(row.image_digest),
      error: optional(row.error),
      history,
    });
  }
}
