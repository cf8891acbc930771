// drydock status / images / builds / logs / notifications / dead-letters, run through main() against a real
// HTTP server: a small node:http server answering the API's routes with the typed fixtures (for layout and
// flags), and once against a real `drydock start` (for the routes and shapes as the daemon serves them).
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiTokens, ensureApiTokens } from '../../runtime/local/api-tokens.js';
import type { BuildSummary, StatusResponse } from '../../runtime/local/api-types.js';
import { readRuntimeInfo, writeRuntimeInfo } from '../../runtime/local/runtime-info.js';
import {
  BUILDS,
  DEAD_LETTERS,
  FAILED,
  IMAGES,
  NOTIFICATIONS,
  PUBLISHED,
  PUBLISHED_LOG,
  STATUS,
} from '../fixtures/pipeline-api.js';
import { runCli } from '../helpers/cli.js';
import { tempDir as newTempDir } from '../helpers/temp-dir.js';

/** A build the API no longer lists among the newest (only found by its whole id). */
const OLD_BUILD: BuildSummary = { ...PUBLISHED, buildId: 'build-00aa11bb22cc33dd44ee55ff66778899' };

const STATES = ['queued', 'building', 'testing', 'pushing', 'published', 'failed'];

/**
 * Answers the API's routes as runtime/local/http-api.ts does, from the fixtures, to the ops token only;
 * records each request.
 */
function fixtureApi(requests: string[], tokens: () => ApiTokens): Server {
  return createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(`${url.pathname}${url.search}`);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(`${JSON.stringify(body, null, 2)}\n`);
    };
    if (req.headers.authorization !== `Bearer ${tokens().ops}`)
      return json(401, { error: 'this API needs a bearer token' });
    const rawLimit = url.searchParams.get('limit');
    const limit = rawLimit === null ? 1000 : Number(rawLimit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
      return json(400, { error: `limit must be an integer from 1 to 1000, not "${rawLimit}"` });
    const path = url.pathname;
    if (path === '/api/status')
      return json(200, {
        ...STATUS,
        pushes: STATUS.pushes.slice(0, limit),
        builds: STATUS.builds.slice(0, limit),
      });
    if (path === '/api/builds') {
      const state = url.searchParams.get('state');
      if (state !== null && !STATES.includes(state))
        return json(400, { error: `state must be one of ${STATES.join(', ')}, not "${state}"` });
      const builds = BUILDS.filter((b) => state === null || b.state === state).slice(0, limit);
      return json(200, { builds });
    }
    const build = /^\/api\/builds\/([^/]+)(\/log)?$/.exec(path);
    if (build) {
      const id = decodeURIComponent(build[1]!);
      const found = [...BUILDS, OLD_BUILD].find((b) => b.buildId === id);
      if (!found) return json(404, { error: `no build "${id}"; drydock builds lists them` });
      if (!build[2]) return json(200, found);
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(found.buildId === PUBLISHED.buildId ? PUBLISHED_LOG : '');
      return;
    }
    if (path === '/api/images') return json(200, { images: IMAGES.slice(0, limit) });
    if (path === '/api/notifications') return json(200, { notifications: NOTIFICATIONS.slice(0, limit) });
    if (path === '/api/dead-letters') return json(200, { deadLetters: DEAD_LETTERS });
    return json(404, { error: `no GET ${path}` });
  });
}

/** A process id that no longer runs: a child that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  return Number(child.stdout);
}

const tempDir = () => newTempDir('drydock-pipeline-cli-');

describe('pipeline commands against the API', () => {
  const requests: string[] = [];
  let server: Server;
  let state: string;
  const cli = (argv: string[], opts: Parameters<typeof runCli>[1] = {}) =>
    runCli([...argv, '--state', state], opts);

  let tokens: ApiTokens;

  beforeAll(async () => {
    server = fixtureApi(requests, () => tokens);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    state = tempDir();
    tokens = (await ensureApiTokens(state)).tokens;
    const port = (server.address() as AddressInfo).port;
    await writeRuntimeInfo({
      version: '0.1.0',
      pid: process.pid,
      startedAt: STATUS.startedAt,
      stateDir: state,
      api: `http://127.0.0.1:${port}`,
      registry: STATUS.registry.host,
      repos: join(state, 'repos'),
      policy: join(state, 'policy.yaml'),
    });
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    if (state) rmSync(state, { recursive: true, force: true });
  });

  const lastRequest = () => requests.at(-1);

  describe('status', () => {
    it('reports locations, queues, pushes and builds as text, exit 0 even with dead letters', async () => {
      const r = await cli(['status']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('  registry  127.0.0.1:44597\n');
      expect(r.stdout).toContain('  ! 2 dead letters');
      expect(r.stdout).toContain('    bad/Dockerfile     FAILED  4 findings, 1 base denied  not built\n');
      expect(r.stdout).toMatch(/ebfeebc91b4f +shop\/tested\/Dockerfile +cdcc8a499682 +failed +2 +3\.3s/);
      expect(r.stdout).not.toContain('\u001b[');
      expect(lastRequest()).toBe('/api/status');
    });

    it('gives the StatusResponse as JSON with the registry and API addresses', async () => {
      const r = await cli(['status', '--format', 'json']);
      expect(r.code).toBe(0);
      const body = JSON.parse(r.stdout) as StatusResponse;
      expect(body).toEqual(STATUS);
      expect(body.registry).toEqual({ host: '127.0.0.1:44597', url: 'http://127.0.0.1:44597' });
      expect(body.api).toBe('http://127.0.0.1:40931');
      expect(r.stdout).toBe(`${JSON.stringify(STATUS, null, 2)}\n`);
    });

    it('asks for fewer pushes and builds with --limit', async () => {
      const r = await cli(['status', '--limit', '1', '--format', 'json']);
      expect(lastRequest()).toBe('/api/status?limit=1');
      expect((JSON.parse(r.stdout) as StatusResponse).builds).toHaveLength(1);
    });

    it('colours on a TTY, and not with NO_COLOR or --no-color', async () => {
      expect((await cli(['status'], { tty: true })).stdout).toContain('\u001b[1;31mFAILED\u001b[0m');
      expect((await cli(['status'], { tty: true, env: { NO_COLOR: '1' } })).stdout).not.toContain('\u001b[');
      expect((await cli(['status', '--no-color'], { tty: true })).stdout).not.toContain('\u001b[');
    });

    it('finds the state directory through DRYDOCK_STATE', async () => {
      const r = await runCli(['status', '--format', 'json'], { env: { DRYDOCK_STATE: state } });
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual(STATUS);
    });
  });

  describe('images', () => {
    it('lists images as a table', async () => {
      const r = await cli(['images']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^REF +DIGEST +STATUS +BASES +DEFINITION +COMMIT +PUBLISHED +REASON\n/);
      expect(r.stdout).toMatch(/ UNSUPPORTED .* ban-0a1b2c3d4e5f: CVE-2026-1234 in busybox 1\.36\.0\n/);
      expect(r.stdout).toMatch(
        /127\.0\.0\.1:44597\/apps\/shop\/hello:cdcc8a499682 +aee48ed7f847 +supported +base\/busybox:1\.36\.1@7069ce1031d3/,
      );
    });

    it('prints a JSON array of items with ref, digest, bases, status, definition and commit', async () => {
      const r = await cli(['images', '--format', 'json', '--limit', '5']);
      expect(lastRequest()).toBe('/api/images?limit=5');
      const items = JSON.parse(r.stdout) as unknown[];
      expect(Array.isArray(items)).toBe(true);
      expect(items).toEqual(IMAGES);
      for (const item of items)
        expect(Object.keys(item as object)).toEqual(
          expect.arrayContaining(['ref', 'digest', 'bases', 'status', 'definition', 'commit']),
        );
    });
  });

  describe('builds', () => {
    it('lists builds as a table, newest first', async () => {
      const r = await cli(['builds']);
      expect(r.code).toBe(0);
      expect(r.stdout.split('\n')[0]).toMatch(/^BUILD +DEFINITION +COMMIT +STATE +ATTEMPTS +DURATION/);
      expect(r.stdout).toMatch(/ebf0a4c2d9e8 +web\/frontend\/Dockerfile +5e0f1d2c3b4a +building/);
    });

    it('filters by state with --only and passes --limit on', async () => {
      const r = await cli(['builds', '--only', 'failed', '--limit', '3', '--format', 'json']);
      expect(r.code).toBe(0);
      expect(lastRequest()).toBe('/api/builds?state=failed&limit=3');
      expect(JSON.parse(r.stdout)).toEqual([FAILED]);
    });

    it('says so when a filter finds nothing', async () => {
      const r = await cli(['builds', '--only', 'pushing']);
      expect(r.stdout).toBe('no pushing builds\n');
    });

    it('refuses an unknown state before asking the API', async () => {
      const before = requests.length;
      const r = await cli(['builds', '--only', 'done']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(
        '--only must be one of queued, building, testing, pushing, published, failed',
      );
      expect(requests.length).toBe(before);
    });

    it('shows one build by a unique prefix, with or without build-', async () => {
      for (const prefix of ['f17a', 'build-f17a']) {
        const r = await cli(['builds', prefix]);
        expect(r.code).toBe(0);
        expect(r.stdout.split('\n')[0]).toBe(`${PUBLISHED.buildId}  published`);
        expect(r.stdout).toContain('    pushing    2026-11-27T11:59:20.151Z  405ms\n');
      }
      const json = await cli(['builds', 'f17af626', '--format', 'json']);
      expect(JSON.parse(json.stdout)).toEqual(PUBLISHED);
    });

    it('lists the candidates of an ambiguous prefix, exit 2', async () => {
      const r = await cli(['builds', 'ebf']);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('"ebf" matches 2 builds; give more of the id:');
      expect(r.stderr).toContain(
        '  build-ebf0a4c2d9e8f7a6b5c4d3e2f1a0b9c8  web/frontend/Dockerfile  building',
      );
      expect(r.stderr).toContain('  build-ebfeebc91b4f327357a91e636a47481b  shop/tested/Dockerfile  failed');
    });

    it('finds a build beyond the listed ones by its whole id', async () => {
      const r = await cli(['builds', OLD_BUILD.buildId, '--format', 'json']);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).buildId).toBe(OLD_BUILD.buildId);
    });

    it('refuses --only together with a build id', async () => {
      const r = await cli(['builds', 'f17a', '--only', 'failed']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('leave them out when showing one build');
    });
  });

  describe('logs', () => {
    it('prints the build log of a unique prefix', async () => {
      const r = await cli(['logs', 'f17af6']);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(PUBLISHED_LOG);
      expect(lastRequest()).toBe(`/api/builds/${PUBLISHED.buildId}/log`);
    });

    it('gives the log as JSON with the build id and state', async () => {
      const r = await cli(['logs', 'f17af6', '--format', 'json']);
      expect(JSON.parse(r.stdout)).toEqual({
        buildId: PUBLISHED.buildId,
        state: 'published',
        log: PUBLISHED_LOG,
      });
    });

    it('says so on stderr when a build has no log yet', async () => {
      const r = await cli(['logs', '0d1c']);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe('drydock: build-0d1c2b3a49586776a5b4c3d2e1f0a9b8 (queued) has no log yet\n');
    });

    it('names recent builds when nothing matches, exit 2', async () => {
      const r = await cli(['logs', 'nope']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('drydock: no build matches "nope"; drydock builds lists them. Recent:');
      expect(r.stderr).toContain('  f17af62636ee  shop/hello/Dockerfile');
    });

    it('lists the candidates of an ambiguous prefix, exit 2', async () => {
      const r = await cli(['logs', 'build-']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('"build-" matches 4 builds');
    });
  });

  describe('notifications and dead letters', () => {
    it('shows the outbox, one line each, and the whole of it as JSON', async () => {
      const text = await cli(['notifications', '--limit', '2']);
      expect(text.code).toBe(0);
      expect(lastRequest()).toBe('/api/notifications?limit=2');
      expect(text.stdout).toMatch(
        /tests-failed +shop\/tested\/Dockerfile +cdcc8a499682 +tested\/Dockerfile at/,
      );
      expect(text.stdout).not.toContain('fileContentTests');
      const json = await cli(['notifications', '--format', 'json']);
      expect(JSON.parse(json.stdout)).toEqual(NOTIFICATIONS);
    });

    it('shows dead letters per queue with reason, receive count and event type', async () => {
      const text = await cli(['dead-letters']);
      expect(text.code).toBe(0);
      expect(text.stdout).toMatch(/^build +msg-7f3a9c1e +5 +Build Requested +buildah exited 125/m);
      const json = await cli(['dead-letters', '--format', 'json']);
      expect(JSON.parse(json.stdout)).toEqual(DEAD_LETTERS);
    });
  });

  describe('bad flag values', () => {
    it.each([
      [['status', '--format', 'yaml'], 'unknown --format "yaml"; use text or json'],
      [['images', '--limit', '0'], '--limit must be a whole number from 1 to 1000, not "0"'],
      [['builds', '--limit', '1e3'], '--limit must be a whole number from 1 to 1000, not "1e3"'],
      [['notifications', '-n', 'ten'], '--limit must be a whole number from 1 to 1000, not "ten"'],
      [['dead-letters', '--limit', '5'], "unknown option '--limit'"],
      [['logs'], "missing required argument 'build'"],
    ])('%j is a usage error, exit 2', async (argv, message) => {
      const r = await cli(argv);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(message);
    });
  });
});

describe('pipeline commands with no pipeline running', () => {
  const commands = [
    ['status'],
    ['images'],
    ['builds'],
    ['builds', 'f17a'],
    ['logs', 'f17a'],
    ['notifications'],
    ['dead-letters'],
  ];

  it.each(commands)('%s says how to start it when there is no runtime.json, exit 2', async (...argv) => {
    const state = tempDir();
    const r = await runCli([...argv, '--state', state]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `drydock: the local pipeline is not running for ${state} (no runtime.json); start it with:\n  drydock start --state ${state}\n`,
    );
  });

  it('says the process is gone when runtime.json names a dead one, exit 2', async () => {
    const state = tempDir();
    const pid = deadPid();
    await writeRuntimeInfo({
      version: '0.1.0',
      pid,
      startedAt: STATUS.startedAt,
      stateDir: state,
      api: 'http://127.0.0.1:9',
      registry: '127.0.0.1:9',
      repos: join(state, 'repos'),
      policy: join(state, 'policy.yaml'),
    });
    const r = await runCli(['status', '--state', state]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`not running for ${state} (process ${pid} is gone)`);
    expect(r.stderr).toContain(`drydock start --state ${state}`);
  });

  it('says the API does not answer when the process lives but nothing listens, exit 2', async () => {
    const state = tempDir();
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await ensureApiTokens(state);
    await writeRuntimeInfo({
      version: '0.1.0',
      pid: process.pid,
      startedAt: STATUS.startedAt,
      stateDir: state,
      api: `http://127.0.0.1:${port}`,
      registry: '127.0.0.1:9',
      repos: join(state, 'repos'),
      policy: join(state, 'policy.yaml'),
    });
    const r = await runCli(['images', '--state', state]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`its API at http://127.0.0.1:${port} does not answer`);
    expect(r.stderr).toContain(`drydock start --state ${state}`);
  });

  it('refuses a bad flag value before looking for the pipeline', async () => {
    const r = await runCli(['images', '--format', 'xml', '--state', tempDir()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown --format "xml"');
    expect(r.stderr).not.toContain('not running');
  });
});

// The bundled CLI (built by `npm test` before vitest) runs `drydock start` as a user would; without base
// seeding it needs only docker-registry, and shows the routes and shapes exactly as the daemon serves them.
describe('pipeline commands against a real drydock start', () => {
  const bin = fileURLToPath(new URL('../../bin/drydock.js', import.meta.url));
  let dir: string;
  let state: string;
  let daemon: ChildProcess | undefined;
  let output = '';

  beforeAll(async () => {
    dir = tempDir();
    // Other users may look into the state dir, as into one `drydock start` makes in a home or /srv.
    chmodSync(dir, 0o755);
    state = join(dir, 'state');
    mkdirSync(state);
    daemon = spawn(process.execPath, [bin, 'start', '--state', state, '--port', '0', '--no-seed'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    daemon.stdout?.on('data', (d: Buffer) => {
      output += d.toString();
    });
    daemon.stderr?.on('data', (d: Buffer) => {
      output += d.toString();
    });
    const deadline = Date.now() + 30_000;
    while ((await readRuntimeInfo(state)).state !== 'running') {
      if (daemon.exitCode !== null || Date.now() > deadline)
        throw new Error(`drydock start did not come up:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const created = await runCli(['repo', 'create', 'shop', '--state', state]);
    expect(created.code).toBe(0);
  }, 40_000);

  afterAll(async () => {
    if (daemon && daemon.exitCode === null) {
      const exited = new Promise((resolve) => daemon?.once('exit', resolve));
      daemon.kill('SIGINT');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      if (daemon.exitCode === null) daemon.kill('SIGKILL');
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 20_000);

  it('status --format json gives the addresses of the API and the registry, and the repo', async () => {
    const r = await runCli(['status', '--format', 'json', '--state', state]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const status = JSON.parse(r.stdout) as StatusResponse;
    const info = await readRuntimeInfo(state);
    if (info.state !== 'running') throw new Error('drydock start stopped');
    expect(status.api).toBe(info.info.api);
    expect(status.registry.host).toBe(info.info.registry);
    expect(status.registry.url).toBe(`http://${info.info.registry}`);
    expect(status.stateDir).toBe(state);
    expect(status.repos).toEqual([{ name: 'shop', remote: join(state, 'repos', 'shop.git') }]);
    expect(Object.keys(status.queues)).toContain('build');
  });

  it('status as text says where everything is and how to begin', async () => {
    const r = await runCli(['status', '--state', state], { now: new Date() });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`  state     ${state}\n`);
    expect(r.stdout).toContain(`  repos     shop  ${join(state, 'repos', 'shop.git')}\n`);
    expect(r.stdout).toContain('no pushes yet — push to a repo: drydock repo create NAME');
    expect(r.stdout).toContain('no builds yet');
  });

  it('images, builds, notifications and dead-letters read the empty pipeline', async () => {
    for (const command of ['images', 'builds', 'notifications', 'dead-letters']) {
      const r = await runCli([command, '--format', 'json', '--state', state]);
      expect(r.stderr, command).toBe('');
      expect(r.code, command).toBe(0);
      expect(JSON.parse(r.stdout), command).toEqual([]);
    }
    expect((await runCli(['builds', '--only', 'failed', '--state', state])).stdout).toBe(
      'no failed builds\n',
    );
  });

  it('tells another local user that the API token is not theirs to read, and the API refuses them', () => {
    const asNobody = (argv: string[]) =>
      spawnSync('runuser', ['-u', 'nobody', '--', ...argv], { encoding: 'utf8', cwd: dir });
    const status = asNobody([process.execPath, bin, 'status', '--state', state]);
    expect(status.status).toBe(2);
    expect(status.stderr).toBe(
      `drydock: cannot read ${join(state, 'api', 'ops-token')}: drydock's API token is readable only by the user who runs drydock start (root)\n`,
    );
    expect(status.stdout).toBe('');
    const api = readFileSync(join(state, 'runtime.json'), 'utf8').match(/"api": "([^"]+)"/)?.[1];
    const curl = asNobody([
      'curl',
      '--silent',
      '--output',
      '/dev/null',
      '--write-out',
      '%{http_code}',
      `${api}/api/status`,
    ]);
    expect(curl.stdout).toBe('401');
  });

  it('logs of an unknown build is a usage error, exit 2', async () => {
    const r = await runCli(['logs', 'build-nope', '--state', state]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'no build matches "build-nope"; drydock builds lists them (there are none yet)',
    );
  });
});
