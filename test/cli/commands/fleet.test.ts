import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteBanStore } from '../../../adapters/local/sqlite-ban-store.js';
import { openStateDirectory, type StateDatabase } from '../../../adapters/local/sqlite-database.js';
import {
  buildHelloImages,
  type ContainerStorage,
  createContainerStorage,
  HELLO_APP,
  HELLO_BASE,
} from '../../fixtures/image-tests/container-storage.js';
import { runCli } from '../../helpers/cli.js';

// The CLI installs adapters/local/admission-hook.py (copied into <stateDir>/hooks) as the hook, run by /usr/bin/python3.
let storage: ContainerStorage;
let db: StateDatabase;
let bans: SqliteBanStore;
let app: { configDigest: string; digest: string };
let base: { configDigest: string; digest: string };

// --state goes first: after `--` it would be the container's arguments.
const cli = (command: string[], ...rest: string[]) => runCli([...command, '--state', storage.dir, ...rest]);

async function digestsOf(ref: string) {
  const [id, digest] = (
    await storage.tool('podman', ['image', 'inspect', '--format', '{{.Id}} {{.Digest}}', ref])
  )
    .trim()
    .split(' ');
  return { configDigest: `sha256:${id}`, digest: digest ?? '' };
}

async function ban(banId: string, image: { configDigest: string; digest: string }, ref: string) {
  await bans.create({
    banId,
    ref: `docker.io/library/${banId}:1`,
    reason: 'CVE-2026-1',
    bandAids: [],
    by: 'ops',
    at: '2026-12-07T12:00:00Z',
  });
  await bans.markUnsupported(banId, [
    { ...image, ref, repository: 'shop', definition: 'Dockerfile', depth: 1 },
  ]);
}

beforeAll(async () => {
  storage = await createContainerStorage();
  await buildHelloImages(storage);
  app = await digestsOf(HELLO_APP);
  base = await digestsOf(HELLO_BASE);
  db = openStateDirectory(storage.dir);
  bans = new SqliteBanStore(db);
  // The list does not exist yet: the first fleet command writes it from the ban store.
  await ban('ban-app', app, HELLO_APP);
}, 120_000);

afterAll(async () => {
  db?.close();
  await storage?.cleanup();
});

describe('drydock admit, run and fleet', () => {
  it('admit denies an image a ban marks unsupported, with the reason, exit 1', async () => {
    const denied = await cli(['admit'], HELLO_APP);
    expect(denied).toMatchObject({
      code: 1,
      stdout: `deny ${HELLO_APP}: ${HELLO_APP} is unsupported (ban ban-app): CVE-2026-1\n`,
    });
    const json = await cli(['admit'], HELLO_APP, '--format', 'json');
    expect(JSON.parse(json.stdout)).toMatchObject({
      image: HELLO_APP,
      allow: false,
      local: true,
      configDigest: app.configDigest,
    });
  }, 60_000);

  it('admit allows an image no ban covers, exit 0, and judges an image not in storage by its reference', async () => {
    expect(await cli(['admit'], HELLO_BASE)).toMatchObject({ code: 0, stdout: `allow ${HELLO_BASE}\n` });
    const absent = await cli(['admit'], 'localhost/nothing/here:1');
    expect(absent).toMatchObject({
      code: 0,
      stderr: expect.stringContaining('judged by its reference only'),
    });
  }, 60_000);

  it('run and fleet start refuse an unsupported image with the reason and start nothing', async () => {
    const run = await cli(['run'], HELLO_APP);
    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect(run.stderr).toContain(
      `drydock: refused ${HELLO_APP}: ${HELLO_APP} is unsupported (ban ban-app): CVE-2026-1`,
    );
    const start = await cli(['fleet', 'start'], HELLO_APP, '--host', 'web-1');
    expect(start.code).toBe(1);
    expect(await storage.tool('podman', ['ps', '--all', '--quiet'])).toBe('');
  }, 60_000);

  it('a plain podman run with the fleet environment the CLI wrote is refused by the installed hook (exit 126)', () => {
    const root = `${storage.dir}/containers`;
    const result = spawnSync('podman', ['run', '--rm', HELLO_APP, 'true'], {
      env: {
        ...process.env,
        CONTAINERS_CONF: `${root}/fleet-containers.conf`,
        CONTAINERS_STORAGE_CONF: `${root}/storage.conf`,
        CONTAINERS_REGISTRIES_CONF: `${root}/registries.conf`,
      },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status).toBe(126);
    expect(result.stderr).toContain('drydock admission: refused:');
    expect(result.stderr).toContain('(ban ban-app): CVE-2026-1');
  }, 60_000);

  it('run and fleet start start an allowed image, labelled with its host, and fleet ls lists them', async () => {
    const run = await cli(['run'], HELLO_BASE, '--', 'sleep', '3600');
    expect(run.code, run.stderr).toBe(0);
    const local = run.stdout.trim();
    const start = await cli(
      ['fleet', 'start'],
      HELLO_BASE,
      '--host',
      'web-1',
      '--count',
      '2',
      '--',
      'sleep',
      '3600',
    );
    expect(start.code, start.stderr).toBe(0);
    expect(start.stdout.trim().split('\n')).toHaveLength(2);
    const rows = JSON.parse((await cli(['fleet', 'ls'], '--format', 'json')).stdout) as Record<
      string,
      unknown
    >[];
    expect(rows.map((r) => r.host)).toEqual(['local', 'web-1', 'web-1']);
    expect(rows[0]).toMatchObject({
      container: local,
      image: HELLO_BASE,
      imageDigest: base.digest,
      configDigest: base.configDigest,
      supported: true,
      bandAids: [],
    });
  }, 90_000);

  it('fleet ls shows a running container whose image a ban then marked, and the band-aids run in it', async () => {
    await ban('ban-base', base, HELLO_BASE);
    const [row] = JSON.parse((await cli(['fleet', 'ls'], '--format', 'json')).stdout) as {
      container: string;
    }[];
    if (!row) throw new Error('no row');
    await bans.addBandAidRuns([
      {
        banId: 'ban-base',
        bandAidId: 'rotate-keys',
        containerId: row.container,
        host: 'local',
        imageDigest: base.digest,
      },
    ]);
    await bans.claimBandAidRun('ban-base', 'rotate-keys', row.container, '2026-12-07T12:00:01Z');
    await bans.finishBandAidRun(
      'ban-base',
      'rotate-keys',
      row.container,
      { state: 'succeeded', exitCode: 0, outputTail: 'ok', durationMs: 5 },
      '2026-12-07T12:00:02Z',
    );
    const rows = JSON.parse((await cli(['fleet', 'ls'], '--format', 'json')).stdout) as Record<
      string,
      unknown
    >[];
    expect(rows[0]).toMatchObject({
      supported: false,
      unsupportedBy: [{ banId: 'ban-base', reason: 'CVE-2026-1' }],
      bandAids: [{ banId: 'ban-base', bandAidId: 'rotate-keys', state: 'succeeded', exitCode: 0 }],
    });
    expect(rows[1]).toMatchObject({ supported: false, bandAids: [] });
    const text = (await cli(['fleet', 'ls'])).stdout.split('\n');
    expect(text[0]).toMatch(/^CONTAINER\s+HOST\s+IMAGE\s+DIGEST\s+SUPPORT\s+BAND-AIDS$/);
    expect(text[1]).toContain('UNSUPPORTED (ban-base: CVE-2026-1)');
    expect(text[1]).toContain('rotate-keys succeeded (exit 0)');
  }, 60_000);

  it('fleet stop stops a host, and takes a container or --host, not both', async () => {
    expect(await cli(['fleet', 'stop'], 'abcdef', '--host', 'web-1')).toMatchObject({ code: 2 });
    const stopped = await cli(['fleet', 'stop'], '--host', 'web-1');
    expect(stopped.stdout.match(/^stopped /gm)).toHaveLength(2);
    const rows = JSON.parse((await cli(['fleet', 'ls'], '--format', 'json')).stdout) as { host: string }[];
    expect(rows.map((r) => r.host)).toEqual(['local']);
    expect(await cli(['fleet', 'start'], HELLO_BASE, '--host', 'Bad Host')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('not a valid name'),
    });
  }, 60_000);

  it('run fails closed on a corrupt admission list, and starts with the root-owned fail-open override', async () => {
    const list = `${storage.dir}/admission/unsupported.json`;
    const good = readFileSync(list);
    writeFileSync(list, '[]', { mode: 0o600 });
    try {
      const refused = await cli(['run'], HELLO_BASE, '--', 'sleep', '3600');
      expect(refused).toMatchObject({ code: 1, stdout: '' });
      expect(refused.stderr).toMatch(
        /refused localhost\/base\/busybox:1\.36\.0: cannot read .*corrupt: .*\(failing closed\)/,
      );
      writeFileSync(`${storage.dir}/admission/fail-open`, 'incident 42\n', { mode: 0o600 });
      const allowed = await cli(['run'], HELLO_BASE, '--', 'sleep', '3600');
      expect(allowed.code, allowed.stderr).toBe(0);
      expect(allowed.stderr).toMatch(/allowed by .*admission\/fail-open/);
    } finally {
      rmSync(`${storage.dir}/admission/fail-open`, { force: true });
      writeFileSync(list, good);
    }
  }, 60_000);
});
