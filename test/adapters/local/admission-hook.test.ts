import { execFile, spawnSync } from 'node:child_process';
import { rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdmissionFile, admissionPaths } from '../../../adapters/local/admission-file.js';
import { answerPrestart, MAX_HOOK_STATE_BYTES } from '../../../adapters/local/admission-hook.js';
import { prepareFleetEnv } from '../../../adapters/local/podman-fleet.js';
import { bundleAdmissionHook } from '../../fixtures/admission-hook-bundle.js';
import {
  buildHelloImages,
  type ContainerStorage,
  createContainerStorage,
  HELLO_APP,
  HELLO_BASE,
} from '../../fixtures/image-tests/container-storage.js';
import { tempDir } from '../../helpers/temp-dir.js';

const run = promisify(execFile);

let storage: ContainerStorage;
let fleetEnv: Record<string, string>;
let hook: { path: string; inputs: string[] };
let appId: string;

// A plain `podman run` with the fleet's environment: no --hooks-dir flag, containers.conf names the hooks.
function plainRun(image: string): { status: number | null; stderr: string } {
  const result = spawnSync('podman', ['run', '--rm', image, 'true'], {
    env: { ...process.env, ...fleetEnv },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stderr: result.stderr };
}

async function list(
  unsupported: { digest?: string; configDigest: string; ref: string }[],
  banned: string[] = [],
) {
  await new AdmissionFile({
    stateDir: storage.dir,
    bannedPatterns: async () => banned.map((pattern) => ({ pattern, reason: 'CVE-2026-1', banId: 'ban-1' })),
  }).replace(unsupported.map((i) => ({ ...i, banIds: ['ban-1'], reason: 'CVE-2026-1' })));
}

beforeAll(async () => {
  storage = await createContainerStorage();
  await buildHelloImages(storage);
  hook = await bundleAdmissionHook(tempDir('drydock-hook-bundle-'));
  ({ env: fleetEnv } = await prepareFleetEnv(storage.dir, [process.execPath, hook.path, storage.dir]));
  appId = `sha256:${(await storage.tool('podman', ['image', 'inspect', '--format', '{{.Id}}', HELLO_APP])).trim()}`;
}, 120_000);

afterAll(async () => {
  await storage?.cleanup();
});

describe('the admission prestart hook', () => {
  it('bundles without schema, YAML or Dockerfile libraries', () => {
    expect(hook.inputs.filter((i) => /zod|yaml|dockerfile|mvdan|commander|better-sqlite/.test(i))).toEqual(
      [],
    );
  });

  it('refuses a plain podman run of a listed image: podman exits 126 with the reason', async () => {
    await list([{ configDigest: appId, ref: HELLO_APP }]);
    const refused = plainRun(HELLO_APP);
    expect(refused.status).toBe(126);
    expect(refused.stderr).toContain(
      `drydock admission: refused: ${HELLO_APP} is unsupported (ban ban-1): CVE-2026-1`,
    );
  }, 60_000);

  it('refuses a plain podman run of a banned base by its name', async () => {
    await list([], ['localhost/base/busybox:1.36.0']);
    const refused = plainRun(HELLO_BASE);
    expect(refused.status).toBe(126);
    expect(refused.stderr).toContain(`${HELLO_BASE} is banned by localhost/base/busybox:1.36.0`);
  }, 60_000);

  it('lets an unlisted image start', async () => {
    await list([{ configDigest: `sha256:${'e'.repeat(64)}`, ref: 'other:1' }]);
    expect(plainRun(HELLO_APP)).toMatchObject({ status: 0 });
  }, 60_000);

  it('fails closed on a corrupt list, and lets the start through only with the root-owned fail-open override', async () => {
    const { list: path, failOpen } = admissionPaths(storage.dir);
    writeFileSync(path, '{"format":"drydock-admission/1",', { mode: 0o600 });
    const refused = plainRun(HELLO_APP);
    expect(refused.status).toBe(126);
    expect(refused.stderr).toMatch(/refused: cannot read .*unsupported\.json: corrupt: .*\(failing closed\)/);
    writeFileSync(failOpen, 'incident 42: list rebuilt by hand\n', { mode: 0o600 });
    try {
      expect(plainRun(HELLO_APP).status).toBe(0);
      // podman shows a hook's stderr only when it refuses; the note is the hook's own answer.
      expect(answerPrestart(storage.dir, '{}')).toMatchObject({
        allow: true,
        note: expect.stringMatching(/allowed by .*admission\/fail-open/),
      });
    } finally {
      rmSync(failOpen);
    }
  }, 60_000);

  it('fails closed on a symlinked list, and a symlinked override does not open it', async () => {
    const { list: path, failOpen } = admissionPaths(storage.dir);
    await list([]);
    const real = `${tempDir('drydock-elsewhere-')}/list.json`;
    writeFileSync(real, '{}', { mode: 0o600 });
    rmSync(path);
    symlinkSync(real, path);
    symlinkSync(real, failOpen);
    try {
      expect(plainRun(HELLO_APP).status).toBe(126);
    } finally {
      rmSync(failOpen);
      rmSync(path);
    }
  }, 60_000);

  it('refuses a state whose bundle or id points elsewhere, and a state it cannot parse', async () => {
    await list([]);
    const id = 'a'.repeat(64);
    const bundle = `${storage.dir}/containers/storage/vfs-containers/${id}/userdata`;
    expect(answerPrestart(storage.dir, JSON.stringify({ id, bundle: '/tmp/evil/userdata' }))).toMatchObject({
      allow: false,
      reason: expect.stringMatching(/not in this state dir's storage/),
    });
    expect(answerPrestart(storage.dir, JSON.stringify({ id: '../../etc', bundle }))).toMatchObject({
      allow: false,
      reason: expect.stringMatching(/no valid id/),
    });
    expect(answerPrestart(storage.dir, JSON.stringify({ id, bundle }))).toMatchObject({
      allow: false,
      reason: expect.stringMatching(/container aaaaaaaaaaaa is not in/),
    });
    expect(answerPrestart(storage.dir, 'not json')).toMatchObject({ allow: false });
  });

  it('refuses a huge stdin without reading past its limit', async () => {
    const result = spawnSync(process.execPath, [hook.path, storage.dir], {
      input: Buffer.alloc(MAX_HOOK_STATE_BYTES + 10, 0x20),
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`over ${MAX_HOOK_STATE_BYTES} bytes`);
  });

  it('refuses when given no absolute state dir', async () => {
    const result = spawnSync(process.execPath, [hook.path, 'relative'], { input: '{}', encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('absolute state dir');
  });

  it('answers in well under 100 ms: its own work, and its process over a bare node start', async () => {
    await list([{ configDigest: `sha256:${'e'.repeat(64)}`, ref: 'other:1' }]);
    const created = (
      await run('podman', ['create', HELLO_APP, 'true'], { env: { ...process.env, ...fleetEnv } })
    ).stdout.trim();
    const state = JSON.stringify({
      ociVersion: '1.0.2-dev',
      id: created,
      status: 'creating',
      bundle: `${storage.dir}/containers/storage/vfs-containers/${created}/userdata`,
      annotations: {},
    });
    // The process reports its own CPU time at exit: under other tests' load, wall time measures the machine.
    const cpuReport =
      "process.on('exit', () => { const u = process.cpuUsage(); process.stderr.write(`CPU ${(u.user + u.system) / 1000}\\n`); });";
    const measure = (body: string) => {
      const started = process.hrtime.bigint();
      const result = spawnSync(
        process.execPath,
        ['--input-type=module', '-e', `${cpuReport}${body}`, 'hook', storage.dir],
        {
          input: state,
          encoding: 'utf8',
        },
      );
      const wall = Number(process.hrtime.bigint() - started) / 1e6;
      expect(result.status, result.stderr).toBe(0);
      return { wall, cpu: Number(/CPU ([\d.]+)/.exec(result.stderr)?.[1]) };
    };
    const median = (values: number[]) =>
      [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
    const hookRuns: { wall: number; cpu: number }[] = [];
    const nodeRuns: { wall: number; cpu: number }[] = [];
    const ownTimes: number[] = [];
    // Interleaved, so that load from other processes weighs on both alike.
    for (let i = 0; i < 11; i++) {
      hookRuns.push(measure(`await import(${JSON.stringify(hook.path)});`));
      nodeRuns.push(measure(''));
      const started = process.hrtime.bigint();
      expect(answerPrestart(storage.dir, state)).toEqual({ allow: true });
      ownTimes.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    const hookCpu = median(hookRuns.map((r) => r.cpu));
    const nodeCpu = median(nodeRuns.map((r) => r.cpu));
    process.stdout.write(
      `admission hook: wall ${median(hookRuns.map((r) => r.wall)).toFixed(0)} ms (bare node ${median(nodeRuns.map((r) => r.wall)).toFixed(0)} ms), CPU ${hookCpu.toFixed(0)} ms (bare node ${nodeCpu.toFixed(0)} ms), decision ${median(ownTimes).toFixed(2)} ms\n`,
    );
    expect(median(ownTimes)).toBeLessThan(20);
    expect(hookCpu - nodeCpu).toBeLessThan(40);
    await storage.tool('podman', ['rm', '--force', created]);
  }, 60_000);
});
