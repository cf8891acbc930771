import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BuildahBuildService } from '../../../adapters/local/buildah-build-service.js';
import { writeBusyboxBaseContext } from '../../../adapters/local/busybox-base-seeder.js';
import {
  type ContainerStorage,
  createContainerStorage,
} from '../../fixtures/image-tests/container-storage.js';

const BASE = 'localhost/base/busybox:1.36.0';
const SCRIPT = new URL('../../fixtures/sandbox/long-build.ts', import.meta.url).pathname;
let storage: ContainerStorage;
let child: ChildProcess | undefined;

async function processesWith(marker: string): Promise<string[]> {
  const found: string[] = [];
  for (const pid of (await readdir('/proc')).filter((p) => /^\d+$/.test(p))) {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    // Zombies (already dead, waiting for a parent that does not reap) have an empty cmdline.
    if (cmdline.includes(marker)) found.push(`${pid}: ${cmdline.replaceAll('\0', ' ')}`);
  }
  return found;
}

async function until<T>(what: string, check: () => Promise<T | undefined>, limitMs = 60_000): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  storage = await createContainerStorage();
  const base = join(storage.dir, 'base');
  await new BuildahBuildService({ env: storage.env, pull: 'never' }).build({
    buildId: 'base',
    contextDir: base,
    dockerfileText: await writeBusyboxBaseContext(base, '1.36.0'),
    tag: BASE,
    timeoutMs: 60_000,
    log: () => undefined,
  });
}, 90_000);

afterAll(async () => {
  child?.kill('SIGKILL');
  await storage?.cleanup();
});

describe('runTool', () => {
  it('starts a tool that dies with the process that started it, even by SIGKILL', async () => {
    const seconds = String(500_000 + Math.floor(Math.random() * 400_000));
    const source = [
      `import { runTool } from ${JSON.stringify(new URL('../../../adapters/local/run-tool.ts', import.meta.url).pathname)};`,
      `await runTool({ command: 'sleep', args: [${JSON.stringify(seconds)}], timeoutMs: 600_000, debianPackage: 'coreutils' });`,
    ].join('\n');
    child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', source], {
      stdio: 'ignore',
    });
    await until('the tool', async () =>
      (await processesWith(`sleep\0${seconds}`)).length > 0 ? true : undefined,
    );
    child.kill('SIGKILL');
    // The tool runs in its own process group, so nothing but the parent-death signal ends it.
    await until('the tool to end', async () =>
      (await processesWith(`sleep\0${seconds}`)).length === 0 ? true : undefined,
    );
    expect(await processesWith(`sleep\0${seconds}`)).toEqual([]);
  }, 120_000);
});

describe('BuildahBuildService children', () => {
  it('do not outlive a SIGKILLed process that started them: buildah and the RUN step end with it', async () => {
    const seconds = String(500_000 + Math.floor(Math.random() * 400_000));
    const tag = `localhost/apps/orphan-${seconds}:1`;
    const ctx = join(storage.dir, 'ctx');
    await mkdir(ctx);
    // node itself runs the script (tsx as a loader), so the SIGKILL hits the process that spawned buildah.
    child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, storage.dir, ctx, BASE, seconds, tag], {
      stdio: 'ignore',
    });
    // The RUN step is running: buildah (its tag in its argv) and the step's sleep.
    await until('the RUN step', async () =>
      (await processesWith(`sleep\0${seconds}`)).length > 0 ? true : undefined,
    );
    expect(await processesWith(tag)).not.toEqual([]);
    child.kill('SIGKILL');
    await until('buildah and the step to end', async () =>
      (await processesWith(tag)).length === 0 && (await processesWith(`sleep\0${seconds}`)).length === 0
        ? true
        : undefined,
    );
    expect(await processesWith(tag)).toEqual([]);
    expect(await processesWith(`sleep\0${seconds}`)).toEqual([]);
  }, 120_000);
});
