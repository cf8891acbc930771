import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStateDatabase, type StateDatabase } from '../../adapters/local/sqlite-database.js';
import type { ContractHarness } from './manual-clock.js';

/** A state database file in a fresh temporary directory, with extra connections to the same file. */
export class TempState {
  readonly dir = mkdtempSync(join(tmpdir(), 'drydock-state-'));
  readonly path = join(this.dir, 'state.db');
  private readonly opened: StateDatabase[] = [];

  open(): StateDatabase {
    const db = openStateDatabase(this.path);
    this.opened.push(db);
    return db;
  }

  /** Closes every connection opened so far and keeps the files. */
  closeConnections(): void {
    for (const db of this.opened.splice(0)) db.close();
  }

  close(): void {
    this.closeConnections();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A contract harness over SQLite: the subject on one connection, `reopen` on a new connection to the file. */
export function sqliteHarness<P>(
  create: (db: StateDatabase) => P,
): ContractHarness<P> & { state: TempState } {
  const state = new TempState();
  return {
    state,
    subject: create(state.open()),
    reopen: () => create(state.open()),
    close: () => state.close(),
  };
}
