import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { prepareContainerEnv } from '../../../adapters/local/container-env.js';
import { removeLeftovers } from '../../../adapters/local/leftovers.js';
import { processAlive } from '../../../runtime/local/runtime-info.js';

const dirs: string[] = [];
const children: ChildProcess[] = [];

afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function sleeper(env: Readonly<Record<string, string>>): ChildProcess {
  const child = spawn('sleep', ['300'], { env: { ...process.env, ...env }, detached: true, stdio: 'ignore' });
  children.push(child);
  return child;
}

describe('removeLeftovers', () => {
  it('ends the processes on its own storage only, and empties its temp dir', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'drydock-leftovers-'));
    const other = mkdtempSync(join(tmpdir(), 'drydock-leftovers-other-'));
    dirs.push(dir, other);
    const mine = await prepareContainerEnv(dir);
    const theirs = await prepareContainerEnv(other);
    const orphan = sleeper(mine.env);
    const bystander = sleeper(theirs.env);
    mkdirSync(join(mine.root, 'tmp', 'drydock-b1-x', 'context'), { recursive: true });
    writeFileSync(join(mine.root, 'tmp', 'buildah123'), '');

    const removed = await removeLeftovers(mine);
    expect(removed).toEqual({ processes: 1, testContainers: 0, workingContainers: 0, tempEntries: 2 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(orphan.signalCode ?? 'running').toBe('SIGTERM');
    expect(processAlive(bystander.pid!)).toBe(true);
    expect(readdirSync(join(mine.root, 'tmp'))).toEqual([]);
    expect(await removeLeftovers(mine)).toEqual({
      processes: 0,
      testContainers: 0,
      workingContainers: 0,
      tempEntries: 0,
    });
  }, 60_000);
});
