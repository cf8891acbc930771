import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdmissionFile, admissionPaths } from '../../../adapters/local/admission-file.js';
import {
  admissionHookCommand,
  admissionHookSource,
  answerPrestart,
  HOOK_TIMEOUT_SECONDS,
  hookModulePath,
  hookScriptPath,
  hooksDir,
} from '../../../adapters/local/admission-hook.js';
import { prepareFleetEnv } from '../../../adapters/local/podman-fleet.js';
import {
  buildHelloImages,
  type ContainerStorage,
  createContainerStorage,
  HELLO_APP,
  HELLO_BASE,
} from '../../fixtures/image-tests/container-storage.js';
import { tempDir } from '../../helpers/temp-dir.js';

let storage: ContainerStorage;
let fleetEnv: Record<string, string>;
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
  ({ env: fleetEnv } = await prepareFleetEnv(storage.dir, admissionHookCommand(storage.dir)));
  appId = `sha256:${(await storage.tool('podman', ['image', 'inspect', '--format', '{{.Id}}', HELLO_APP])).trim()}`;
}, 120_000);

afterAll(async () => {
  await storage?.cleanup();
});

describe('the admission prestart hook', () => {
  it('is installed as an isolated /usr/bin/python3 running its own copy of the hook program', () => {
    const config = JSON.parse(readFileSync(`${hooksDir(storage.dir)}/drydock-admission.json`, 'utf8'));
    expect(config).toMatchObject({
      hook: {
        path: '/usr/bin/python3',
        args: ['/usr/bin/python3', '-I', '-S', hookScriptPath(storage.dir), storage.dir],
        timeout: HOOK_TIMEOUT_SECONDS,
      },
      when: { always: true },
      stages: ['prestart'],
    });
    expect(readFileSync(hookModulePath(storage.dir), 'utf8')).toBe(
      readFileSync(admissionHookSource(), 'utf8'),
    );
    for (const path of [hookScriptPath(storage.dir), hookModulePath(storage.dir)])
      expect(statSync(path).mode & 0o777).toBe(0o400);
    // The entry imports the program, so python3 keeps it compiled.
    spawnSync('/usr/bin/python3', ['-I', '-S', hookScriptPath(storage.dir), storage.dir], { input: '{}' });
    expect(readdirSync(`${hooksDir(storage.dir)}/__pycache__`)).toEqual([
      expect.stringMatching(/^drydock_admission_hook\.cpython-\d+\.pyc$/),
    ]);
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
  it('answers a real container state as the TypeScript decision does, from podman’s own storage metadata', async () => {
    const created = (await storage.tool('podman', ['create', HELLO_APP, 'true'])).trim();
    try {
      const state = JSON.stringify({
        ociVersion: '1.0.2-dev',
        id: created,
        status: 'creating',
        bundle: `${storage.dir}/containers/storage/vfs-containers/${created}/userdata`,
        annotations: {},
      });
      const [python, ...args] = admissionHookCommand(storage.dir);
      const hook = () => spawnSync(python ?? '', args, { input: state, encoding: 'utf8' });
      await list([], ['localhost/apps/hello:1*']);
      const denied = answerPrestart(storage.dir, state);
      expect(denied).toMatchObject({
        allow: false,
        reason: `${HELLO_APP} is banned by localhost/apps/hello:1*: CVE-2026-1`,
      });
      expect(hook()).toMatchObject({
        status: 1,
        stderr: `drydock admission: refused: ${denied.allow ? '' : denied.reason}\n`,
      });
      await list([], ['localhost/apps/other']);
      expect(answerPrestart(storage.dir, state)).toEqual({ allow: true });
      expect(hook()).toMatchObject({ status: 0, stderr: '' });
    } finally {
      await storage.tool('podman', ['rm', '--force', created]);
    }
  }, 60_000);
  it('refuses, at the hook time limit, a name crafted to make a ban pattern backtrack', async () => {
    // Six stars in one segment backtrack for minutes on a long run of "a" (in any backtracking matcher).
    const crafted = `localhost/${'a'.repeat(120)}:1`;
    await storage.tool('podman', ['tag', HELLO_APP, crafted]);
    // The installed limit is checked above; here the runtime's enforcement of whatever the hook file says, at 1 s
    // so that the test does not wait out the product's 5 s (podman reads the hook file at each container start).
    const configPath = `${hooksDir(storage.dir)}/drydock-admission.json`;
    const installed = readFileSync(configPath, 'utf8');
    const limit = 1;
    const config = JSON.parse(installed);
    writeFileSync(configPath, JSON.stringify({ ...config, hook: { ...config.hook, timeout: limit } }));
    try {
      await list([], ['localhost/a*a*a*a*a*a*b']);
      const started = Date.now();
      const refused = plainRun(crafted);
      expect(refused.status, refused.stderr).toBe(126);
      // runc ends the hook at its limit (no process is left running) and refuses the start.
      expect(refused.stderr).toContain(`hook ran past specified timeout of ${limit}`);
      expect(Date.now() - started).toBeLessThan((limit + 10) * 1000);
    } finally {
      writeFileSync(configPath, installed);
      await storage.tool('podman', ['untag', HELLO_APP, crafted]);
    }
  }, 60_000);
});
