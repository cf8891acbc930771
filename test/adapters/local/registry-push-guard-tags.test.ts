// Published tags are immutable: real buildah pushes and real HTTP through the guard to a real docker-registry.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BuildahImageRegistry } from '../../../adapters/local/buildah-image-registry.js';
import { type ContainerEnv, prepareContainerEnv } from '../../../adapters/local/container-env.js';
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

const run = promisify(execFile);
const MIB = 1024 * 1024;

describe('the push guard keeps published tags immutable', () => {
  let stateDir: string;
  let registry: RunningDockerRegistry;
  let guard: RunningPushGuard;
  let credential: PipelineCredential;
  let containerEnv: ContainerEnv;
  let images: BuildahImageRegistry;
  let auth: { authorization: string };
  const refusals: PushRefusal[] = [];

  /** Commits a `FROM scratch` image holding one file with `text` as `name` in the state dir's storage. */
  const buildImage = async (name: string, text: string): Promise<void> => {
    const env = { ...process.env, ...containerEnv.env };
    const dir = join(stateDir, 'ctx', name.replace(/\W/g, '_'));
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'version'), text);
    const container = (await run('buildah', ['from', 'scratch'], { env })).stdout.trim();
    await run('buildah', ['copy', container, join(dir, 'version'), '/version'], { env });
    await run('buildah', ['commit', '--rm', '--quiet', container, name], { env });
  };

  /** Uploads a blob through the guard with the pipeline credential. */
  const upload = async (repository: string, blob: Buffer): Promise<void> => {
    const start = await fetch(`${guard.url}/v2/${repository}/blobs/uploads/`, {
      method: 'POST',
      headers: auth,
    });
    expect(start.status).toBe(202);
    const location = new URL(start.headers.get('location') ?? '');
    location.searchParams.set('digest', sha256(blob));
    expect((await fetch(location, { method: 'PUT', headers: auth, body: blob })).status).toBe(201);
  };

  /** A schema 2 manifest of one layer, over a config holding `name`, with its blobs uploaded. */
  const manifestFor = async (repository: string, name: string): Promise<Buffer> => {
    const layer = Buffer.from(`layer of ${name}`);
    const config = Buffer.from(
      JSON.stringify({ architecture: 'amd64', os: 'linux', config: { Labels: { name } } }),
    );
    await upload(repository, layer);
    await upload(repository, config);
    return schema2Manifest(config, layer);
  };

  const putManifest = (path: string, body: Buffer): Promise<Response> =>
    fetch(`${guard.url}${path}`, { method: 'PUT', headers: { ...auth, 'content-type': SCHEMA2 }, body });
  const tagDigest = async (repository: string, tag: string): Promise<string | null> =>
    (
      await fetch(`${guard.url}/v2/${repository}/manifests/${tag}`, {
        method: 'HEAD',
        headers: { accept: SCHEMA2 },
      })
    ).headers.get('docker-content-digest');

  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'drydock-tags-'));
    registry = await startDockerRegistry({ stateDir, listen: 'unix' });
    credential = await ensurePipelineCredential(stateDir);
    guard = await startRegistryPushGuard({
      upstream: registry.address,
      credential,
      onRefused: (r) => refusals.push(r),
    });
    containerEnv = await prepareContainerEnv(stateDir, { insecureRegistries: [guard.host] });
    images = new BuildahImageRegistry({ host: guard.host, credential, containerEnv });
    auth = {
      authorization: `Basic ${Buffer.from(`${credential.username}:${credential.secret}`).toString('base64')}`,
    };
    await buildImage('localhost/first:1', 'one\n');
    await buildImage('localhost/second:1', 'two\n');
  });
  afterAll(async () => {
    const env = { ...process.env, ...(containerEnv?.env ?? {}) };
    await run('buildah', ['rmi', '--all', '--force'], { env }).catch(() => undefined);
    await guard?.close();
    await registry?.stop();
    if (stateDir) await rm(stateDir, { recursive: true, force: true });
  });

  it('refuses a buildah push of another image under a published tag; the tag keeps the first digest', async () => {
    const first = await images.push('localhost/first:1', { repository: 'apps/shop/web', tag: 'abc123' });
    const moved = images.push('localhost/second:1', { repository: 'apps/shop/web', tag: 'abc123' });
    await expect(moved).rejects.toMatchObject({
      message: expect.stringMatching(/TAG_INVALID|409|immutable/),
    });
    expect((await images.inspect(first.ref))?.digest).toBe(first.digest);
    expect(await images.tags('apps/shop/web')).toEqual(['abc123']);
    expect(refusals.at(-1)).toMatchObject({
      method: 'PUT',
      path: '/v2/apps/shop/web/manifests/abc123',
      reason: 'tag-moved',
    });
    expect(refusals.at(-1)?.detail).toContain(first.digest);
  });

  it('lets the pipeline push the same image under the same tag again (an idempotent retry)', async () => {
    const before = refusals.length;
    const first = await images.push('localhost/first:1', { repository: 'apps/retry', tag: '1' });
    const again = await images.push('localhost/first:1', { repository: 'apps/retry', tag: '1' });
    expect(again.digest).toBe(first.digest);
    // The other image goes under a new tag.
    const second = await images.push('localhost/second:1', { repository: 'apps/retry', tag: '2' });
    expect(second.digest).not.toBe(first.digest);
    expect(await images.tags('apps/retry')).toEqual(['1', '2']);
    expect(refusals.length).toBe(before);
  });

  it('answers a tag move over HTTP with 409 and a registry-style TAG_INVALID error', async () => {
    const a = await manifestFor('apps/http', 'a');
    const b = await manifestFor('apps/http', 'b');
    expect((await putManifest('/v2/apps/http/manifests/v1', a)).status).toBe(201);
    const moved = await putManifest('/v2/apps/http/manifests/v1', b);
    expect(moved.status).toBe(409);
    expect(moved.headers.get('connection')).toBe('close');
    expect(await moved.json()).toEqual({
      errors: [
        {
          code: 'TAG_INVALID',
          message: `apps/http:v1 is published as ${sha256(a)}; tags are immutable, push ${sha256(b)} under a new tag`,
        },
      ],
    });
    expect(await tagDigest('apps/http', 'v1')).toBe(sha256(a));
    // The same bytes again are fine, and so is a put by digest, which moves no tag.
    expect((await putManifest('/v2/apps/http/manifests/v1', a)).status).toBe(201);
    expect((await putManifest(`/v2/apps/http/manifests/${sha256(b)}`, b)).status).toBe(201);
    expect(await tagDigest('apps/http', 'v1')).toBe(sha256(a));
  });

  it('lets exactly one of two concurrent puts of different manifests take a new tag', async () => {
    const a = await manifestFor('apps/race', 'a');
    const b = await manifestFor('apps/race', 'b');
    const answers = await Promise.all([
      putManifest('/v2/apps/race/manifests/t', a),
      putManifest('/v2/apps/race/manifests/t', b),
    ]);
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409]);
    const winner = answers[0]?.status === 201 ? a : b;
    expect(await tagDigest('apps/race', 't')).toBe(sha256(winner));
  });

  it('refuses manifest and blob deletes, even with the credential: a delete then a put would move the tag', async () => {
    const a = await manifestFor('apps/keep', 'a');
    expect((await putManifest('/v2/apps/keep/manifests/1', a)).status).toBe(201);
    for (const reference of ['1', sha256(a)]) {
      const answer = await fetch(`${guard.url}/v2/apps/keep/manifests/${reference}`, {
        method: 'DELETE',
        headers: auth,
      });
      expect(answer.status, reference).toBe(405);
      expect(await answer.json()).toMatchObject({ errors: [{ code: 'UNSUPPORTED' }] });
    }
    expect(refusals.at(-1)?.reason).toBe('image-delete');
    expect(await tagDigest('apps/keep', '1')).toBe(sha256(a));
    // Nor a blob of it: the image would no longer pull.
    const manifest = JSON.parse(a.toString('utf8')) as { config: { digest: string } };
    const blob = await fetch(`${guard.url}/v2/apps/keep/blobs/${manifest.config.digest}`, {
      method: 'DELETE',
      headers: auth,
    });
    expect(blob.status).toBe(405);
    expect((await fetch(`${guard.url}/v2/apps/keep/blobs/${manifest.config.digest}`)).status).toBe(200);
  });

  it('refuses manifest paths it cannot read rather than guess what the registry would make of them', async () => {
    const a = await manifestFor('apps/odd', 'a');
    // node:http sends the path as written (fetch would normalise `./` away).
    const put = (path: string) =>
      new Promise<number>((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port: guard.port,
            method: 'PUT',
            path,
            headers: { ...auth, 'content-type': SCHEMA2, 'content-length': a.length },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.end(a);
      });
    for (const path of [
      '/v2/apps/odd/manifests/1/extra',
      '/v2/apps/Odd/manifests/1',
      '/v2/apps/./odd/manifests/1',
      '/v2/apps/../apps/odd/manifests/1',
      '/v2/apps%2Fodd/manifests/1',
      '/v2/apps/odd/manifest%73/1',
      '/v2/apps/odd/%6Danifests/1',
      '/v2/apps/odd/manifests/-1',
      '/v2/apps/odd/manifests/sha256:abc',
      '/v2//apps/odd/manifests/1',
    ]) {
      expect(await put(path), path).toBe(400);
    }
    expect(await tagDigest('apps/odd', '1')).toBeNull();
  });

  it('buffers at most 4 MiB of manifest: a larger one is refused with 413 before its body is read', async () => {
    // Raw bytes: the headers only, announcing a body one byte over the limit that is never sent.
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(guard.port, '127.0.0.1');
      let text = '';
      socket.on('data', (d: Buffer) => {
        text += d.toString('utf8');
      });
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
      socket.write(
        `PUT /v2/apps/big/manifests/1 HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth.authorization}\r\n` +
          `Content-Type: ${SCHEMA2}\r\nExpect: 100-continue\r\nContent-Length: ${4 * MIB + 1}\r\n\r\n`,
      );
    });
    const outcome = {
      status: Number(/^HTTP\/1\.1 (\d{3}) /.exec(answer)?.[1]),
      continued: answer.includes('100 Continue'),
      body: answer.slice(answer.indexOf('\r\n\r\n') + 4),
    };
    expect(outcome.status).toBe(413);
    expect(outcome.continued).toBe(false);
    expect(JSON.parse(outcome.body)).toEqual({
      errors: [{ code: 'SIZE_INVALID', message: `a manifest may have at most ${4 * MIB} bytes` }],
    });
    expect(refusals.at(-1)).toMatchObject({ reason: 'manifest-too-large' });
  });

  it('refuses a chunked manifest that grows past 4 MiB, and takes one of exactly 4 MiB to the registry', async () => {
    const chunkedPut = (size: number) =>
      new Promise<number>((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port: guard.port,
            method: 'PUT',
            path: '/v2/apps/big/manifests/2',
            headers: { ...auth, 'content-type': SCHEMA2 },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        for (let sent = 0; sent < size; sent += MIB) req.write(Buffer.alloc(Math.min(MIB, size - sent), ' '));
        req.end();
      });
    expect(await chunkedPut(4 * MIB + 1)).toBe(413);
    // Not valid JSON, but within the limit: the registry itself says so.
    expect(await chunkedPut(4 * MIB)).toBe(400);
  });
});
