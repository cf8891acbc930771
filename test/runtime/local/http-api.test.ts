import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type IncomingHttpHeaders, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteOutbox } from '../../../adapters/local/sqlite-outbox.js';
import { SqlitePipelineViews } from '../../../adapters/local/sqlite-pipeline-views.js';
import { SqlitePolicyVersions } from '../../../adapters/local/sqlite-policy-versions.js';
import { parseEvent } from '../../../core/events/index.js';
import { parsePolicy } from '../../../core/policy/parse-policy.js';
import type { StatusResponse } from '../../../runtime/local/api-types.js';
import { baseCatalogue } from '../../../runtime/local/base-catalogue.js';
import { type RunningHttpApi, startHttpApi } from '../../../runtime/local/http-api.js';
import { type LocalPipeline, openLocalPipeline } from '../../../runtime/local/open-local-pipeline.js';
import { defaultLocalPolicy } from '../../../runtime/local/policy-store.js';
import type { RuntimeInfo } from '../../../runtime/local/runtime-info.js';
import { commit } from '../../contracts/sample-events.js';
import { eventFixture } from '../../core/events/fixtures.js';

const run = promisify(execFile);

let dir: string;
let pipeline: LocalPipeline;
let api: RunningHttpApi;
let wakes = 0;
let policyText = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'drydock-api-'));
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
  api = await startHttpApi({
    info: () => ({ ...info, api: api.url }),
    pipeline,
    views: new SqlitePipelineViews(pipeline.db),
    outbox: new SqliteOutbox(pipeline.db),
    policyVersions,
    bases: baseCatalogue(pipeline),
    wake: () => {
      wakes++;
    },
  });
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

interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
  readonly json: () => Record<string, unknown>;
}

/** One request to the API over real HTTP; the Host header is the loopback address unless given. */
function call(
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: api.port,
        method,
        path,
        headers: { host: `127.0.0.1:${api.port}`, ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            json: () => JSON.parse(text) as Record<string, unknown>,
          });
        });
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const postJson = (path: string, body: string | Buffer) =>
  call('POST', path, { headers: { 'content-type': 'application/json' }, body });

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

  it('wakes the workers on POST /api/wake with 204', async () => {
    const before = wakes;
    const answer = await call('POST', '/api/wake');
    expect(answer.status).toBe(204);
    expect(answer.text).toBe('');
    expect(wakes).toBe(before + 1);
    expect((await call('GET', '/api/wake')).status).toBe(404);
    expect(wakes).toBe(before + 1);
  });

  it('refuses a POST body that is not application/json with 415', async () => {
    const answer = await call('POST', '/api/bases/seed', {
      headers: { 'content-type': 'text/plain' },
      body: '{}',
    });
    expect(answer.status).toBe(415);
    expect(answer.json()).toEqual({ error: 'POST bodies must be application/json' });
    expect((await call('POST', '/api/bases/import', { body: '{}' })).status).toBe(415);
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

  it('answers 400 before streaming for an import of a relative path', async () => {
    const answer = await postJson('/api/bases/import', '{"source": "rootfs.tar", "name": "x", "tag": "1"}');
    expect(answer.status).toBe(400);
    expect(answer.json().error).toMatch(/absolute path/);
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
