import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStateDirectory, STATE_FILE } from '../../../adapters/local/sqlite-database.js';
import { baseCatalogue } from '../../../runtime/local/base-catalogue.js';
import { type LocalRuntime, startLocalRuntime } from '../../../runtime/local/daemon.js';
import { restrictStateFiles, StateDirExposedError } from '../../../runtime/local/state-permissions.js';
import { removeState } from '../../helpers/drydock-process.js';
import { tempDir } from '../../helpers/temp-dir.js';

const nobodyReads = (path: string) => spawnSync('runuser', ['-u', 'nobody', '--', 'cat', path]).status === 0;

describe('restrictStateFiles', () => {
  it('closes the state database and the build logs to other users, who could read them before', async () => {
    const dir = tempDir('drydock-perms-');
    chmodSync(dir, 0o755);
    const db = openStateDirectory(dir);
    db.close();
    mkdirSync(join(dir, 'builds'), { mode: 0o755 });
    chmodSync(join(dir, 'builds'), 0o755);
    writeFileSync(join(dir, 'builds', 'build-1.log'), 'STEP 1/2: FROM busybox\n', { mode: 0o644 });
    chmodSync(join(dir, 'state.db'), 0o644);
    // As a state dir is left with the usual umask: anyone reads the pushes and every build log.
    expect(nobodyReads(join(dir, 'state.db'))).toBe(true);
    expect(nobodyReads(join(dir, 'builds', 'build-1.log'))).toBe(true);

    await restrictStateFiles(dir);
    expect(nobodyReads(join(dir, 'state.db'))).toBe(false);
    expect(nobodyReads(join(dir, 'builds', 'build-1.log'))).toBe(false);
    expect(execFileSync('stat', ['-c', '%a', join(dir, 'reports')], { encoding: 'utf8' })).toBe('700\n');
  });
});

const GRABBER = `
const fs = require('node:fs');
const target = process.argv[1];
fs.writeSync(1, 'ready\\n');
let fd;
for (;;) { try { fd = fs.openSync(target, 'r'); break; } catch {} }
fs.writeSync(1, 'opened\\n');
// Held across the chmod to 0600 that follows: what it reads now, it reads for good.
while ((fs.statSync(target).mode & 0o077) !== 0) {}
const head = Buffer.alloc(16);
fs.readSync(fd, head, 0, 16, 0);
fs.writeSync(1, 'read ' + JSON.stringify(head.toString('latin1')) + '\\n');
`;

describe('drydock start and other local users', () => {
  const runtimes: LocalRuntime[] = [];
  const stateDirs: string[] = [];
  afterEach(async () => {
    for (const r of runtimes.splice(0)) await r.stop();
    for (const d of stateDirs.splice(0)) await removeState(d);
  });
  const start = async (stateDir: string) => {
    stateDirs.push(stateDir);
    const runtime = await startLocalRuntime({
      stateDir,
      version: '0.0.0-test',
      apiPort: 0,
      seedBases: false,
      log: () => undefined,
      bases: baseCatalogue,
    });
    runtimes.push(runtime);
    return runtime;
  };

  it('gives no local user a moment to open state.db on a first start (an open descriptor outlives the chmod)', async () => {
    const dir = tempDir('drydock-perms-');
    chmodSync(dir, 0o755);
    const stateDir = join(dir, 'state');
    // nobody tries to open state.db from before it exists until it is killed, and reads through what it got.
    const grabber = spawn(
      // setpriv execs (runuser would fork and leave the loop running after a kill).
      'setpriv',
      [
        '--reuid=nobody',
        '--regid=nogroup',
        '--clear-groups',
        process.execPath,
        '-e',
        GRABBER,
        join(stateDir, STATE_FILE),
      ],
      {
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    let output = '';
    grabber.stdout.setEncoding('utf8');
    await new Promise<void>((resolve) =>
      grabber.stdout.on('data', (chunk: string) => {
        output += chunk;
        if (output.includes('ready\n')) resolve();
      }),
    );
    const exited = once(grabber, 'exit');
    try {
      await start(stateDir);
    } finally {
      grabber.kill('SIGKILL');
      await exited;
    }
    expect(output).not.toContain('opened');
    expect(statSync(join(stateDir, STATE_FILE)).mode & 0o777).toBe(0o600);
  }, 60_000);

  it('refuses a state dir another user made, before reading the policy they put in it', async () => {
    const dir = tempDir('drydock-perms-');
    chmodSync(dir, 0o777);
    const stateDir = join(dir, 'state');
    // nobody makes the directory ops will start on, with a policy of their own in it.
    execFileSync('runuser', ['-u', 'nobody', '--', 'mkdir', '-m', '0777', stateDir]);
    execFileSync('runuser', [
      '-u',
      'nobody',
      '--',
      'sh',
      '-c',
      `echo 'version: 1' > ${join(stateDir, 'policy.yaml')}`,
    ]);
    chmodSync(dir, 0o755);
    await expect(start(stateDir)).rejects.toThrow(StateDirExposedError);
    await expect(start(stateDir)).rejects.toThrow(`${stateDir} is owned by uid 65534`);
    expect(existsSync(join(stateDir, STATE_FILE))).toBe(false);
  });

  it('refuses a state dir of its own inside a directory another user may write (they could swap it)', async () => {
    const dir = tempDir('drydock-perms-');
    chmodSync(dir, 0o777);
    const stateDir = join(dir, 'state');
    mkdirSync(stateDir, { mode: 0o755 });
    await expect(start(stateDir)).rejects.toThrow(`inside ${dir}, which other users may write`);
    // Which nobody can do: move it aside and put theirs in its place.
    execFileSync('runuser', ['-u', 'nobody', '--', 'mv', stateDir, `${stateDir}.old`]);
    execFileSync('runuser', ['-u', 'nobody', '--', 'mkdir', stateDir]);
    expect(statSync(stateDir).uid).toBe(65534);
    // A group- or world-writable state dir is refused as well, and a sticky parent (/tmp) is fine.
    chmodSync(dir, 0o1777);
    rmSync(stateDir, { recursive: true });
    mkdirSync(stateDir);
    chmodSync(stateDir, 0o775);
    await expect(start(stateDir)).rejects.toThrow(`${stateDir} is writable by its group`);
  });
});
