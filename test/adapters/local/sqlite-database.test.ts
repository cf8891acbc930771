import { spawnSync } from 'node:child_process';
import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  checkStateDatabase,
  openStateDatabase,
  openStateDirectory,
  STATE_SCHEMA_VERSION,
  StateDatabaseCorruptError,
  StateStoreError,
} from '../../../adapters/local/sqlite-database.js';
import { SqliteLineageStore } from '../../../adapters/local/sqlite-lineage-store.js';
import { SqliteWorkQueue } from '../../../adapters/local/sqlite-work-queue.js';
import { TempState } from '../../contracts/local-state.js';
import { digest, published } from '../../contracts/sample-events.js';

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
