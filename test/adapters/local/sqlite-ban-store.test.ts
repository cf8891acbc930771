import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteBanStore } from '../../../adapters/local/sqlite-ban-store.js';
import { StateStoreError } from '../../../adapters/local/sqlite-database.js';
import { banStoreContract, marked, newBan, planned } from '../../contracts/ban-store.contract.js';
import { sqliteHarness, TempState } from '../../contracts/local-state.js';
import { commit, digest } from '../../contracts/sample-events.js';

banStoreContract('SqliteBanStore', (clock) => sqliteHarness((db) => new SqliteBanStore(db, { clock })));

const here = import.meta.dirname;
const modules = {
  db: JSON.stringify(join(here, '../../../adapters/local/sqlite-database.ts')),
  store: JSON.stringify(join(here, '../../../adapters/local/sqlite-ban-store.ts')),
};

/** Runs `body` in a child process with `store` open on the state file; resolves with its stdout lines. */
function child(path: string, body: string, args: readonly string[] = []): Promise<string[]> {
  const script = `
    import { openStateDatabase } from ${modules.db};
    import { SqliteBanStore } from ${modules.store};
    const store = new SqliteBanStore(openStateDatabase(process.argv[1]));
    const args = process.argv.slice(2);
    // Every child starts its writes at the same moment, so that they really overlap.
    await new Promise((r) => setTimeout(r, Math.max(0, Number(args[0]) - Date.now())));
    ${body}`;
  return new Promise((resolve, reject) => {
    const p = spawn(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script, path, ...args],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => {
      out += d;
    });
    p.stderr.on('data', (d) => {
      err += d;
    });
    p.on('error', reject);
    p.on('close', (code) =>
      code === 0
        ? resolve(out.split('\n').filter(Boolean))
        : reject(new Error(`child exited ${code}: ${err}`)),
    );
  });
}

let state: TempState;
afterEach(() => state?.close());

describe('SqliteBanStore', () => {
  it('keeps bans, marks, rebuilds and runs after every connection is closed', async () => {
    state = new TempState();
    const first = new SqliteBanStore(state.open());
    await first.create(newBan('ban-1'));
    await first.markUnsupported('ban-1', [marked('app')]);
    await first.addRebuilds('ban-1', [planned('app')]);
    await first.addBandAidRuns([
      { banId: 'ban-1', bandAidId: 'x', containerId: 'c1', host: 'h', imageDigest: digest('app') },
    ]);
    const before = {
      bans: await first.list(),
      marked: await first.marked('ban-1'),
      rebuilds: await first.rebuilds('ban-1'),
      runs: await first.bandAidRuns('ban-1'),
      unsupported: await first.unsupportedImages(),
    };
    state.closeConnections();
    const second = new SqliteBanStore(state.open());
    expect({
      bans: await second.list(),
      marked: await second.marked('ban-1'),
      rebuilds: await second.rebuilds('ban-1'),
      runs: await second.bandAidRuns('ban-1'),
      unsupported: await second.unsupportedImages(),
    }).toEqual(before);
  });

  it('gives each run to one of four processes claiming at once, and never twice', async () => {
    state = new TempState();
    const store = new SqliteBanStore(state.open());
    await store.create(newBan('ban-1'));
    const containers = Array.from({ length: 400 }, (_, n) => `c${String(n).padStart(3, '0')}`);
    await store.addBandAidRuns(
      containers.map((c) => ({
        banId: 'ban-1',
        bandAidId: 'x',
        containerId: c,
        host: 'h',
        imageDigest: 'd',
      })),
    );
    const startAt = String(Date.now() + 4000);
    const claimed = await Promise.all(
      [false, true, false, true].map((reverse) =>
        child(
          state.path,
          `const ids = ${JSON.stringify(reverse ? [...containers].reverse() : containers)};
           for (const id of ids) if (await store.claimBandAidRun('ban-1', 'x', id, new Date().toISOString())) console.log(id);`,
          [startAt],
        ),
      ),
    );
    // More than one process won runs: they did overlap, so the test proves the claim is atomic.
    expect(claimed.filter((c) => c.length > 0).length).toBeGreaterThan(1);
    const all = claimed.flat();
    expect(all).toHaveLength(400);
    expect(new Set(all)).toEqual(new Set(containers));
    expect((await store.bandAidRuns('ban-1')).every((r) => r.state === 'running')).toBe(true);
  });

  it('numbers rebuilds of one commit without a gap or a repeat when bans record them at once', async () => {
    state = new TempState();
    const store = new SqliteBanStore(state.open());
    const bans = ['ban-a', 'ban-b', 'ban-c', 'ban-d'];
    for (const [n, banId] of bans.entries())
      await store.create(newBan(banId, `docker.io/library/base${n}:1`));
    const plan = JSON.stringify([planned('app'), planned('other')]);
    const startAt = String(Date.now() + 4000);
    // Each process records its ban's rebuild, then the same plan of ban-a again (a redelivery).
    await Promise.all(
      bans.map((banId) =>
        child(
          state.path,
          `for (const ban of [${JSON.stringify(banId)}, 'ban-a']) await store.addRebuilds(ban, ${plan});`,
          [startAt],
        ),
      ),
    );
    const records = (await Promise.all(bans.map((b) => store.rebuilds(b)))).flat();
    expect(records).toHaveLength(8);
    const appNumbers = records.filter((r) => r.definition === 'app/Dockerfile').map((r) => r.number);
    expect(appNumbers.sort()).toEqual([1, 2, 3, 4]);
    expect(records.every((r) => r.commit === commit('app') || r.commit === commit('other'))).toBe(true);
  });

  it('leaves a run claimed by a process killed with SIGKILL for interruptRunning, never to run again', async () => {
    state = new TempState();
    const store = new SqliteBanStore(state.open());
    await store.create(newBan('ban-1'));
    await store.addBandAidRuns([
      { banId: 'ban-1', bandAidId: 'x', containerId: 'c1', host: 'h', imageDigest: 'd' },
      { banId: 'ban-1', bandAidId: 'x', containerId: 'c2', host: 'h', imageDigest: 'd' },
    ]);
    const script = `
      import { openStateDatabase } from ${modules.db};
      import { SqliteBanStore } from ${modules.store};
      const store = new SqliteBanStore(openStateDatabase(process.argv[1]));
      await store.claimBandAidRun('ban-1', 'x', 'c1', new Date().toISOString());
      process.kill(process.pid, 'SIGKILL');`;
    const killed = spawnSync(process.execPath, [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      script,
      state.path,
    ]);
    expect(killed.signal).toBe('SIGKILL');
    state.closeConnections();
    const restarted = new SqliteBanStore(state.open());
    expect(await restarted.interruptRunning(new Date().toISOString())).toBe(1);
    expect((await restarted.bandAidRuns('ban-1')).map((r) => [r.containerId, r.state])).toEqual([
      ['c1', 'interrupted'],
      ['c2', 'pending'],
    ]);
    expect(await restarted.claimBandAidRun('ban-1', 'x', 'c1', new Date().toISOString())).toBe(false);
    expect(await restarted.claimBandAidRun('ban-1', 'x', 'c2', new Date().toISOString())).toBe(true);
  });

  it('answers a lookup of many digests in one query, whatever their number', async () => {
    state = new TempState();
    const store = new SqliteBanStore(state.open());
    await store.create(newBan('ban-1'));
    await store.markUnsupported('ban-1', [marked('app')]);
    // More than SQLite's limit of bound parameters (32766): the digests travel as one JSON value.
    const asked = Array.from({ length: 40_000 }, (_, n) => digest(`other-${n}`));
    asked.push(digest('app-config'));
    const support = await store.supportOf(asked);
    expect([...support.keys()]).toEqual([digest('app-config')]);
  });

  it('reports a store whose tables are gone as a StateStoreError naming the database', async () => {
    state = new TempState();
    const db = state.open();
    const store = new SqliteBanStore(db);
    db.connection.exec('DROP TABLE band_aid_runs');
    const failure = store.bandAidRuns('ban-1');
    await expect(failure).rejects.toBeInstanceOf(StateStoreError);
    await expect(failure).rejects.toThrow(state.path);
  });
});
