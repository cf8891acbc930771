// drydock start and its state, for real: a corrupt state database is refused at start, a state dir deleted under a
// running pipeline stops it, and a SIGKILLed drydock leaves no registry behind.
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStateDirectory, STATE_FILE } from '../../adapters/local/sqlite-database.js';
import { SqliteWorkQueue } from '../../adapters/local/sqlite-work-queue.js';
import { type DrydockProcess, drydock, removeState, startDrydock } from '../helpers/drydock-process.js';
import { alive, gone } from '../helpers/orphans.js';
import { tempDir } from '../helpers/temp-dir.js';

const root = tempDir('drydock-start-state-');
const daemons: DrydockProcess[] = [];
const registries: number[] = [];

afterAll(async () => {
  for (const d of daemons) await d.stop();
  // Only when a test failed: a registry that outlived its drydock.
  for (const pid of registries) if (alive(pid)) process.kill(pid, 'SIGKILL');
  await removeState(root);
});

/** The pid of the registry a running drydock started, from the pid file it keeps in the state dir. */
function registryPid(stateDir: string): number {
  const pid = Number(readFileSync(join(stateDir, 'registry', 'registry.pid'), 'utf8').trim());
  registries.push(pid);
  return pid;
}

describe('drydock start and its state dir', () => {
  it('refuses a state database with overwritten pages, naming the file and what to do', async () => {
    const stateDir = join(root, 'corrupt');
    const db = openStateDirectory(stateDir);
    const queue = new SqliteWorkQueue(db, { name: 'gate' });
    for (let n = 0; n < 300; n++) await queue.send({ n, padding: 'x'.repeat(200) });
    db.close();
    const file = join(stateDir, STATE_FILE);
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(4 * 4096, 0xa5), 0, 4 * 4096, 2 * 4096);
    closeSync(fd);

    const started = await drydock(['start', '--state', stateDir, '--port', '0', '--no-seed']);
    expect(started.code).toBe(2);
    expect(started.stderr).toContain(`the state database ${file} is corrupt`);
    expect(started.stderr).toMatch(/restore it from a backup, or start on a new state dir/);
    // Refused before anything started: no registry, no runtime file.
    expect(() => readFileSync(join(stateDir, 'runtime.json'))).toThrow();
    expect(() => readFileSync(join(stateDir, 'registry', 'registry.pid'))).toThrow();
  });

  it('stops, and stops its registry, when its state dir is deleted while it runs', async () => {
    const stateDir = join(root, 'deleted');
    const daemon = await startDrydock(stateDir, ['--no-seed']);
    daemons.push(daemon);
    const registry = registryPid(stateDir);
    expect(alive(registry)).toBe(true);
    await rm(stateDir, { recursive: true, force: true });
    expect(await daemon.exited).toBe(2);
    expect(daemon.output()).toContain(`the state dir ${stateDir} was deleted or moved: stopping`);
    expect(daemon.output()).toMatch(/drydock start: .* was deleted or moved; stopped/);
    expect(await gone(registry)).toBe(true);
  });

  it('leaves no registry behind when it is killed with SIGKILL', async () => {
    const stateDir = join(root, 'killed');
    const daemon = await startDrydock(stateDir, ['--no-seed']);
    daemons.push(daemon);
    const registry = registryPid(stateDir);
    expect(alive(registry)).toBe(true);
    daemon.child.kill('SIGKILL');
    await daemon.exited;
    expect(await gone(registry)).toBe(true);
  });
});
