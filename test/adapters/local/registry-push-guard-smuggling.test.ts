// Request smuggling against the push guard, with real bytes on a socket: a real guard in front of a real
// docker-registry on its private socket, as openLocalPipeline runs them. Every attack tries to create
// `evil/img:pwned` without the pipeline credential, by mounting the layers of an image the pipeline pushed
// and putting a manifest; after each, the registry's own catalog (read on its private socket, not through
// the guard) must still hold only that image.
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type RunningDockerRegistry,
  startDockerRegistry,
} from '../../../adapters/local/docker-registry-process.js';
import {
  ensurePipelineCredential,
  type PipelineCredential,
  type PushRefusal,
  type RunningPushGuard,
  startRegistryPushGuard,
} from '../../../adapters/local/registry-push-guard.js';
import { SCHEMA2, schema2Manifest, sha256 } from '../../helpers/image-manifest.js';

// The seed image the pipeline pushes, whose blobs the attacker mounts into a repository of its own.
const LAYER = Buffer.from('not really a tarball, the registry does not look inside');
const CONFIG = Buffer.from(
  JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers' } }),
);
const MANIFEST = schema2Manifest(CONFIG, LAYER);

/** One HTTP/1.1 request as raw bytes; `headers` lines are written as given (no normalisation). */
const raw = (requestLine: string, headers: readonly string[], body: string | Buffer = ''): Buffer =>
  Buffer.concat([
    Buffer.from(`${requestLine}\r\n${headers.map((h) => `${h}\r\n`).join('')}\r\n`),
    Buffer.from(body),
  ]);

/** The requests that create `evil/img:pwned`: two cross-repository mounts and the manifest. */
const SMUGGLED = Buffer.concat([
  raw(`POST /v2/evil/img/blobs/uploads/?mount=${sha256(LAYER)}&from=seed/app HTTP/1.1`, [
    'Host: registry',
    'Content-Length: 0',
  ]),
  raw(`POST /v2/evil/img/blobs/uploads/?mount=${sha256(CONFIG)}&from=seed/app HTTP/1.1`, [
    'Host: registry',
    'Content-Length: 0',
  ]),
  raw(
    'PUT /v2/evil/img/manifests/pwned HTTP/1.1',
    // The last request closes the connection, so an exchange straight with the registry ends on its own.
    ['Host: registry', `Content-Type: ${SCHEMA2}`, `Content-Length: ${MANIFEST.length}`, 'Connection: close'],
    MANIFEST,
  ),
]);

/** `bytes` as one chunk of a chunked body, and the last chunk. */
const chunked = (bytes: Buffer): Buffer =>
  Buffer.concat([Buffer.from(`${bytes.length.toString(16)}\r\n`), bytes, Buffer.from('\r\n0\r\n\r\n')]);

/**
 * Writes `bytes` on a fresh connection and collects what comes back until the peer closes it. Every exchange
 * here ends in a close (a refusal, or a last request with `Connection: close`); the idle bound only keeps a
 * broken guard from hanging the test, and nothing is asserted on it.
 */
function exchange(port: number, bytes: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, '127.0.0.1');
    let answer = '';
    let idle: NodeJS.Timeout | undefined;
    const done = () => {
      clearTimeout(idle);
      socket.destroy();
      resolve(answer);
    };
    const arm = () => {
      clearTimeout(idle);
      idle = setTimeout(done, 10_000);
    };
    socket.on('connect', () => {
      socket.write(bytes);
      arm();
    });
    socket.on('data', (d) => {
      answer += d.toString('latin1');
      arm();
    });
    socket.on('end', done);
    socket.on('close', done);
    socket.on('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNRESET' ? done() : reject(e)));
  });
}

/** The status codes of every response in a raw answer, in order (a response may follow a body on its line). */
const statuses = (answer: string): number[] =>
  [...answer.matchAll(/HTTP\/1\.[01] (\d{3}) /g)].map((m) => Number(m[1]));

describe('the push guard against request smuggling', () => {
  let stateDir: string;
  let registry: RunningDockerRegistry;
  let guard: RunningPushGuard;
  let credential: PipelineCredential;
  const refusals: PushRefusal[] = [];

  /** A GET on the registry's private socket, behind the guard's back. */
  const upstream = (path: string): Promise<{ status: number; body: string }> =>
    new Promise((resolve, reject) => {
      if (registry.address.kind !== 'unix') throw new Error('expected a unix socket');
      const req = request({ socketPath: registry.address.socketPath, path, agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          body += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });
  const catalog = async (): Promise<string[]> =>
    (JSON.parse((await upstream('/v2/_catalog')).body) as { repositories: string[] }).repositories;
  const evilTags = async (): Promise<number> => (await upstream('/v2/evil/img/tags/list')).status;

  /** Nothing but the seed reached the registry: no repository, no tag, not even a mounted layer link. */
  const expectNoWrite = async (): Promise<void> => {
    expect(await catalog()).toEqual(['seed/app']);
    expect(await evilTags()).toBe(404);
  };

  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'drydock-smuggle-'));
    registry = await startDockerRegistry({ stateDir, listen: 'unix' });
    credential = await ensurePipelineCredential(stateDir);
    guard = await startRegistryPushGuard({
      upstream: registry.address,
      credential,
      onRefused: (r) => refusals.push(r),
    });
    const auth = {
      authorization: `Basic ${Buffer.from(`${credential.username}:${credential.secret}`).toString('base64')}`,
    };
    for (const blob of [LAYER, CONFIG]) {
      const start = await fetch(`${guard.url}/v2/seed/app/blobs/uploads/`, { method: 'POST', headers: auth });
      expect(start.status).toBe(202);
      const location = new URL(start.headers.get('location') ?? '');
      location.searchParams.set('digest', sha256(blob));
      const put = await fetch(location, { method: 'PUT', headers: auth, body: blob });
      expect(put.status).toBe(201);
    }
    const manifest = await fetch(`${guard.url}/v2/seed/app/manifests/1`, {
      method: 'PUT',
      headers: { ...auth, 'content-type': SCHEMA2 },
      body: MANIFEST,
    });
    expect(manifest.status).toBe(201);
    await expectNoWrite();
  });
  afterAll(async () => {
    await guard?.close();
    await registry?.stop();
    if (stateDir) await rm(stateDir, { recursive: true, force: true });
  });

  it('the smuggled requests do create the image when sent straight to the registry (the attack is real)', async () => {
    // Sanity check of the payload itself, on a second registry: without a guard in front, it works.
    const other = await mkdtemp(join(tmpdir(), 'drydock-smuggle-bare-'));
    const bare = await startDockerRegistry({ stateDir: other });
    try {
      if (bare.address.kind !== 'tcp') throw new Error('expected tcp');
      const seed = (path: string, method: string, body?: Buffer, type?: string) =>
        fetch(`${bare.url}${path}`, {
          method,
          body: body ?? null,
          headers: type ? { 'content-type': type } : {},
        });
      for (const blob of [LAYER, CONFIG]) {
        const start = await seed('/v2/seed/app/blobs/uploads/', 'POST');
        const location = new URL(start.headers.get('location') ?? '', bare.url);
        location.searchParams.set('digest', sha256(blob));
        expect((await fetch(location, { method: 'PUT', body: blob })).status).toBe(201);
      }
      const answer = await exchange(bare.address.port, SMUGGLED);
      expect(statuses(answer)).toEqual([201, 201, 201]);
      expect(await (await fetch(`${bare.url}/v2/evil/img/tags/list`)).json()).toMatchObject({
        tags: ['pwned'],
      });
    } finally {
      await bare.stop();
      await rm(other, { recursive: true, force: true });
    }
  });

  // Each case: what is sent, and the one answer the guard gives before closing.
  const ATTACKS: readonly (readonly [string, Buffer])[] = [
    [
      'GET /v2/ with a chunked body carrying the writes (the reported attack)',
      Buffer.concat([raw('GET /v2/ HTTP/1.1', ['Host: x', 'Transfer-Encoding: chunked']), chunked(SMUGGLED)]),
    ],
    [
      'GET /v2/ with a Content-Length body carrying the writes',
      Buffer.concat([raw('GET /v2/ HTTP/1.1', ['Host: x', `Content-Length: ${SMUGGLED.length}`]), SMUGGLED]),
    ],
    [
      'HEAD /v2/ with a chunked body',
      Buffer.concat([
        raw('HEAD /v2/ HTTP/1.1', ['Host: x', 'Transfer-Encoding: chunked']),
        chunked(SMUGGLED),
      ]),
    ],
    [
      'GET of a tag list with a chunked body',
      Buffer.concat([
        raw('GET /v2/seed/app/tags/list HTTP/1.1', ['Host: x', 'Transfer-Encoding: chunked']),
        chunked(SMUGGLED),
      ]),
    ],
    [
      'CL.TE: Content-Length then Transfer-Encoding',
      Buffer.concat([
        raw('GET /v2/ HTTP/1.1', ['Host: x', 'Content-Length: 4', 'Transfer-Encoding: chunked']),
        chunked(SMUGGLED),
      ]),
    ],
    [
      'TE.CL: Transfer-Encoding then Content-Length',
      Buffer.concat([
        raw('GET /v2/ HTTP/1.1', [
          'Host: x',
          'Transfer-Encoding: chunked',
          `Content-Length: ${SMUGGLED.length}`,
        ]),
        chunked(SMUGGLED),
      ]),
    ],
    [
      'TE.TE: Transfer-Encoding: xchunked',
      Buffer.concat([raw('GET /v2/ HTTP/1.1', ['Host: x', 'Transfer-Encoding: xchunked']), SMUGGLED]),
    ],
    [
      'TE.TE: Transfer-Encoding with a leading space in the value',
      Buffer.concat([
        raw('GET /v2/ HTTP/1.1', ['Host: x', 'Transfer-Encoding:  chunked']),
        chunked(SMUGGLED),
      ]),
    ],
    [
      'TE.TE: a space before the colon',
      Buffer.concat([
        raw('GET /v2/ HTTP/1.1', ['Host: x', 'Transfer-Encoding : chunked']),
        chunked(SMUGGLED),
      ]),
    ],
    [
      'TE.TE: the header twice, chunked then identity',
      Buffer.concat([
        raw('GET /v2/ HTTP/1.1', ['Host: x', 'Transfer-Encoding: chunked', 'Transfer-Encoding: identity']),
        chunked(SMUGGLED),
      ]),
    ],
    [
      'TE.TE: the header twice, both chunked',
      Buffer.concat([
        raw('GET /v2/ HTTP/1.1', ['Host: x', 'Transfer-Encoding: chunked', 'Transfer-Encoding: chunked']),
        chunked(SMUGGLED),
      ]),
    ],
    [
      'TE.TE: Transfer-Encoding: Chunked in another case',
      Buffer.concat([raw('GET /v2/ HTTP/1.1', ['Host: x', 'Transfer-Encoding: Chunked']), chunked(SMUGGLED)]),
    ],
    [
      'TE.TE: a folded Transfer-Encoding line',
      Buffer.concat([
        raw('GET /v2/ HTTP/1.1', ['Host: x', 'Transfer-Encoding:', ' chunked']),
        chunked(SMUGGLED),
      ]),
    ],
    [
      'two equal Content-Length headers on a GET',
      Buffer.concat([
        raw('GET /v2/ HTTP/1.1', [
          'Host: x',
          `Content-Length: ${SMUGGLED.length}`,
          `Content-Length: ${SMUGGLED.length}`,
        ]),
        SMUGGLED,
      ]),
    ],
    [
      'conflicting Content-Length headers',
      Buffer.concat([
        raw('GET /v2/ HTTP/1.1', ['Host: x', 'Content-Length: 0', `Content-Length: ${SMUGGLED.length}`]),
        SMUGGLED,
      ]),
    ],
    [
      'a Content-Length list',
      Buffer.concat([
        raw('GET /v2/ HTTP/1.1', ['Host: x', `Content-Length: 0, ${SMUGGLED.length}`]),
        SMUGGLED,
      ]),
    ],
    [
      'HTTP/1.0 keep-alive GET with a chunked body',
      Buffer.concat([
        raw('GET /v2/ HTTP/1.0', ['Host: x', 'Connection: keep-alive', 'Transfer-Encoding: chunked']),
        chunked(SMUGGLED),
      ]),
    ],
    [
      'HTTP/1.0 keep-alive GET with a Content-Length body',
      Buffer.concat([
        raw('GET /v2/ HTTP/1.0', ['Host: x', 'Connection: keep-alive', `Content-Length: ${SMUGGLED.length}`]),
        SMUGGLED,
      ]),
    ],
  ];

  it.each(ATTACKS)(
    'refuses %s with 400 and closes the connection; nothing reaches the registry',
    async (_, bytes) => {
      const answer = await exchange(guard.port, bytes);
      expect(statuses(answer)).toEqual([400]);
      await expectNoWrite();
    },
  );

  it('judges each pipelined request on its own: a read, then an unauthenticated write, is refused at the write', async () => {
    for (const version of ['HTTP/1.1', 'HTTP/1.0']) {
      const first = raw(`GET /v2/ ${version}`, [`Host: 127.0.0.1:${guard.port}`, 'Connection: keep-alive']);
      const answer = await exchange(guard.port, Buffer.concat([first, SMUGGLED]));
      expect(statuses(answer)[0]).toBe(200);
      expect(statuses(answer).slice(1)).not.toContain(201);
      expect(statuses(answer)).toContain(401);
      await expectNoWrite();
    }
  });

  it('refuses a write with a wrong credential whose body carries the writes, and reads nothing after it', async () => {
    const wrong = `Basic ${Buffer.from(`${credential.username}:guessed`).toString('base64')}`;
    const first = raw('PATCH /v2/evil/img/blobs/uploads/x HTTP/1.1', [
      'Host: x',
      `Authorization: ${wrong}`,
      `Content-Length: ${SMUGGLED.length}`,
    ]);
    const answer = await exchange(guard.port, Buffer.concat([first, SMUGGLED]));
    expect(statuses(answer)).toEqual([401]);
    await expectNoWrite();
  });

  it('refuses bad framing before the credential is looked at: a pipeline write with Transfer-Encoding: xchunked', async () => {
    const auth = `Basic ${Buffer.from(`${credential.username}:${credential.secret}`).toString('base64')}`;
    for (const te of ['xchunked', 'chunked, identity', 'gzip, chunked']) {
      const answer = await exchange(
        guard.port,
        Buffer.concat([
          raw('POST /v2/evil/img/blobs/uploads/ HTTP/1.1', [
            'Host: x',
            `Authorization: ${auth}`,
            `Transfer-Encoding: ${te}`,
          ]),
          chunked(Buffer.from('x')),
        ]),
      );
      expect(statuses(answer), te).toEqual([400]);
    }
    await expectNoWrite();
    expect(refusals.some((r) => r.reason === 'malformed-request')).toBe(true);
  });

  it('refuses a request target that is not a path', async () => {
    for (const target of ['http://127.0.0.1/v2/', '*']) {
      const answer = await exchange(guard.port, raw(`GET ${target} HTTP/1.1`, ['Host: x']));
      expect(statuses(answer), target).toEqual([400]);
    }
  });
});

describe('the push guard upstream connections', () => {
  let stateDir: string;
  let registry: RunningDockerRegistry;
  let relay: Server;
  let guard: RunningPushGuard;
  let credential: PipelineCredential;
  // The bytes the guard wrote on each connection it opened to the registry, in order.
  const connections: Buffer[][] = [];

  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'drydock-relay-'));
    registry = await startDockerRegistry({ stateDir, listen: 'unix' });
    credential = await ensurePipelineCredential(stateDir);
    const socketPath = join(stateDir, 'relay.sock');
    // A byte relay on a socket between the guard and the registry, recording what each connection carried.
    relay = createServer((client) => {
      const seen: Buffer[] = [];
      connections.push(seen);
      if (registry.address.kind !== 'unix') throw new Error('expected a unix socket');
      const server = connect(registry.address.socketPath);
      client.on('data', (d: Buffer) => {
        seen.push(d);
        server.write(d);
      });
      server.on('data', (d) => client.write(d));
      client.on('end', () => server.end());
      server.on('end', () => client.end());
      client.on('error', () => server.destroy());
      server.on('error', () => client.destroy());
    });
    await new Promise<void>((resolve) => relay.listen(socketPath, resolve));
    guard = await startRegistryPushGuard({ upstream: { kind: 'unix', socketPath }, credential });
  });
  afterAll(async () => {
    await guard?.close();
    await new Promise((resolve) => relay?.close(resolve));
    await registry?.stop();
    if (stateDir) await rm(stateDir, { recursive: true, force: true });
  });

  const requestLines = (bytes: Buffer[]): string[] =>
    [
      ...Buffer.concat(bytes)
        .toString('latin1')
        .matchAll(/^[A-Z]+ \S+ HTTP\/1\.1\r\n/gm),
    ].map((m) => m[0].trim());

  it('gives every forwarded request a connection of its own, closed after it', async () => {
    const before = connections.length;
    // Three reads on one keep-alive client connection; the last closes it, so the exchange ends there.
    const three = Buffer.concat([
      raw('GET /v2/ HTTP/1.1', [`Host: 127.0.0.1:${guard.port}`, 'Connection: keep-alive']),
      raw('GET /v2/_catalog HTTP/1.1', [`Host: 127.0.0.1:${guard.port}`, 'Connection: keep-alive']),
      raw('GET /v2/ HTTP/1.1', [`Host: 127.0.0.1:${guard.port}`, 'Connection: close']),
    ]);
    const answer = await exchange(guard.port, three);
    expect(statuses(answer)).toEqual([200, 200, 200]);
    const opened = connections.slice(before);
    expect(opened.map(requestLines)).toEqual([
      ['GET /v2/ HTTP/1.1'],
      ['GET /v2/_catalog HTTP/1.1'],
      ['GET /v2/ HTTP/1.1'],
    ]);
    for (const bytes of opened)
      expect(Buffer.concat(bytes).toString('latin1')).toMatch(/\r\nconnection: close\r\n/i);
  });

  it('frames every forwarded body: Content-Length as parsed, chunked re-chunked, none as Content-Length: 0', async () => {
    const auth = `Basic ${Buffer.from(`${credential.username}:${credential.secret}`).toString('base64')}`;
    const before = connections.length;
    const start = await exchange(
      guard.port,
      raw('POST /v2/framed/app/blobs/uploads/ HTTP/1.1', [
        'Host: x',
        `Authorization: ${auth}`,
        'Connection: close',
      ]),
    );
    expect(statuses(start)).toEqual([202]);
    const location = /\r\nLocation: http:\/\/[^/]+(\S+)\r\n/i.exec(start)?.[1] ?? '';
    const patch = await exchange(
      guard.port,
      Buffer.concat([
        raw(`PATCH ${location} HTTP/1.1`, [
          'Host: x',
          `Authorization: ${auth}`,
          'Transfer-Encoding: chunked',
          'Connection: close',
        ]),
        chunked(Buffer.from('layer bytes')),
      ]),
    );
    expect(statuses(patch)).toEqual([202]);
    const [post, patched] = connections.slice(before).map((b) => Buffer.concat(b).toString('latin1'));
    expect(post).toMatch(/\r\ncontent-length: 0\r\n/i);
    expect(post).not.toMatch(/transfer-encoding/i);
    expect(patched).toMatch(/\r\ntransfer-encoding: chunked\r\n/i);
    expect(patched).not.toMatch(/content-length/i);
    expect(patched).not.toMatch(/authorization/i);
    expect(patched?.endsWith('0\r\n\r\n')).toBe(true);
  });
});
