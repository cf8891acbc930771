import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { DrydockError } from '../../core/errors.js';

/** A prepared statement of better-sqlite3, as far as drydock uses it. */
export interface SqliteStatement {
  run(...params: unknown[]): { changes: number; lastInsertRowid: number | bigint };
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}

/** A better-sqlite3 connection, as far as drydock uses it. */
export interface SqliteConnection {
  readonly name: string;
  readonly open: boolean;
  prepare(sql: string): SqliteStatement;
  exec(sql: string): unknown;
  pragma(source: string, options?: { simple?: boolean }): unknown;
  transaction<A extends unknown[], R>(
    fn: (...args: A) => R,
  ): ((...args: A) => R) & { immediate: (...args: A) => R };
  close(): void;
}

type DatabaseConstructor = new (
  filename: string,
  options?: { timeout?: number; readonly?: boolean },
) => SqliteConnection;

// better-sqlite3 ships no types and @types/better-sqlite3 is not a dependency: the interfaces above are the contract.
const Database = createRequire(import.meta.url)('better-sqlite3') as DatabaseConstructor;

/** A failure of the SQLite state store; retryable when the database was busy or locked. */
export class StateStoreError extends DrydockError {
  override readonly name = 'StateStoreError';

  constructor(message: string, options: { cause?: unknown; retryable?: boolean } = {}) {
    super(message, { code: 'STATE_STORE_FAILED', ...options });
  }
}

/** The state database fails SQLite's integrity check (or is not a database at all); nothing was changed in it. */
export class StateDatabaseCorruptError extends DrydockError {
  override readonly name = 'StateDatabaseCorruptError';
  readonly path: string;
  readonly problems: readonly string[];

  constructor(path: string, problems: readonly string[], options: { cause?: unknown } = {}) {
    const shown = problems.slice(0, 5).map((p) => `  ${p}`);
    if (problems.length > 5) shown.push(`  … and ${problems.length - 5} more`);
    super(
      `the state database ${path} is corrupt; drydock will not run on it:\n${shown.join('\n')}\n` +
        `Move it aside (mv ${path} ${path}.corrupt, with its -wal and -shm files) and restore it from a backup, ` +
        `or start on a new state dir; sqlite3 ${path}.corrupt .recover may save what is left.`,
      { code: 'STATE_DB_CORRUPT', ...options },
    );
    this.path = path;
    this.problems = problems;
  }
}

// How many problems quick_check reports at most: enough to show, cheap on a badly broken file.
const QUICK_CHECK_MAX_ERRORS = 20;

/**
 * Runs SQLite's `PRAGMA quick_check` on the state database at `path` and throws `StateDatabaseCorruptError`
 * naming the file and what to do when it fails (or the file is not a database); a missing file passes (the first
 * start creates it). Opens its own connection and changes nothing.
 */
export function checkStateDatabase(path: string): void {
  if (!existsSync(path)) return;
  let connection: SqliteConnection | undefined;
  try {
    connection = new Database(path, { timeout: 5000 });
    const rows = connection.pragma(`quick_check(${QUICK_CHECK_MAX_ERRORS})`) as { quick_check: string }[];
    const problems = rows.map((r) => r.quick_check).filter((r) => r !== 'ok');
    if (problems.length > 0) throw new StateDatabaseCorruptError(path, problems);
  } catch (error) {
    if (error instanceof DrydockError) throw error;
    const code = String((error as { code?: unknown }).code ?? '');
    if (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB')) {
      throw new StateDatabaseCorruptError(path, [(error as Error).message], { cause: error });
    }
    throw new StateStoreError(`cannot check state database ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  } finally {
    if (connection?.open) connection.close();
  }
}

// Each entry moves the schema from version i to i + 1; append only, never edit a shipped one.
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    detail_type TEXT NOT NULL,
    time TEXT NOT NULL,
    body TEXT NOT NULL,
    logged_at INTEGER NOT NULL
  );
  CREATE TABLE event_cursors (reader TEXT PRIMARY KEY, seq INTEGER NOT NULL) WITHOUT ROWID;

  CREATE TABLE queue_messages (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    queue TEXT NOT NULL,
    id TEXT NOT NULL UNIQUE,
    body TEXT NOT NULL,
    sent_at INTEGER NOT NULL,
    visible_at INTEGER NOT NULL,
    receive_count INTEGER NOT NULL DEFAULT 0,
    receipt TEXT UNIQUE,
    last_error TEXT
  );
  CREATE INDEX queue_messages_visible ON queue_messages (queue, visible_at);
  CREATE INDEX queue_messages_receives ON queue_messages (queue, receive_count, visible_at);
  CREATE TABLE queue_dedup (
    queue TEXT NOT NULL,
    dedup_id TEXT NOT NULL,
    message_id TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (queue, dedup_id)
  ) WITHOUT ROWID;
  CREATE TABLE queue_dead (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    queue TEXT NOT NULL,
    id TEXT NOT NULL UNIQUE,
    body TEXT NOT NULL,
    sent_at INTEGER NOT NULL,
    receive_count INTEGER NOT NULL,
    dead_at INTEGER NOT NULL,
    reason TEXT NOT NULL
  );
  CREATE INDEX queue_dead_queue ON queue_dead (queue, seq);

  CREATE TABLE images (
    digest TEXT PRIMARY KEY,
    ref TEXT NOT NULL,
    config_digest TEXT NOT NULL,
    repository TEXT NOT NULL,
    definition TEXT NOT NULL,
    commit_id TEXT NOT NULL,
    published_at TEXT NOT NULL,
    event_id TEXT NOT NULL
  );
  CREATE INDEX images_repository ON images (repository);
  CREATE TABLE image_bases (
    image_digest TEXT NOT NULL REFERENCES images (digest),
    position INTEGER NOT NULL,
    base_name TEXT NOT NULL,
    base_digest TEXT NOT NULL,
    PRIMARY KEY (image_digest, position)
  ) WITHOUT ROWID;
  CREATE INDEX image_bases_by_base ON image_bases (base_digest, image_digest);

  CREATE TABLE builds (
    build_id TEXT PRIMARY KEY,
    repository TEXT NOT NULL,
    definition TEXT NOT NULL,
    commit_id TEXT NOT NULL,
    correlation_id TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    queued_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    started_at INTEGER,
    finished_at INTEGER,
    log_path TEXT,
    image_digest TEXT,
    error TEXT,
    UNIQUE (repository, definition, commit_id)
  );
  CREATE INDEX builds_state ON builds (state);
  CREATE TABLE build_history (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    build_id TEXT NOT NULL REFERENCES builds (build_id),
    state TEXT NOT NULL,
    at INTEGER NOT NULL
  );
  CREATE INDEX build_history_build ON build_history (build_id, seq);
  `,
  // Forgetting expired dedup ids on every send scanned the whole window without it.
  'CREATE INDEX queue_dedup_expiry ON queue_dedup (queue, expires_at);',
  // The outbox of messages for teams, and an index to read recent events of one detail-type.
  `
  CREATE TABLE notifications (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    repository TEXT NOT NULL,
    definition TEXT NOT NULL,
    commit_id TEXT NOT NULL,
    summary TEXT NOT NULL,
    body TEXT NOT NULL,
    at INTEGER NOT NULL
  );
  CREATE INDEX events_detail_type ON events (detail_type, seq);
  `,
  // Every policy document the gate applied, so that any verdict can be traced to the policy that made it.
  `
  CREATE TABLE policy_versions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    sha256 TEXT NOT NULL,
    source TEXT NOT NULL,
    text TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  );
  `,
  // Message groups (the repository): a queue serves its groups in turn, so one repository's thousand messages
  // cannot starve another's one; `served` says when a group last had a message received.
  `
  ALTER TABLE queue_messages ADD COLUMN grp TEXT NOT NULL DEFAULT '';
  ALTER TABLE queue_dead ADD COLUMN grp TEXT NOT NULL DEFAULT '';
  CREATE INDEX queue_messages_group ON queue_messages (queue, grp, visible_at, seq);
  CREATE TABLE queue_groups (
    queue TEXT NOT NULL,
    grp TEXT NOT NULL,
    served INTEGER NOT NULL,
    PRIMARY KEY (queue, grp)
  ) WITHOUT ROWID;
  `,
  // The ban response: bans, the images each marks unsupported, each affected definition's rebuild, each
  // band-aid run. Builds gain the rebuild they are ('' for a push's build): one build per (definition, commit)
  // and rebuild, so a ban's rebuild of a commit is a build of its own. The builds table is rebuilt (SQLite
  // cannot drop a constraint), and build_history with it: dropping a parent that still has children counts
  // each child as a foreign-key violation (deferred or not), and foreign keys cannot be turned off inside the
  // migration's transaction.
  `
  CREATE TABLE bans (
    ban_id TEXT PRIMARY KEY,
    ref TEXT NOT NULL,
    reason TEXT NOT NULL,
    replacement TEXT,
    band_aids TEXT NOT NULL,
    by_whom TEXT NOT NULL,
    at TEXT NOT NULL,
    state TEXT NOT NULL,
    lifted_by TEXT,
    lifted_at TEXT,
    planned_at TEXT,
    protected_at TEXT,
    remediated_at TEXT,
    seq INTEGER NOT NULL
  );
  CREATE UNIQUE INDEX bans_active_ref ON bans (ref) WHERE state = 'active';
  CREATE TABLE ban_images (
    ban_id TEXT NOT NULL REFERENCES bans (ban_id),
    digest TEXT NOT NULL,
    config_digest TEXT NOT NULL,
    ref TEXT NOT NULL,
    repository TEXT NOT NULL,
    definition TEXT NOT NULL,
    depth INTEGER NOT NULL,
    PRIMARY KEY (ban_id, digest)
  ) WITHOUT ROWID;
  CREATE INDEX ban_images_digest ON ban_images (digest);
  CREATE INDEX ban_images_config ON ban_images (config_digest);
  CREATE TABLE rebuilds (
    ban_id TEXT NOT NULL REFERENCES bans (ban_id),
    def_key TEXT NOT NULL,
    repository TEXT NOT NULL,
    definition TEXT NOT NULL,
    commit_id TEXT NOT NULL,
    number INTEGER NOT NULL,
    body TEXT NOT NULL,
    state TEXT NOT NULL,
    reason TEXT,
    build_id TEXT,
    new_ref TEXT,
    new_digest TEXT,
    dispatched TEXT,
    position INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (ban_id, def_key)
  ) WITHOUT ROWID;
  CREATE INDEX rebuilds_build ON rebuilds (build_id);
  CREATE INDEX rebuilds_definition ON rebuilds (repository, definition, commit_id);
  CREATE TABLE band_aid_runs (
    ban_id TEXT NOT NULL REFERENCES bans (ban_id),
    band_aid_id TEXT NOT NULL,
    container_id TEXT NOT NULL,
    host TEXT NOT NULL,
    image_digest TEXT NOT NULL,
    state TEXT NOT NULL,
    exit_code INTEGER,
    output_tail TEXT,
    duration_ms INTEGER,
    reason TEXT,
    started_at TEXT,
    finished_at TEXT,
    PRIMARY KEY (ban_id, band_aid_id, container_id)
  ) WITHOUT ROWID;
  CREATE INDEX band_aid_runs_state ON band_aid_runs (state);

  CREATE TABLE builds_v6 (
    build_id TEXT PRIMARY KEY,
    repository TEXT NOT NULL,
    definition TEXT NOT NULL,
    commit_id TEXT NOT NULL,
    rebuild TEXT NOT NULL DEFAULT '',
    correlation_id TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    queued_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    started_at INTEGER,
    finished_at INTEGER,
    log_path TEXT,
    image_digest TEXT,
    error TEXT,
    UNIQUE (repository, definition, commit_id, rebuild)
  );
  INSERT INTO builds_v6 (build_id, repository, definition, commit_id, correlation_id, state, attempts, queued_at,
    updated_at, started_at, finished_at, log_path, image_digest, error)
    SELECT build_id, repository, definition, commit_id, correlation_id, state, attempts, queued_at, updated_at,
      started_at, finished_at, log_path, image_digest, error FROM builds ORDER BY rowid;
  CREATE TABLE build_history_v6 (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    build_id TEXT NOT NULL REFERENCES builds_v6 (build_id),
    state TEXT NOT NULL,
    at INTEGER NOT NULL
  );
  INSERT INTO build_history_v6 (seq, build_id, state, at) SELECT seq, build_id, state, at FROM build_history ORDER BY seq;
  DROP TABLE build_history;
  DROP TABLE builds;
  ALTER TABLE builds_v6 RENAME TO builds;
  ALTER TABLE build_history_v6 RENAME TO build_history;
  CREATE INDEX builds_state ON builds (state);
  CREATE INDEX builds_definition ON builds (repository, definition, queued_at);
  CREATE INDEX build_history_build ON build_history (build_id, seq);
  `,
  // A ban plan reads every distinct base reference (a covering index scan, no sort) and the newest image of each
  // affected definition.
  `
  CREATE INDEX image_bases_by_name ON image_bases (base_name, base_digest);
  CREATE INDEX images_definition ON images (repository, definition);
  `,
];

/** The schema version this code writes (SQLite `user_version`). */
export const STATE_SCHEMA_VERSION = MIGRATIONS.length;

/** The migrations, in order (entry i moves version i to i + 1): tests build a database of an older version with them. */
export const STATE_MIGRATIONS: readonly string[] = MIGRATIONS;

/** The file of the state database inside a state directory. */
export const STATE_FILE = 'state.db';

/** One connection to the state database, with transactions that map SQLite failures to `StateStoreError`. */
export class StateDatabase {
  readonly connection: SqliteConnection;

  constructor(connection: SqliteConnection) {
    this.connection = connection;
  }

  /** Runs `fn` in a write transaction taken up front (BEGIN IMMEDIATE), so writers never deadlock on upgrade. */
  write<T>(fn: () => T): T {
    return this.guard(() => this.connection.transaction(fn).immediate());
  }

  /** Runs `fn` in a read transaction: one consistent snapshot. */
  read<T>(fn: () => T): T {
    return this.guard(() => this.connection.transaction(fn)());
  }

  prepare(sql: string): SqliteStatement {
    return this.guard(() => this.connection.prepare(sql));
  }

  close(): void {
    if (this.connection.open) this.connection.close();
  }

  private guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      if (error instanceof DrydockError) throw error;
      const code = (error as { code?: unknown }).code;
      if (typeof code !== 'string' || !code.startsWith('SQLITE_')) throw error;
      const busy = code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED');
      throw new StateStoreError(`state database ${this.connection.name}: ${(error as Error).message}`, {
        cause: error,
        retryable: busy,
      });
    }
  }
}

/**
 * Opens (creating and migrating) the state database at a file path or `:memory:`: WAL journal, a busy timeout,
 * foreign keys on. A database written by a newer drydock is refused rather than misread.
 */
export function openStateDatabase(path: string, options: { busyTimeoutMs?: number } = {}): StateDatabase {
  let connection: SqliteConnection;
  try {
    connection = new Database(path, { timeout: options.busyTimeoutMs ?? 5000 });
  } catch (error) {
    throw new StateStoreError(`cannot open state database ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const db = new StateDatabase(connection);
  try {
    connection.pragma('journal_mode = WAL');
    // In WAL mode NORMAL loses no committed transaction when the process dies; only an OS crash can.
    connection.pragma('synchronous = NORMAL');
    connection.pragma('foreign_keys = ON');
    migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/** Opens the state database of a state directory (default `.drydock`), creating the directory when missing. */
export function openStateDirectory(
  dir = '.drydock',
  options: { busyTimeoutMs?: number } = {},
): StateDatabase {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new StateStoreError(`cannot create state directory ${dir}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return openStateDatabase(join(dir, STATE_FILE), options);
}

function migrate(db: StateDatabase): void {
  db.write(() => {
    const version = db.connection.pragma('user_version', { simple: true }) as number;
    if (version > STATE_SCHEMA_VERSION) {
      throw new StateStoreError(
        `state database ${db.connection.name} has schema version ${version}; this drydock knows up to ${STATE_SCHEMA_VERSION}`,
      );
    }
    for (let v = version; v < STATE_SCHEMA_VERSION; v++) db.connection.exec(MIGRATIONS[v]!);
    if (version !== STATE_SCHEMA_VERSION) db.connection.pragma(`user_version = ${STATE_SCHEMA_VERSION}`);
  });
}
