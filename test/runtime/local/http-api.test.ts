import { execFile } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteOutbox } from '../../../adapters/local/sqlite-outbox.js';
import { SqlitePipelineViews } from '../../../adapters/local/sqlite-pipeline-views.js';
import { SqlitePolicyVersions } from '../../../adapters/local/sqlite-policy-versions.js';
import { parseEvent } from '../../../core/events/index.js';
import { parsePolicy } from '../../../core/policy/parse-policy.js';
import { type ApiTokens, ensureApiTokens } from '../../../runtime/local/api-tokens.js';
import type { StatusResponse } from '../../../runtime/local/api-types.js';
import { localBaseCatalogue, pushTo } from '../../../runtime/local/bases.js';
import {
  API_MAX_CONNECTIONS,
  type RunningHttpApi,
  requiredRole,
  startHttpApi,
} from '../../../runtime/local/http-api.js';
import { type LocalPipeline, openLocalPipeline } from '../../../runtime/local/open-local-pipeline.js';
import { defaultLocalPolicy } from '../../../runtime/local/policy-store.js';
import type { RuntimeInfo } from '../../../runtime/local/runtime-info.js';
import { commit } from '../../contracts/sample-events.js';
import { eventFixture } from '../../core/events/fixtures.js';
import { type Answer, apiRequest, type RequestOptions } from '../../helpers/api-request.js';
import { floodAsNobody, openDescriptors } from '../../helpers/connection-flood.js';
import { packDirectory, tarArchive } from '../../helpers/tar-archive.js';

const run = promisify(execFile);

let dir: string;
let pipeline: LocalPipeline;
let api: RunningHttpApi;
let wakes = 0;
let policyText = '';
let tokens: ApiTokens;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'drydock-api-'));
  // As `drydock start` leaves a state dir (mkdir with the usual umask): other users may look inside it, so
  // only the api/ directory's and the tokens' own modes keep the tokens from them.
  chmodSync(dir, 0o755);
  tokens = (await ensureApiTokens(dir)).tokens;
  pipeline = await openLocalPipeline({ stateDir: dir, policy: async () => parsePolicy(policyText) });
  policyText = defaultLocalPolicy(pipeline.registryHost);
  const policyVersions = new SqlitePolicyVersions(pipeline.db);
  policyVersions.record(policyText, join(dir, 'policy.yaml'));
  const info: RuntimeInfo = {
    version: '0.0.0-test',
    pid: process.pid,
    startedAt: '2026-11-27T12:00:00.000Z',
    stateDir: dir,
    api: 'set below',
    registry: pipeline.registryHost,
    repos: pipeline.reposRoot,
    policy: join(dir, 'policy.yaml'),
  };
  api = await startHttpApi(
    {
      info: () => ({ ...info, api: api.url }),
      pipeline,
      views: new SqlitePipelineViews(pipeline.db),
      outbox: new SqliteOutbox(pipeline.db),
      policyVersions,
      bases: localBaseCatalogue({
        builder: pipeline.builder,
        registry: pipeline.registry,
        push: pushTo(pipeline.registry),
        registryHost: pipeline.registryHost,
        workDir: join(dir, 'containers', 'tmp'),
        maxUploadBytes: 4 * 1024 * 1024,
      }),
      wake: () => {
        wakes++;
      },
      tokens,
    },
    { wakeIntervalMs: 60_000 },
  );
}, 60_000);

afterAll(async () => {
  await api?.close();
  if (pipeline) {
    await pipeline.close();
    const env = { ...process.env, ...pipeline.containerEnv.env };
    await run('buildah', ['rm', '--all'], { env }).catch(() => undefined);
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/**
 * One request to the API over real HTTP; the ops token goes with it unless `token` says another (null: none).
 */
function call(method: string, path: string, options: RequestOptions = {}): Promise<Answer> {
  return apiRequest(api.port, method, path, {
    ...options,
    token: options.token === undefined ? tokens.ops : options.token,
  });
}

const postJson = (path: string, body: string | Buffer) =>
  call('POST', path, { headers: { 'content-type': 'application/json' }, body });
const postTar = (path: string, body: Buffer) =>
  call('POST', path, { headers: { 'content-type': 'application/x-tar' }, body });

describe('startHttpApi', () => {
  it('listens on the loopback address', () => {
    expect(api.url).toBe(`http://127.0.0.1:${api.port}`);
  });

  it.each(['evil.example', 'evil.example:PORT', '192.168.1.10:PORT', '127.0.0.1', '[::1]:PORT'])(
    'refuses a request whose Host is %s with 421',
    async (host) => {
      const answer = await call('GET', '/api/status', {
        headers: { host: host.replace('PORT', String(api.port)) },
      });
      expect(answer.status).toBe(421);
      expect(answer.json().error).toBe(`this API answers only on 127.0.0.1:${api.port}`);
    },
  );

  it('answers on localhost as well', async () => {
    expect((await call('GET', '/api/bases', { headers: { host: `localhost:${api.port}` } })).status).toBe(
      200,
    );
  });

  it('shows the status: registry, API, queues, repositories, pushes and builds', async () => {
    const answer = await call('GET', '/api/status');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(answer.headers['cache-control']).toBe('no-store');
    const status = answer.json() as unknown as StatusResponse;
    expect(status).toMatchObject({
      version: '0.0.0-test',
      pid: process.pid,
      stateDir: dir,
      api: api.url,
      registry: { host: pipeline.registryHost, url: `http://${pipeline.registryHost}` },
      policy: join(dir, 'policy.yaml'),
      policyVersion: { version: 1, source: join(dir, 'policy.yaml') },
      repos: [],
    });
    expect(Object.keys(status.queues).sort()).toEqual(Object.keys(pipeline.queues).sort());
    for (const queue of Object.values(status.queues))
      expect(queue).toEqual({ visible: expect.any(Number), inFlight: expect.any(Number), deadLetters: 0 });
    expect(status.pushes).toBeInstanceOf(Array);
    expect(status.builds).toBeInstanceOf(Array);
  });

  it('shows a push with its verdict', async () => {
    const pushed = parseEvent(eventFixture('definition-pushed.json'));
    const verdict = parseEvent(eventFixture('definition-verdict-failed.json'));
    if (!pushed.ok || !verdict.ok) throw new Error('fixtures do not parse');
    await pipeline.bus.publish([pushed.event, verdict.event]);
    const { pushes } = (await call('GET', '/api/pushes?limit=1')).json() as {
      pushes: { eventId: string; verdicts: { definition: string; passed: boolean; bases: unknown[] }[] }[];
    };
    expect(pushes).toHaveLength(1);
    expect(pushes[0]?.eventId).toBe(pushed.event.id);
    expect(pushes[0]?.verdicts).toMatchObject([
      {
        definition: 'services/worker/Dockerfile',
        passed: false,
        bases: [
          {
            ref: 'docker.io/library/python:3.8',
            outcome: 'denied',
            detail: 'docker.io/library/python:3.8 is banned: end of life',
          },
        ],
      },
    ]);
  });

  it('shows a build and its log', async () => {
    const { record } = await pipeline.records.enqueue({
      buildId: 'build-api-1',
      repository: 'shop',
      definition: 'Dockerfile',
      commit: commit('api'),
      correlationId: 'c-1',
    });
    const logPath = join(dir, 'build-api-1.log');
    writeFileSync(logPath, 'STEP 1/2: FROM busybox\n');
    await pipeline.records.transition(record.buildId, 'building', { logPath });
    const build = await call('GET', '/api/builds/build-api-1');
    expect(build.status).toBe(200);
    expect(build.json()).toMatchObject({ buildId: 'build-api-1', state: 'building', repository: 'shop' });
    const log = await call('GET', '/api/builds/build-api-1/log');
    expect(log.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(log.text).toBe('STEP 1/2: FROM busybox\n');
    const building = (await call('GET', '/api/builds?state=building')).json().builds as { buildId: string }[];
    expect(building.map((b) => b.buildId)).toEqual(['build-api-1']);
    expect((await call('GET', '/api/builds?state=failed')).json()).toEqual({ builds: [] });
  });

  it('streams a large log whole, and answers an empty log when its file is gone', async () => {
    const { record } = await pipeline.records.enqueue({
      buildId: 'build-api-big',
      repository: 'shop',
      definition: 'Dockerfile',
      commit: commit('big'),
      correlationId: 'c-big',
    });
    const logPath = join(dir, 'build-api-big.log');
    const text = Array.from({ length: 60_000 }, (_, i) => `line ${i} ${'x'.repeat(80)}`).join('\n');
    writeFileSync(logPath, text);
    await pipeline.records.transition(record.buildId, 'building', { logPath });
    const log = await call('GET', '/api/builds/build-api-big/log');
    expect(log.status).toBe(200);
    expect(log.text.length).toBe(text.length);
    expect(log.text).toBe(text);
    rmSync(logPath);
    const gone = await call('GET', '/api/builds/build-api-big/log');
    expect(gone.status).toBe(200);
    expect(gone.text).toBe('');
  });

  it('answers 404 with a message for an unknown build', async () => {
    const answer = await call('GET', '/api/builds/nope');
    expect(answer.status).toBe(404);
    expect(answer.json()).toEqual({ error: 'no build "nope"; drydock builds lists them' });
    expect((await call('GET', '/api/builds/nope/log')).status).toBe(404);
  });

  it('answers 400, not 500, for a build id that is not valid percent-encoding', async () => {
    const answer = await call('GET', '/api/builds/%E0%A4%A');
    expect(answer.status).toBe(400);
    expect(answer.json().error).toMatch(/build id/);
  });

  it.each(['0', '-1', '1001', '2.5', 'ten', ''])('answers 400 for limit=%j', async (limit) => {
    const answer = await call('GET', `/api/builds?limit=${limit}`);
    expect(answer.status).toBe(400);
    expect(answer.json().error).toBe(`limit must be an integer from 1 to 1000, not ${JSON.stringify(limit)}`);
  });

  it('accepts a limit from 1 to 1000', async () => {
    expect((await call('GET', '/api/images?limit=1')).status).toBe(200);
    expect((await call('GET', '/api/notifications?limit=1000')).status).toBe(200);
  });

  it('answers 400 naming the states for an unknown state filter', async () => {
    const answer = await call('GET', '/api/builds?state=done');
    expect(answer.status).toBe(400);
    expect(answer.json().error).toBe(
      'state must be one of queued, building, testing, pushing, published, failed, not "done"',
    );
  });

  it('answers 503 for the ban endpoints of a pipeline without the ban response, and images as supported', async () => {
    const answer = await call('GET', '/api/bans');
    expect(answer.status).toBe(503);
    expect(answer.json().error).toMatch(/no ban response wired/);
    expect((await postJson('/api/bans', '{"ref":"busybox:1","reason":"x"}')).status).toBe(503);
    expect((await call('GET', '/api/images')).status).toBe(200);
  });

  it('answers 404 for an unknown route and 405 for an unknown method under /api', async () => {
    expect(await call('GET', '/api/nothing').then((a) => [a.status, a.json().error])).toEqual([
      404,
      'no GET /api/nothing',
    ]);
    expect((await call('DELETE', '/api/builds')).status).toBe(405);
    expect(await call('GET', '/index.html').then((a) => [a.status, a.json().error])).toEqual([
      404,
      'no /index.html; the API is under /api/',
    ]);
  });

  it('wakes the workers on POST /api/wake with 204, without a token, merging wake-ups within the interval', async () => {
    const before = wakes;
    const answer = await call('POST', '/api/wake', { token: null });
    expect(answer.status).toBe(204);
    expect(answer.text).toBe('');
    expect(wakes).toBe(before + 1);
    // However many come, the workers are woken once per interval (60 s here): pushers cannot keep them busy.
    const flood = await Promise.all(
      Array.from({ length: 20 }, () => call('POST', '/api/wake', { token: null })),
    );
    expect(flood.map((a) => a.status)).toEqual(Array(20).fill(204));
    expect(wakes).toBe(before + 1);
    expect((await call('GET', '/api/wake')).status).toBe(404);
    expect(wakes).toBe(before + 1);
  });

  it('refuses a wake-up that carries a body or a query with 400', async () => {
    const before = wakes;
    expect((await call('POST', '/api/wake', { token: null, body: 'x' })).status).toBe(400);
    expect((await call('POST', '/api/wake?x=1', { token: null })).status).toBe(400);
    expect(wakes).toBe(before);
  });

  it('refuses a POST body that is not application/json with 415', async () => {
    const answer = await call('POST', '/api/bases/seed', {
      headers: { 'content-type': 'text/plain' },
      body: '{}',
    });
    expect(answer.status).toBe(415);
    expect(answer.json()).toEqual({ error: 'POST bodies must be application/json' });
    const json = await postJson('/api/bases/import?name=x&tag=1', '{}');
    expect(json.status).toBe(415);
    expect(json.json().error).toBe(
      'the body of POST /api/bases/import is the rootfs tarball: application/x-tar',
    );
  });

  it('refuses a body over 64 KiB with 413, and reads one of exactly 64 KiB', async () => {
    // A JSON object of exactly `size` bytes, which the seed request refuses for its unknown field.
    const body = (size: number) => {
      const shell = JSON.stringify({ padding: '' });
      return JSON.stringify({ padding: 'x'.repeat(size - shell.length) });
    };
    expect(Buffer.byteLength(body(64 * 1024))).toBe(65536);
    const over = await postJson('/api/bases/seed', body(64 * 1024 + 1));
    expect(over.status).toBe(413);
    expect(over.json()).toEqual({ error: 'request body over 65536 bytes' });
    expect((await postJson('/api/bases/seed', body(64 * 1024))).status).toBe(400);
    expect((await postJson('/api/bases/seed', body(4 * 1024 * 1024))).status).toBe(413);
  });

  it.each([
    ['not JSON', '{"versions": ['],
    ['an array', '["1.36.0"]'],
    ['an unknown field', '{"version": "1.36.0"}'],
    ['an empty version list', '{"versions": []}'],
    ['an invalid tag', '{"versions": ["-bad"]}'],
  ])('answers 400 before streaming for a seed body that is %s', async (_what, body) => {
    const answer = await postJson('/api/bases/seed', body);
    expect(answer.status).toBe(400);
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(typeof answer.json().error).toBe('string');
  });

  it('takes no path to import: a JSON body naming one is 415, a source query 400', async () => {
    const json = await postJson('/api/bases/import?name=x&tag=1', '{"source": "/etc/shadow"}');
    expect(json.status).toBe(415);
    const query = await postTar('/api/bases/import?name=x&tag=1&source=%2Fetc%2Fshadow', tarArchive([]));
    expect(query.status).toBe(400);
    expect(query.json().error).toBe(
      'unknown query parameter "source": the rootfs is the request body, never a path the pipeline opens',
    );
    expect(await pipeline.registry.repositories()).not.toContain('base/x');
  });

  it('imports a rootfs sent as the body, streaming progress as NDJSON', async () => {
    const rootfs = join(dir, 'rootfs');
    mkdirSync(join(rootfs, 'bin'), { recursive: true });
    copyFileSync('/bin/busybox', join(rootfs, 'bin', 'busybox'));
    symlinkSync('busybox', join(rootfs, 'bin', 'sh'));
    const chunks: Buffer[] = [];
    for await (const chunk of packDirectory(rootfs)) chunks.push(chunk as Buffer);
    const answer = await postTar('/api/bases/import?name=tiny&tag=1', Buffer.concat(chunks));
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    const lines = answer.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toEqual({
      type: 'progress',
      message: expect.stringMatching(/^importing the uploaded rootfs \(\d+\.\d MiB, 4 entries\) as /),
    });
    const digest = (await pipeline.registry.inspect('base/tiny:1'))?.digest;
    expect(lines.at(-1)).toEqual({
      type: 'result',
      bases: [{ ref: `${pipeline.registryHost}/base/tiny:1`, digest, repository: 'base/tiny', tag: '1' }],
    });
    // The same tag again is refused before the body is read.
    const again = await postTar('/api/bases/import?name=tiny&tag=1', Buffer.concat(chunks));
    expect(again.status).toBe(409);
  }, 120_000);

  it.each([
    ['"../" entries', tarArchive([{ name: '../../etc/cron.d/evil', content: '* * * * * root id\n' }])],
    ['a device node', tarArchive([{ name: 'dev/mem', type: '3' }])],
    ['what is not a tarball', Buffer.from('not a tarball')],
  ])('refuses an import of %s with 400 and imports nothing', async (_what, body) => {
    const answer = await postTar('/api/bases/import?name=evil&tag=1', body);
    expect(answer.status).toBe(400);
    expect(answer.json().error).toMatch(/^the uploaded rootfs is refused: /);
    expect(await pipeline.registry.repositories()).not.toContain('base/evil');
  });

  it('refuses an upload over the size limit with 413', async () => {
    const answer = await postTar('/api/bases/import?name=evil&tag=1', Buffer.alloc(4 * 1024 * 1024 + 1));
    expect(answer.status).toBe(413);
    expect(answer.json().error).toBe('the upload is over the limit of 4194304 bytes');
  });

  it('shows the policy in force and its versions', async () => {
    const answer = await call('GET', '/api/policy');
    expect(answer.status).toBe(200);
    expect(answer.json()).toMatchObject({
      path: join(dir, 'policy.yaml'),
      versions: [{ version: 1 }],
      text: policyText,
    });
  });

  it('lists notifications and dead letters', async () => {
    expect((await call('GET', '/api/notifications')).json()).toEqual({ notifications: [] });
    expect((await call('GET', '/api/dead-letters')).json()).toEqual({ deadLetters: [] });
  });
});

/** What a command run as another local account printed and how it ended. */
function runAs(
  user: string,
  argv: readonly string[],
  input?: Buffer,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // Asynchronous: the API answering the command runs in this very process.
    const child = execFile(
      'runuser',
      ['-u', user, '--', ...argv],
      { encoding: 'buffer' },
      (error, stdout, stderr) => {
        const code = error ? ((error as { code?: number }).code ?? null) : 0;
        if (error && typeof (error as { code?: unknown }).code !== 'number') return reject(error);
        resolve({ code, stdout: stdout.toString('utf8'), stderr: stderr.toString('utf8') });
      },
    );
    child.stdin?.end(input);
  });
}

/** One HTTP request sent by curl running as `nobody`: real bytes from an unprivileged local user. */
async function curlAs(
  user: string,
  method: string,
  path: string,
  options: { headers?: readonly string[]; body?: Buffer } = {},
): Promise<{ status: number; headers: string; body: string }> {
  const { code, stdout, stderr } = await runAs(
    user,
    [
      'curl',
      '--silent',
      '--show-error',
      '--include',
      '--request',
      method,
      ...(options.headers ?? []).flatMap((h) => ['--header', h]),
      ...(options.body ? ['--data-binary', '@-'] : []),
      `http://127.0.0.1:${api.port}${path}`,
    ],
    options.body,
  );
  if (code !== 0) throw new Error(`curl as ${user} failed (${code}): ${stderr}`);
  let text = stdout;
  // An interim `100 Continue` comes first when curl asked for it.
  while (/^HTTP\/1\.1 100 /.test(text)) text = text.slice(text.indexOf('\r\n\r\n') + 4);
  const end = text.indexOf('\r\n\r\n');
  const headers = text.slice(0, end);
  return { status: Number(headers.split(' ')[1]), headers: headers.toLowerCase(), body: text.slice(end + 4) };
}

const asNobody = (method: string, path: string, options?: { headers?: readonly string[]; body?: Buffer }) =>
  curlAs('nobody', method, path, options);

describe('who may call the API', () => {
  const evilTar = () => tarArchive([{ name: 'bin/sh', content: '#!/bin/sh\n', mode: 0o755 }]);
  // Every kind of request another local user could make: reads of builds, logs and policy, and every change.
  const requests: [string, string, { headers?: string[]; body?: Buffer }][] = [
    ['GET', '/api/status', {}],
    ['GET', '/api/pushes', {}],
    ['GET', '/api/builds/build-api-1/log', {}],
    ['GET', '/api/policy', {}],
    ['GET', '/api/notifications', {}],
    ['POST', '/api/bases/seed', { headers: ['content-type: application/json'], body: Buffer.from('{}') }],
    [
      'POST',
      '/api/bases/import?name=stolen&tag=1',
      { headers: ['content-type: application/x-tar'], body: evilTar() },
    ],
  ];

  it('keeps the tokens from other users: a 0700 directory, 0600 files that nobody cannot read', async () => {
    expect(statSync(join(dir, 'api')).mode & 0o777).toBe(0o700);
    for (const role of ['ops', 'read']) {
      expect(statSync(join(dir, 'api', `${role}-token`)).mode & 0o777).toBe(0o600);
      const read = await runAs('nobody', ['cat', join(dir, 'api', `${role}-token`)]);
      expect(read.code).not.toBe(0);
      expect(read.stderr).toContain('Permission denied');
      expect(read.stdout).toBe('');
    }
  });

  it.each(requests)(
    'answers nobody’s %s %s without a token with 401 and does nothing',
    async (method, path, options) => {
      const answer = await asNobody(method, path, options);
      expect(answer.status).toBe(401);
      expect(answer.headers).toContain('www-authenticate: bearer realm="drydock"');
      expect(JSON.parse(answer.body)).toEqual({ error: expect.stringMatching(/needs a bearer token/) });
      expect(answer.body).not.toContain('STEP 1/2');
      expect(await pipeline.registry.repositories()).toEqual(
        expect.not.arrayContaining(['base/busybox', 'base/stolen']),
      );
    },
  );

  it.each(requests)('answers nobody’s %s %s with a guessed token with 401', async (method, path, options) => {
    const guessed = `drydock_${'A'.repeat(43)}`;
    const answer = await asNobody(method, path, {
      ...options,
      headers: [...(options.headers ?? []), `authorization: Bearer ${guessed}`],
    });
    expect(answer.status).toBe(401);
    expect(answer.headers).toContain('error="invalid_token"');
    expect(await pipeline.registry.repositories()).not.toContain('base/stolen');
  });

  it('lets the read token read everything and change nothing (403)', async () => {
    const read = [`authorization: Bearer ${tokens.read}`];
    for (const [method, path, options] of requests) {
      const answer = await asNobody(method, path, {
        ...options,
        headers: [...(options.headers ?? []), ...read],
      });
      if (method === 'GET') {
        expect([path, answer.status]).toEqual([path, 200]);
      } else {
        expect([path, answer.status]).toEqual([path, 403]);
        expect(JSON.parse(answer.body).error).toBe(
          `POST ${path.split('?')[0]} needs the ops token; the read token may only read`,
        );
      }
    }
    expect(await pipeline.registry.repositories()).toEqual(
      expect.not.arrayContaining(['base/busybox', 'base/stolen']),
    );
  });

  it('refuses a browser request from another origin, even with the ops token, and takes its own', async () => {
    const evil = await call('GET', '/api/status', { headers: { origin: 'http://evil.example' } });
    expect(evil.status).toBe(403);
    expect(evil.json().error).toBe(
      'requests from http://evil.example are refused: this API serves no other origin',
    );
    const wake = await call('POST', '/api/wake', { token: null, headers: { origin: 'null' } });
    expect(wake.status).toBe(403);
    const own = await call('GET', '/api/status', { headers: { origin: `http://127.0.0.1:${api.port}` } });
    expect(own.status).toBe(200);
  });

  it('makes every endpoint but the wake-up need a token, and every change the ops one', () => {
    expect(requiredRole('POST', '/api/wake')).toBe('none');
    expect(requiredRole('GET', '/api/wake')).toBe('read');
    expect(requiredRole('GET', '/api/anything')).toBe('read');
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])
      expect(requiredRole(method, '/api/bans')).toBe('ops');
  });
});

/** A local user's flood: `count` connections to the port, held open and silent until the process is killed. */
describe('a local user flooding the API with connections', () => {
  it('holds at most API_MAX_CONNECTIONS of them, so the daemon keeps its file descriptors', async () => {
    const before = openDescriptors();
    const flood = await floodAsNobody(api.port, 2000);
    try {
      // Each of the 2000 got through the kernel's backlog (511), so the server accepted at least 1489 of them;
      // without a bound every one it accepted stayed open, a descriptor each.
      expect(openDescriptors() - before).toBeLessThan(API_MAX_CONNECTIONS + 64);
    } finally {
      await flood.stop();
    }
    // Once the flood's connections are gone the API answers again (the tests after this one use it).
    for (;;) {
      const answer = await call('POST', '/api/wake', { token: null }).catch(() => undefined);
      if (answer !== undefined) {
        expect(answer.status).toBe(204);
        break;
      }
    }
  }, 60_000);
});
