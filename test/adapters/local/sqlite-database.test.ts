import { spawnSync } from 'node:child_process';
import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteBanStore } from '../../../adapters/local/sqlite-ban-store.js';
import { SqliteBuildRecords } from '../../../adapters/local/sqlite-build-records.js';
import {
  checkStateDatabase,
  openStateDatabase,
  openStateDirectory,
  STATE_MIGRATIONS,
  STATE_SCHEMA_VERSION,
  StateDatabaseCorruptError,
  StateStoreError,
} from '../../../adapters/local/sqlite-database.js';
import { SqliteLineageStore } from '../../../adapters/local/sqlite-lineage-store.js';
import { SqliteWorkQueue } from '../../../adapters/local/sqlite-work-queue.js';
import { newBan } from '../../contracts/ban-store.contract.js';
import { TempState } from '../../contracts/local-state.js';
import { commit, digest, published } from '../../contracts/sample-events.js';

let state: TempState;
afterEach(() => state?.close());

describe('openStateDatabase', () => {
  it('creates the schema once, in WAL mode, with a busy timeout', () => {
    state = new TempState();
    const db = state.open();
    expect(db.connection.pragma('user_version', { simple: true })).toBe(STATE_SCHEMA_VERSION);
    expect(db.connection.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.connection.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(state.open().connection.pragma('user_version', { simple: true })).toBe(STATE_SCHEMA_VERSION);
  });

  it('refuses a database written by a newer drydock', () => {
    state = new TempState();
    state.open().connection.pragma(`user_version = ${STATE_SCHEMA_VERSION + 1}`);
    expect(() => openStateDatabase(state.path)).toThrow(StateStoreError);
  });

  it('creates the state directory', () => {
    state = new TempState();
    const db = openStateDirectory(join(state.dir, 'nested', '.drydock'));
    expect(db.connection.name).toBe(join(state.dir, 'nested', '.drydock', 'state.db'));
    db.close();
  });

  it('maps SQLite failures to a StateStoreError that keeps the cause', () => {
    state = new TempState();
    const db = state.open();
    let caught: unknown;
    try {
      db.write(() => db.connection.prepare('INSERT INTO nowhere VALUES (1)').run());
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(StateStoreError);
    expect(caught).toMatchObject({ code: 'STATE_STORE_FAILED', retryable: false });
    expect((caught as Error).cause).toBeDefined();
  });

  it('shows another connection committed state only: a failed transaction leaves nothing', async () => {
    state = new TempState();
    const db = state.open();
    const lineage = new SqliteLineageStore(db);
    expect(() =>
      db.write(() => {
        // The adapter's own transaction nests as a savepoint; the outer failure undoes it.
        void lineage.record(published('app', ['debian']));
        throw new Error('crash before commit');
      }),
    ).toThrow('crash before commit');
    const other = new SqliteLineageStore(state.open());
    expect(await other.image(digest('app'))).toBeUndefined();
    await lineage.record(published('app', ['debian']));
    expect((await other.imagesBuiltOn(digest('debian'))).length).toBe(1);
  });

  it('loses no committed message when the process is killed with SIGKILL', async () => {
    state = new TempState();
    state.open();
    // A child sends messages one transaction at a time, reports each commit, then kills itself mid-stream.
    const script = `
      import { openStateDatabase } from ${JSON.stringify(join(import.meta.dirname, '../../../adapters/local/sqlite-database.ts'))};
      import { SqliteWorkQueue } from ${JSON.stringify(join(import.meta.dirname, '../../../adapters/local/sqlite-work-queue.ts'))};
      const q = new SqliteWorkQueue(openStateDatabase(process.argv[1]), { name: 'build' });
      for (let n = 0; ; n++) {
        await q.send({ n }, { dedupId: 'job-' + n });
        process.stdout.write(n + '\\n');
        if (n === 300) process.kill(process.pid, 'SIGKILL');
      }`;
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script, state.path],
      {
        encoding: 'utf8',
      },
    );
    expect(child.signal).toBe('SIGKILL');
    const reported = child.stdout.trim().split('\n').length;
    const db = state.open();
    expect(db.connection.pragma('integrity_check', { simple: true })).toBe('ok');
    const q = new SqliteWorkQueue<{ n: number }>(db, { name: 'build' });
    const got = await q.receive({ max: 1000 });
    expect(got.length).toBe(reported);
    expect(got.map((m) => m.body.n)).toEqual(Array.from({ length: reported }, (_, n) => n));
    expect((await q.send({ n: 0 }, { dedupId: 'job-0' })).duplicate).toBe(true);
  });
});

/** A state database with a few hundred queued messages (so it has many pages), closed again. */
function filledState(): TempState {
  const filled = new TempState();
  const db = filled.open();
  const queue = new SqliteWorkQueue(db, { name: 'gate' });
  for (let n = 0; n < 300; n++) void queue.send({ n, padding: 'x'.repeat(200) });
  filled.closeConnections();
  return filled;
}

/** Overwrites `pages` whole pages of the file, from page `from` (1-based), with bytes no b-tree page has. */
function scribble(path: string, from: number, pages: number): void {
  const fd = openSync(path, 'r+');
  try {
    writeSync(fd, Buffer.alloc(4096 * pages, 0xa5), 0, 4096 * pages, 4096 * (from - 1));
  } finally {
    closeSync(fd);
  }
}

describe('checkStateDatabase', () => {
  it('passes a sound database, and a missing one (the first start creates it)', () => {
    state = filledState();
    expect(() => checkStateDatabase(state.path)).not.toThrow();
    expect(() => checkStateDatabase(join(state.dir, 'none.db'))).not.toThrow();
  });

  it('refuses a database whose pages were overwritten, naming the file and what to do', () => {
    state = filledState();
    expect(statSync(state.path).size).toBeGreaterThan(4096 * 8);
    scribble(state.path, 3, 4);
    let error: unknown;
    try {
      checkStateDatabase(state.path);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StateDatabaseCorruptError);
    expect(error).toMatchObject({ code: 'STATE_DB_CORRUPT', path: state.path });
    expect((error as Error).message).toContain(`the state database ${state.path} is corrupt`);
    expect((error as Error).message).toMatch(/restore it from a backup/);
    expect((error as StateDatabaseCorruptError).problems.length).toBeGreaterThan(0);
  });

  it('refuses a file that is not a database at all', () => {
    state = filledState();
    scribble(state.path, 1, 1);
    expect(() => checkStateDatabase(state.path)).toThrow(StateDatabaseCorruptError);
  });
});

type RawDatabase = new (
  path: string,
) => {
  exec(sql: string): void;
  pragma(source: string): unknown;
  prepare(sql: string): { run(...params: unknown[]): unknown };
  close(): void;
};
const RawDatabase = createRequire(import.meta.url)('better-sqlite3') as RawDatabase;

/** A state database as drydock with schema version 5 left it: two builds with their history, one image. */
function version5State(): TempState {
  const v5 = new TempState();
  const raw = new RawDatabase(v5.path);
  raw.pragma('journal_mode = WAL');
  raw.pragma('foreign_keys = ON');
  for (const sql of STATE_MIGRATIONS.slice(0, 5)) raw.exec(sql);
  raw.pragma('user_version = 5');
  const build = raw.prepare(
    `INSERT INTO builds (build_id, repository, definition, commit_id, correlation_id, state, attempts, queued_at,
       updated_at, started_at, finished_at, image_digest, error) VALUES (?, 'team/apps', ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?)`,
  );
  build.run(
    'b1',
    'api/Dockerfile',
    commit('c1'),
    'push-1',
    'published',
    1000,
    4000,
    2000,
    4000,
    digest('api'),
    null,
  );
  build.run(
    'b2',
    'web/Dockerfile',
    commit('c1'),
    'push-1',
    'failed',
    1000,
    3000,
    2000,
    3000,
    null,
    'tests failed',
  );
  const history = raw.prepare('INSERT INTO build_history (build_id, state, at) VALUES (?, ?, ?)');
  for (const [id, s, at] of [
    ['b1', 'queued', 1000],
    ['b2', 'queued', 1000],
    ['b1', 'building', 2000],
    ['b2', 'building', 2000],
    ['b2', 'failed', 3000],
    ['b1', 'published', 4000],
  ] as const) {
    history.run(id, s, at);
  }
  raw
    .prepare(
      `INSERT INTO images (digest, ref, config_digest, repository, definition, commit_id, published_at, event_id)
       VALUES (?, 'registry.local/team/api:c1', ?, 'team/apps', 'api/Dockerfile', ?, '2025-03-14T09:00:00Z', 'e1')`,
    )
    .run(digest('api'), digest('api-config'), commit('c1'));
  raw.close();
  return v5;
}

describe('the schema v6 migration', () => {
  it('keeps builds and their history, joined, when it rebuilds the builds table', async () => {
    state = version5State();
    const db = state.open();
    expect(db.connection.pragma('user_version', { simple: true })).toBe(STATE_SCHEMA_VERSION);
    expect(db.connection.pragma('foreign_key_check')).toEqual([]);
    expect(db.connection.pragma('integrity_check', { simple: true })).toBe('ok');
    const records = new SqliteBuildRecords(db);
    const b1 = await records.get('b1');
    expect(b1).toMatchObject({ state: 'published', attempts: 1, imageDigest: digest('api') });
    expect(b1?.rebuild).toBeUndefined();
    expect(b1?.history.map((h) => h.state)).toEqual(['queued', 'building', 'published']);
    expect((await records.get('b2'))?.history.map((h) => h.state)).toEqual(['queued', 'building', 'failed']);
    expect((await records.get('b2'))?.error).toBe('tests failed');
    expect(db.connection.prepare("SELECT count(*) AS n FROM builds WHERE rebuild = ''").get()).toEqual({
      n: 2,
    });
    expect(await new SqliteLineageStore(db).image(digest('api'))).toMatchObject({
      definition: 'api/Dockerfile',
    });
  });

  it('keys builds by (repository, definition, commit, rebuild) and no longer by (repository, definition, commit)', async () => {
    state = version5State();
    const db = state.open();
    const records = new SqliteBuildRecords(db);
    const key = { repository: 'team/apps', definition: 'api/Dockerfile', commit: commit('c1') };
    const rebuild = await records.enqueue({
      ...key,
      buildId: 'r1',
      correlationId: 'ban-1',
      rebuild: 'ban-1#1',
    });
    expect(rebuild.created).toBe(true);
    expect((await records.enqueue({ ...key, buildId: 'b9', correlationId: 'push-9' })).record.buildId).toBe(
      'b1',
    );
    expect(() =>
      db.write(() =>
        db.connection
          .prepare(
            `INSERT INTO builds (build_id, repository, definition, commit_id, rebuild, correlation_id, state,
               queued_at, updated_at) VALUES ('dup', 'team/apps', 'api/Dockerfile', ?, 'ban-1#1', 'x', 'queued', 0, 0)`,
          )
          .run(commit('c1')),
      ),
    ).toThrow(/UNIQUE/);
    const unique = (db.connection.pragma('index_list(builds)') as { name: string; unique: number }[])
      .filter((i) => i.unique === 1)
      .map((i) => (db.connection.pragma(`index_info(${i.name})`) as { name: string }[]).map((c) => c.name));
    expect(unique).toContainEqual(['repository', 'definition', 'commit_id', 'rebuild']);
    expect(unique).not.toContainEqual(['repository', 'definition', 'commit_id']);
  });

  it('continues the history sequence and still refuses history of an unknown build', async () => {
    state = version5State();
    const db = state.open();
    const records = new SqliteBuildRecords(db);
    await records.enqueue({
      repository: 'team/apps',
      definition: 'api/Dockerfile',
      commit: commit('c1'),
      buildId: 'r1',
      correlationId: 'ban-1',
      rebuild: 'ban-1#1',
    });
    const seqs = db.connection.prepare("SELECT seq FROM build_history WHERE build_id = 'r1'").all() as {
      seq: number;
    }[];
    expect(seqs.map((r) => r.seq)).toEqual([7]);
    expect(() =>
      db.write(() =>
        db.connection
          .prepare("INSERT INTO build_history (build_id, state, at) VALUES ('ghost', 'queued', 0)")
          .run(),
      ),
    ).toThrow(StateStoreError);
    expect((await new SqliteBanStore(db).create(newBan('ban-1'))).created).toBe(true);
  });
});
