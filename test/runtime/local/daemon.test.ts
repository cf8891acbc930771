import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { readAdmissionFile } from '../../../adapters/local/admission-file.js';
import { prepareContainerEnv } from '../../../adapters/local/container-env.js';
import { createBareRepository } from '../../../adapters/local/git-repositories.js';
import { SqliteBanStore } from '../../../adapters/local/sqlite-ban-store.js';
import { SqliteBuildRecords } from '../../../adapters/local/sqlite-build-records.js';
import { openStateDirectory } from '../../../adapters/local/sqlite-database.js';
import { SqliteWorkQueue } from '../../../adapters/local/sqlite-work-queue.js';
import { PolicyValidationError } from '../../../core/errors.js';
import { definitionKey } from '../../../core/ports/ban-store.js';
import { readApiToken } from '../../../runtime/local/api-tokens.js';
import { baseCatalogue } from '../../../runtime/local/base-catalogue.js';
import {
  AlreadyRunningError,
  type LocalRuntime,
  refusalLogger,
  startLocalRuntime,
} from '../../../runtime/local/daemon.js';
import { pipelineQueues } from '../../../runtime/local/open-local-pipeline.js';
import { POLICY_FILE } from '../../../runtime/local/policy-store.js';
import { processAlive, readRuntimeInfo } from '../../../runtime/local/runtime-info.js';
import { pushFiles, removeState, waitFor } from '../../helpers/drydock-process.js';

const dirs: string[] = [];
const runtimes: LocalRuntime[] = [];
const children: ChildProcess[] = [];

afterEach(async () => {
  for (const r of runtimes.splice(0)) await r.stop();
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

afterAll(async () => {
  for (const d of dirs.splice(0)) await removeState(d);
});

function stateDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'drydock-daemon-'));
  dirs.push(dir);
  return dir;
}

async function start(dir: string, log: string[] = []): Promise<LocalRuntime> {
  const runtime = await startLocalRuntime({
    stateDir: dir,
    version: '0.0.0-test',
    apiPort: 0,
    seedBases: false,
    log: (line) => log.push(line),
    bases: baseCatalogue,
  });
  runtimes.push(runtime);
  return runtime;
}

async function stop(runtime: LocalRuntime): Promise<void> {
  runtimes.splice(runtimes.indexOf(runtime), 1);
  await runtime.stop();
}

const lockOf = (dir: string) => join(dir, 'drydock.lock');
const settingsOf = (dir: string) =>
  JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8')) as { registryPort: number; apiPort: number };

/** True when something accepts connections on the loopback port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const opsAuth = async (dir: string) => ({ authorization: `Bearer ${await readApiToken(dir, 'ops')}` });

describe('startLocalRuntime', () => {
  it('runs on a state dir: lock, runtime.json and settings; stopping removes the lock and runtime.json', async () => {
    const dir = stateDir();
    const log: string[] = [];
    const runtime = await start(dir, log);
    expect(readFileSync(lockOf(dir), 'utf8')).toBe(`${process.pid}\n`);
    expect(await readRuntimeInfo(dir)).toEqual({ state: 'running', info: runtime.info });
    expect(runtime.info.registry).toBe(`127.0.0.1:${settingsOf(dir).registryPort}`);
    expect(runtime.info.policy).toBe(join(dir, POLICY_FILE));
    expect(log).toContainEqual(expect.stringMatching(/^policy version 1 in force/));
    // The API answers only with the ops token drydock start made for its own user.
    expect(log).toContain('API tokens made (only this user can read them): api/ops-token, api/read-token');
    expect((await fetch(`${runtime.info.api}/api/status`)).status).toBe(401);
    const res = await fetch(`${runtime.info.api}/api/status`, { headers: await opsAuth(dir) });
    expect(res.status).toBe(200);
    // The ban endpoints are wired to the pipeline's ban store, policy store and fleet (without them: 503).
    const bans = await fetch(`${runtime.info.api}/api/bans`, { headers: await opsAuth(dir) });
    expect(bans.status).toBe(200);
    expect(await bans.json()).toEqual({ bans: [] });
    await stop(runtime);
    expect(existsSync(lockOf(dir))).toBe(false);
    expect(await readRuntimeInfo(dir)).toEqual({ state: 'absent' });
    expect(await listening(settingsOf(dir).registryPort)).toBe(false);
  });

  it('logs a write the registry guard refused: who tried what, and why', async () => {
    const dir = stateDir();
    const log: string[] = [];
    const runtime = await start(dir, log);
    const res = await fetch(`http://${runtime.info.registry}/v2/apps/evil/blobs/uploads/`, {
      method: 'POST',
    });
    expect(res.status).toBe(401);
    expect(log).toContainEqual(
      'registry: refused POST /v2/apps/evil/blobs/uploads/ from 127.0.0.1: no-credential',
    );
  });

  it('logs at most one refusal a second and says how many it did not show', () => {
    let now = 0;
    const log: string[] = [];
    const refused = refusalLogger(
      (line) => log.push(line),
      () => now,
    );
    const put = { at: new Date(0), method: 'PUT', path: '/v2/a/manifests/1', reason: 'tag-moved' } as const;
    for (let i = 0; i < 5; i++) refused(put);
    now = 1_000;
    refused({ ...put, reason: 'wrong-credential' });
    expect(log).toEqual([
      'registry: refused PUT /v2/a/manifests/1: tag-moved',
      'registry: refused PUT /v2/a/manifests/1: wrong-credential; 4 more refused before it, not shown',
    ]);
  });

  it('refuses a state dir another running process has locked', async () => {
    const dir = stateDir();
    const other = spawn('sleep', ['30'], { stdio: 'ignore' });
    children.push(other);
    writeFileSync(lockOf(dir), `${other.pid}\n`);
    const error = await start(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AlreadyRunningError);
    expect((error as Error).message).toContain(`(pid ${other.pid})`);
    expect(readFileSync(lockOf(dir), 'utf8')).toBe(`${other.pid}\n`);
    expect(existsSync(join(dir, 'settings.json'))).toBe(false);
  });

  it('refuses a second start in the same process and leaves the first one its lock', async () => {
    const dir = stateDir();
    const first = await start(dir);
    await expect(start(dir)).rejects.toBeInstanceOf(AlreadyRunningError);
    expect(readFileSync(lockOf(dir), 'utf8')).toBe(`${process.pid}\n`);
    expect((await fetch(`${first.info.api}/api/status`, { headers: await opsAuth(dir) })).status).toBe(200);
    await stop(first);
    expect(existsSync(lockOf(dir))).toBe(false);
  });

  it('takes over a lock whose process is gone', async () => {
    const dir = stateDir();
    const gone = spawn('true', [], { stdio: 'ignore' });
    await once(gone, 'exit');
    writeFileSync(lockOf(dir), `${gone.pid}\n`);
    await start(dir);
    expect(readFileSync(lockOf(dir), 'utf8')).toBe(`${process.pid}\n`);
  });

  it('does not save a one-off --port 0 over the API port saved for later starts', async () => {
    const dir = stateDir();
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ registryPort: 0, apiPort: 7399 }));
    await stop(await start(dir));
    expect(settingsOf(dir).apiPort).toBe(7399);
    expect(settingsOf(dir).registryPort).toBeGreaterThan(0);
  });

  it('keeps the registry port across restarts', async () => {
    const dir = stateDir();
    const first = await start(dir);
    const { registryPort } = settingsOf(dir);
    await stop(first);
    const second = await start(dir);
    expect(second.info.registry).toBe(first.info.registry);
    expect(settingsOf(dir).registryPort).toBe(registryPort);
  });

  it('refuses to start on an invalid policy, and releases everything it took', async () => {
    const dir = stateDir();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, POLICY_FILE), 'version: 1\nallowed: []\nallowd: []\n');
    const error = await start(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PolicyValidationError);
    expect((error as Error).message).toContain('allowd');
    expect(existsSync(lockOf(dir))).toBe(false);
    expect(await readRuntimeInfo(dir)).toEqual({ state: 'absent' });
    const registryPid = Number(readFileSync(join(dir, 'registry', 'registry.pid'), 'utf8'));
    expect(processAlive(registryPid)).toBe(false);
    const { registryPort } = settingsOf(dir);
    expect(await listening(registryPort)).toBe(false);

    // Fixed, it starts on the same registry port.
    writeFileSync(join(dir, POLICY_FILE), 'version: 1\nallowed: []\n');
    const runtime = await start(dir);
    expect(runtime.info.registry).toBe(`127.0.0.1:${registryPort}`);
  });
});

/** Pids of processes running with the container storage of a state dir: buildah and podman children of drydock. */
function toolProcessesOf(dir: string): number[] {
  const wanted = `CONTAINERS_STORAGE_CONF=${join(dir, 'containers', 'storage.conf')}`;
  return readdirSync('/proc').flatMap((entry) => {
    if (!/^\d+$/.test(entry)) return [];
    try {
      const env = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
      return env.includes(wanted) ? [Number(entry)] : [];
    } catch {
      return [];
    }
  });
}

describe('stopping while a build runs', () => {
  it('ends the build, leaving no buildah behind, and keeps its message for the next start', async () => {
    const dir = stateDir();
    const runtime = await start(dir);
    try {
      await runtime.bases.seed({ versions: ['1.36.1'] }, () => undefined);
      const repo = await createBareRepository(runtime.pipeline.reposRoot, 'shop', ['true']);
      const commit = pushFiles(join(dir, 'work'), repo.remote, {
        'slow/Dockerfile': `FROM ${runtime.info.registry}/base/busybox:1.36.1\nRUN sleep 120 && echo built > /built.txt\nUSER 65534\n`,
      });
      await runtime.pipeline.bus.publish([
        {
          id: 'push-slow',
          source: 'drydock',
          detailType: 'Definition Pushed',
          time: new Date().toISOString(),
          detail: {
            repository: 'shop',
            ref: 'refs/heads/main',
            before: '0'.repeat(40),
            after: commit,
            pusher: 'dev',
            definitions: [{ path: 'slow/Dockerfile', change: 'added' }],
          },
        },
      ]);
      runtime.workers.wake();
      await waitFor('buildah to run the build', async () =>
        toolProcessesOf(dir).length > 0 &&
        (await runtime.pipeline.records.list()).some((b) => b.state === 'building')
          ? true
          : undefined,
      );
      const stopping = Date.now();
      await stop(runtime);
      expect(Date.now() - stopping).toBeLessThan(20_000);
      expect(toolProcessesOf(dir)).toEqual([]);
      const env = { ...process.env, ...runtime.pipeline.containerEnv.env };
      const working = execFileSync('buildah', ['containers', '--quiet'], { env, encoding: 'utf8' });
      expect(working.trim()).toBe('');
      expect(readdirSync(join(dir, 'containers', 'tmp')).filter((n) => n.startsWith('drydock-'))).toEqual([]);

      const db = openStateDirectory(dir);
      try {
        const [build] = await new SqliteBuildRecords(db).list();
        expect(build).toMatchObject({ commit, state: 'building' });
        const queue = new SqliteWorkQueue(db, { name: 'build' });
        const depth = await queue.depth();
        expect(depth.dead).toBe(0);
        expect(depth.visible + depth.inFlight).toBe(1);
      } finally {
        db.close();
      }
    } finally {
      for (const pid of toolProcessesOf(dir)) {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          process.kill(pid, 'SIGKILL');
        }
      }
    }
  }, 180_000);
});

describe('starting after a run that was killed', () => {
  it('ends the build tools it left running and removes its test containers, working containers and temp files', async () => {
    const dir = stateDir();
    const { env } = await prepareContainerEnv(dir);
    const toolEnv = { ...process.env, ...env };
    // What SIGKILL leaves: buildah in its own process group, a working container, a test container, a workspace.
    const orphan = spawn('sleep', ['300'], { env: toolEnv, detached: true, stdio: 'ignore' });
    children.push(orphan);
    const working = execFileSync('buildah', ['from', 'scratch'], { env: toolEnv, encoding: 'utf8' }).trim();
    execFileSync('buildah', ['commit', '--quiet', working, 'localhost/leftover:1'], {
      env: toolEnv,
      stdio: 'ignore',
    });
    execFileSync(
      'podman',
      [
        'create',
        '--name',
        'drydock-test-left',
        '--label',
        'io.drydock.role=image-test',
        'localhost/leftover:1',
        '/x',
      ],
      { env: toolEnv, stdio: 'ignore' },
    );
    mkdirSync(join(dir, 'containers', 'tmp', 'drydock-abc-123', 'context'), { recursive: true });
    writeFileSync(join(dir, 'containers', 'tmp', 'drydock-abc-123', 'context', 'Dockerfile'), 'FROM x\n');

    const log: string[] = [];
    await start(dir, log);
    expect(toolProcessesOf(dir)).toEqual([]);
    expect(orphan.exitCode !== null || orphan.signalCode !== null || !processAlive(orphan.pid!)).toBe(true);
    expect(
      execFileSync('buildah', ['containers', '--quiet'], { env: toolEnv, encoding: 'utf8' }).trim(),
    ).toBe('');
    const tests = execFileSync(
      'podman',
      ['ps', '--all', '--quiet', '--filter', 'label=io.drydock.role=image-test'],
      {
        env: toolEnv,
        encoding: 'utf8',
      },
    );
    expect(tests.trim()).toBe('');
    expect(readdirSync(join(dir, 'containers', 'tmp'))).toEqual([]);
    expect(log).toContainEqual(expect.stringMatching(/^removed what a previous run left/));
  }, 60_000);

  it('marks a band-aid run it left running interrupted, never to run again, and rewrites the admission list', async () => {
    const dir = stateDir();
    await stop(await start(dir));
    // What SIGKILL leaves in the middle of a ban: an image marked, a band-aid run claimed and never finished.
    const db = openStateDirectory(dir);
    const bans = new SqliteBanStore(db);
    const at = '2026-12-07T12:00:00.000Z';
    await bans.create({
      banId: 'ban-killed',
      ref: 'docker.io/library/busybox:1.36.0',
      reason: 'CVE',
      bandAids: [],
      by: 'ops',
      at,
    });
    const configDigest = `sha256:${'c'.repeat(64)}`;
    await bans.markUnsupported('ban-killed', [
      {
        digest: `sha256:${'d'.repeat(64)}`,
        configDigest,
        ref: 'r/apps/x:1',
        repository: 'x',
        definition: 'Dockerfile',
        depth: 1,
      },
    ]);
    const run = {
      banId: 'ban-killed',
      bandAidId: 'aid',
      containerId: 'c1',
      host: 'h',
      imageDigest: configDigest,
    };
    await bans.addBandAidRuns([run]);
    expect(await bans.claimBandAidRun('ban-killed', 'aid', 'c1', at)).toBe(true);
    db.close();
    rmSync(join(dir, 'admission'), { recursive: true, force: true });

    const log: string[] = [];
    const runtime = await start(dir, log);
    expect(log).toContain('1 band-aid run a previous run left running marked interrupted');
    expect((await runtime.pipeline.bans.bandAidRuns('ban-killed')).map((r) => r.state)).toEqual([
      'interrupted',
    ]);
    expect(await runtime.pipeline.bans.claimBandAidRun('ban-killed', 'aid', 'c1', at)).toBe(false);
    expect(readAdmissionFile(dir).unsupported.map((i) => i.configDigest)).toEqual([configDigest]);
  }, 60_000);

  it("ends a rebuild whose build message a killed start left on its last receive, and frees the ban's remediation", async () => {
    const dir = stateDir();
    await stop(await start(dir));
    // What three SIGKILLs during a rebuild's build leave: the rebuild dispatched, its build message in flight on
    // its third receive, the build record building.
    const db = openStateDirectory(dir);
    const bans = new SqliteBanStore(db);
    await bans.create({
      banId: 'ban-killed',
      ref: 'docker.io/library/busybox:1.36.0',
      reason: 'CVE',
      bandAids: [],
      by: 'ops',
      at: '2026-12-07T12:00:00.000Z',
    });
    const of = `sha256:${'d'.repeat(64)}`;
    const commit = 'a'.repeat(40);
    await bans.addRebuilds('ban-killed', [
      {
        repository: 'shop',
        definition: 'Dockerfile',
        commit,
        of,
        ofRef: 'r/apps/shop:1',
        depth: 0,
        waitsFor: [],
        substitutions: [],
        runningContainers: 0,
      },
    ]);
    const key = definitionKey('shop', 'Dockerfile');
    await bans.updateRebuild('ban-killed', key, ['ready'], { state: 'dispatched', buildId: 'rebuild-shop' });
    const rebuild = { banId: 'ban-killed', number: 1, of, substitutions: [] };
    const records = new SqliteBuildRecords(db);
    const subject = { buildId: 'rebuild-shop', repository: 'shop', definition: 'Dockerfile', commit };
    await records.enqueue({ ...subject, correlationId: 'ban-killed', rebuild: 'ban-killed#1' });
    await records.transition('rebuild-shop', 'building');
    const build = pipelineQueues(db, { maxReceives: 3, visibilityTimeoutMs: 900_000 })
      .build as SqliteWorkQueue;
    await build.send({
      rule: 'build-requested-definitions',
      event: {
        id: 'build-requested-shop',
        source: 'drydock',
        detailType: 'Build Requested',
        time: new Date().toISOString(),
        detail: {
          ...subject,
          correlationId: 'ban-killed',
          rebuild,
          dockerfile: 'FROM docker.io/library/busybox:1.36.1\n',
          substitutions: [],
        },
      },
    });
    for (let kill = 0; kill < 3; kill++) {
      await build.receive();
      if (kill < 2) build.recoverInFlight();
    }
    db.close();

    const log: string[] = [];
    const runtime = await start(dir, log);
    expect(log).toContainEqual(
      expect.stringMatching(
        /^build rebuild-shop \(shop\/Dockerfile\) failed: its build message was dead-lettered: exceeded 3 receives/,
      ),
    );
    const ended = await waitFor('the rebuild to end', async () => {
      const [r] = await runtime.pipeline.bans.rebuilds('ban-killed');
      return r?.state === 'dispatched' ? undefined : r;
    });
    expect(ended).toMatchObject({ state: 'failed' });
    expect(ended.reason).toMatch(/^build failed: its build message was dead-lettered/);
    expect((await runtime.pipeline.bans.get('ban-killed'))?.remediatedAt).toBeDefined();
    expect((await runtime.pipeline.records.get('rebuild-shop'))?.state).toBe('failed');
    expect((await runtime.pipeline.queues.build?.depth())?.dead).toBe(1);
  }, 60_000);
});
