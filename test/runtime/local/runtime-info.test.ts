import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  processAlive,
  RUNTIME_FILE,
  type RuntimeInfo,
  readRuntimeInfo,
  removeRuntimeInfo,
  runtimeInfoPath,
  writeRuntimeInfo,
} from '../../../runtime/local/runtime-info.js';

const dirs: string[] = [];
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function stateDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'drydock-runtime-'));
  dirs.push(dir);
  return dir;
}

const info = (dir: string, pid = process.pid): RuntimeInfo => ({
  version: '0.1.0',
  pid,
  startedAt: '2026-11-27T12:00:00.000Z',
  stateDir: dir,
  api: 'http://127.0.0.1:7480',
  registry: '127.0.0.1:5000',
  repos: join(dir, 'repos'),
  policy: join(dir, 'policy.yaml'),
});

function child(command: string, args: readonly string[]): ChildProcess {
  const c = spawn(command, args, { stdio: 'ignore' });
  children.push(c);
  return c;
}

/** The pid of a process that has exited and is gone. */
async function deadPid(): Promise<number> {
  const c = child('true', []);
  await once(c, 'exit');
  return c.pid!;
}

/** The state letter and parent pid of a process, from /proc. */
function procStat(pid: number): { state: string; ppid: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: state!, ppid: Number(ppid) };
  } catch {
    return undefined;
  }
}

describe('writeRuntimeInfo and readRuntimeInfo', () => {
  it('reads back what was written, for a process that runs', async () => {
    const dir = stateDir();
    await writeRuntimeInfo(info(dir));
    expect(await readRuntimeInfo(dir)).toEqual({ state: 'running', info: info(dir) });
    expect(runtimeInfoPath(dir)).toBe(join(dir, RUNTIME_FILE));
    // Addresses only, no secret: the hook of any user who pushes reads it to find the wake-up.
    expect(statSync(runtimeInfoPath(dir)).mode & 0o777).toBe(0o644);
    expect(readdirSync(dir)).toEqual([RUNTIME_FILE]);
  });

  it('replaces the file whole, so a reader never sees half of it', async () => {
    const dir = stateDir();
    await writeRuntimeInfo(info(dir));
    const seen = new Set<string>();
    let writing = true;
    const reader = (async () => {
      while (writing) seen.add((await readRuntimeInfo(dir)).state);
    })();
    for (let i = 0; i < 200; i++)
      await writeRuntimeInfo({ ...info(dir), api: `http://127.0.0.1:${7000 + i}` });
    writing = false;
    await reader;
    expect([...seen]).toEqual(['running']);
  });

  it('says absent when there is no file', async () => {
    expect(await readRuntimeInfo(stateDir())).toEqual({ state: 'absent' });
  });

  it('says invalid for a file that is not JSON', async () => {
    const dir = stateDir();
    writeFileSync(runtimeInfoPath(dir), '{"pid": 12');
    expect(await readRuntimeInfo(dir)).toMatchObject({
      state: 'invalid',
      reason: expect.stringMatching(/^not JSON/),
    });
  });

  it('says invalid for JSON that lacks a field', async () => {
    const dir = stateDir();
    const { api: _api, ...partial } = info(dir);
    writeFileSync(runtimeInfoPath(dir), JSON.stringify(partial));
    expect(await readRuntimeInfo(dir)).toMatchObject({ state: 'invalid' });
  });

  it('says stale when the process it names is gone', async () => {
    const dir = stateDir();
    const pid = await deadPid();
    await writeRuntimeInfo(info(dir, pid));
    expect(await readRuntimeInfo(dir)).toEqual({ state: 'stale', info: info(dir, pid) });
  });
});

describe('removeRuntimeInfo', () => {
  it('removes the file that names this process', async () => {
    const dir = stateDir();
    await writeRuntimeInfo(info(dir));
    await removeRuntimeInfo(dir, process.pid);
    expect(await readRuntimeInfo(dir)).toEqual({ state: 'absent' });
  });

  it('leaves a file that names another process that runs', async () => {
    const dir = stateDir();
    const other = child('sleep', ['30']);
    await writeRuntimeInfo(info(dir, other.pid));
    await removeRuntimeInfo(dir, process.pid);
    expect(await readRuntimeInfo(dir)).toEqual({ state: 'running', info: info(dir, other.pid) });
  });

  it('removes a stale file that names a process that is gone', async () => {
    const dir = stateDir();
    await writeRuntimeInfo(info(dir, await deadPid()));
    await removeRuntimeInfo(dir, process.pid);
    expect(await readRuntimeInfo(dir)).toEqual({ state: 'absent' });
  });

  it('does nothing when there is no file', async () => {
    const dir = stateDir();
    await removeRuntimeInfo(dir, process.pid);
    expect(await readRuntimeInfo(dir)).toEqual({ state: 'absent' });
  });
});

describe('processAlive', () => {
  it('is true for this process and a child that runs', () => {
    expect(processAlive(process.pid)).toBe(true);
    expect(processAlive(child('sleep', ['30']).pid!)).toBe(true);
  });

  it('is false for a process that is gone', async () => {
    expect(processAlive(await deadPid())).toBe(false);
  });

  it('is true for a process of another user, which signal 0 may not reach', () => {
    // pid 1 runs as root; for a non-root test run signal 0 fails with EPERM, which still means alive.
    expect(processAlive(1)).toBe(true);
  });

  it('is false for a zombie, which signal 0 still reaches', async () => {
    // The shell starts `sleep 0` and replaces itself with `sleep 2`, which never reaps it.
    const parent = child('sh', ['-c', 'sleep 0 & exec sleep 2']);
    let zombie: number | undefined;
    const deadline = Date.now() + 1_500;
    while (zombie === undefined && Date.now() < deadline) {
      zombie = readdirSync('/proc')
        .filter((entry) => /^\d+$/.test(entry))
        .map(Number)
        .find((pid) => {
          const stat = procStat(pid);
          return stat !== undefined && stat.ppid === parent.pid && stat.state === 'Z';
        });
      if (zombie === undefined) await new Promise((r) => setTimeout(r, 20));
    }
    expect(zombie).toBeDefined();
    expect(() => process.kill(zombie!, 0)).not.toThrow();
    expect(processAlive(zombie!)).toBe(false);
  });
});
