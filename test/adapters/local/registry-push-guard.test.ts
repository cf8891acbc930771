import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { chmod, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type RunningDockerRegistry,
  startDockerRegistry,
} from '../../../adapters/local/docker-registry-process.js';
import {
  CredentialExposedError,
  ensurePipelineCredential,
  GUARD_MAX_CONNECTIONS,
  PIPELINE_USER,
  type PipelineCredential,
  type PushRefusal,
  type RunningPushGuard,
  startRegistryPushGuard,
} from '../../../adapters/local/registry-push-guard.js';
import { floodAsNobody, openDescriptors } from '../../helpers/connection-flood.js';

/** A local user's flood: `count` connections to the port, held open and silent until the process is killed. */
const basic = (user: string, secret: string): string =>
  `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;

describe('ensurePipelineCredential', () => {
  let stateDir: string;
  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'drydock-credential-'));
  });
  afterAll(async () => {
    await rm(stateDir, { recursive: true, force: true });
  });

  it('generates a random secret once, in a 0600 file, and reads it back after', async () => {
    const first = await ensurePipelineCredential(stateDir);
    const path = join(stateDir, 'registry', 'pipeline-credential');
    expect(first.username).toBe(PIPELINE_USER);
    expect(first.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await readFile(path, 'utf8')).trim()).toBe(first.secret);
    expect(await ensurePipelineCredential(stateDir)).toEqual(first);
  });

  it('refuses a credential file other users can read', async () => {
    await ensurePipelineCredential(stateDir);
    await chmod(join(stateDir, 'registry', 'pipeline-credential'), 0o644);
    await expect(ensurePipelineCredential(stateDir)).rejects.toBeInstanceOf(CredentialExposedError);
  });
});

describe('startRegistryPushGuard', () => {
  let stateDir: string;
  let registry: RunningDockerRegistry;
  let guard: RunningPushGuard;
  let credential: PipelineCredential;
  const refusals: PushRefusal[] = [];

  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'drydock-guard-'));
    // TCP upstream: the guard must hide the registry's own host:port from clients.
    registry = await startDockerRegistry({ stateDir });
    credential = await ensurePipelineCredential(stateDir);
    guard = await startRegistryPushGuard({
      upstream: registry.address,
      credential,
      onRefused: (r) => refusals.push(r),
    });
  });
  afterAll(async () => {
    await guard?.close();
    await registry?.stop();
    await rm(stateDir, { recursive: true, force: true });
  });

  const repositoriesDir = (): string => join(registry.dataDir, 'docker', 'registry', 'v2', 'repositories');
  const stored = async (): Promise<string[]> => readdir(repositoriesDir()).catch(() => []);

  it('refuses to start a blob upload without credentials: 401, a Basic challenge, nothing stored', async () => {
    const answer = await fetch(`${guard.url}/v2/x/blobs/uploads/`, { method: 'POST' });
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toBe('Basic realm="drydock"');
    expect(await answer.json()).toEqual({
      errors: [{ code: 'UNAUTHORIZED', message: 'only the drydock pipeline may push to this registry' }],
    });
    expect(await stored()).toEqual([]);
    expect(await (await fetch(`${registry.url}/v2/_catalog`)).json()).toEqual({ repositories: [] });
    expect(refusals.at(-1)).toMatchObject({
      method: 'POST',
      path: '/v2/x/blobs/uploads/',
      reason: 'no-credential',
    });
    expect(refusals.at(-1)?.at).toBeInstanceOf(Date);
  });

  it('refuses wrong credentials, another user with the secret, and other schemes', async () => {
    const before = guard.refusedCount;
    for (const authorization of [
      basic(PIPELINE_USER, 'guessed-secret'),
      basic('admin', credential.secret),
      basic(PIPELINE_USER, `${credential.secret}x`),
      `Bearer ${credential.secret}`,
    ]) {
      const answer = await fetch(`${guard.url}/v2/x/blobs/uploads/`, {
        method: 'POST',
        headers: { authorization },
      });
      expect(answer.status).toBe(401);
      await answer.body?.cancel();
    }
    expect(guard.refusedCount - before).toBe(4);
    expect(refusals.at(-1)?.reason).toBe('wrong-credential');
    expect(await stored()).toEqual([]);
  });

  it('refuses deletes and manifest puts without the credential', async () => {
    for (const method of ['DELETE', 'PUT', 'PATCH']) {
      const answer = await fetch(`${guard.url}/v2/x/manifests/1`, {
        method,
        body: method === 'DELETE' ? null : '{}',
      });
      expect(answer.status).toBe(401);
      await answer.body?.cancel();
    }
  });

  it('answers an unauthorised Expect: 100-continue with 401 and never asks for the body', async () => {
    const outcome = await new Promise<{ status: number; continued: boolean }>((resolve, reject) => {
      let continued = false;
      const req = request(
        {
          host: '127.0.0.1',
          port: guard.port,
          method: 'PUT',
          path: '/v2/x/blobs/uploads/abc?digest=sha256:00',
          headers: { expect: '100-continue', 'content-length': 1_000_000 },
        },
        (res) => {
          res.resume();
          resolve({ status: res.statusCode ?? 0, continued });
          req.destroy();
        },
      );
      req.on('continue', () => {
        continued = true;
      });
      req.on('error', reject);
      req.flushHeaders();
    });
    expect(outcome).toEqual({ status: 401, continued: false });
  });

  it('lets the pipeline upload a blob in chunks, with Location rewritten to the guard', async () => {
    const auth = { authorization: basic(PIPELINE_USER, credential.secret) };
    const start = await fetch(`${guard.url}/v2/apps/chunked/blobs/uploads/`, {
      method: 'POST',
      headers: auth,
    });
    expect(start.status).toBe(202);
    const location = start.headers.get('location') ?? '';
    expect(location.startsWith(`${guard.url}/v2/apps/chunked/blobs/uploads/`)).toBe(true);
    expect(location).not.toContain(registry.url);

    // A PATCH with a chunked body, written in pieces, streamed through the guard.
    const chunks = [Buffer.alloc(256 * 1024, 'a'), Buffer.alloc(256 * 1024, 'b'), Buffer.from('end')];
    const patched = await new Promise<{ status: number; location: string }>((resolve, reject) => {
      const url = new URL(location);
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          method: 'PATCH',
          path: url.pathname + url.search,
          headers: auth,
        },
        (res) => {
          res.resume();
          resolve({ status: res.statusCode ?? 0, location: String(res.headers.location) });
        },
      );
      req.on('error', reject);
      for (const chunk of chunks) req.write(chunk);
      req.end();
    });
    expect(patched.status).toBe(202);
    expect(patched.location.startsWith(guard.url)).toBe(true);

    const content = Buffer.concat(chunks);
    const digest = `sha256:${createHash('sha256').update(content).digest('hex')}`;
    const done = new URL(patched.location);
    done.searchParams.set('digest', digest);
    const put = await fetch(done, { method: 'PUT', headers: auth });
    expect(put.status).toBe(201);
    expect(put.headers.get('location')?.startsWith(guard.url)).toBe(true);

    // Anyone may read: no credentials on GET and HEAD.
    const head = await fetch(`${guard.url}/v2/apps/chunked/blobs/${digest}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(content.length));
    const get = await fetch(`${guard.url}/v2/apps/chunked/blobs/${digest}`);
    expect(Buffer.from(await get.arrayBuffer()).equals(content)).toBe(true);
  });

  it('announces the Basic challenge on a 200 /v2/ ping, so pulls stay anonymous', async () => {
    const ping = await fetch(`${guard.url}/v2/`);
    expect(ping.status).toBe(200);
    expect(ping.headers.get('www-authenticate')).toBe('Basic realm="drydock"');
    expect(ping.headers.get('docker-distribution-api-version')).toBe('registry/2.0');
  });

  it('holds at most GUARD_MAX_CONNECTIONS connections of a local user flooding it, keeping the descriptors of its process', async () => {
    const before = openDescriptors();
    // 3000 silent connections from nobody.
    const flood = await floodAsNobody(guard.port, 3000);
    try {
      // All 3000 passed the kernel's backlog (511): the guard accepted 2489 or more, one descriptor each unbounded.
      expect(openDescriptors() - before).toBeLessThan(GUARD_MAX_CONNECTIONS + 64);
    } finally {
      await flood.stop();
    }
  }, 60_000);

  it('refuses a read for another host name: a web page that rebinds its name to 127.0.0.1 reads no image', async () => {
    // What a browser sends for a page of attacker.example whose DNS now answers 127.0.0.1.
    const asked = (host: string) =>
      new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = request(
          { host: '127.0.0.1', port: guard.port, path: '/v2/_catalog', headers: { host } },
          (answer) => {
            let text = '';
            answer.setEncoding('utf8');
            answer.on('data', (chunk: string) => {
              text += chunk;
            });
            answer.on('end', () => resolve({ status: answer.statusCode ?? 0, text }));
          },
        );
        req.on('error', reject);
        req.end();
      });
    const rebound = await asked(`attacker.example:${guard.port}`);
    expect(rebound.status).toBe(421);
    expect(rebound.text).not.toContain('repositories');
    expect((await asked(`127.0.0.1:${guard.port}`)).status).toBe(200);
    expect((await asked(`localhost:${guard.port}`)).status).toBe(200);
    expect(refusals.at(-1)).toMatchObject({ method: 'GET', reason: 'wrong-host' });
  });

  it('answers 503 in the registry error format when the registry is down', async () => {
    const down = await startRegistryPushGuard({
      upstream: { kind: 'unix', socketPath: join(stateDir, 'no-such.sock') },
      credential,
    });
    try {
      const answer = await fetch(`${down.url}/v2/`);
      expect(answer.status).toBe(503);
      expect(await answer.json()).toMatchObject({ errors: [{ code: 'UNAVAILABLE' }] });
    } finally {
      await down.close();
    }
  });

  it('tries again a registry that does not take the connection at once, with the whole body', async () => {
    const socketPath = join(stateDir, 'late.sock');
    const late = await startRegistryPushGuard({ upstream: { kind: 'unix', socketPath }, credential });
    const { createServer } = await import('node:http');
    // A registry that starts listening only after the guard's first connect failed.
    const registry = createServer((req, res) => {
      const parts: Buffer[] = [];
      req.on('data', (c: Buffer) => parts.push(c));
      req.on('end', () => {
        res.writeHead(202, { 'content-type': 'text/plain' });
        res.end(`${req.method} ${Buffer.concat(parts).length}`);
      });
    });
    try {
      const sent = fetch(`${late.url}/v2/apps/x/blobs/uploads/abc`, {
        method: 'PATCH',
        headers: { authorization: basic(PIPELINE_USER, credential.secret) },
        body: Buffer.alloc(300_000, 7),
      });
      await new Promise((r) => setTimeout(r, 50));
      registry.listen(socketPath);
      await once(registry, 'listening');
      const answer = await sent;
      expect(answer.status).toBe(202);
      expect(await answer.text()).toBe('PATCH 300000');
    } finally {
      registry.close();
      await late.close();
    }
  });
});
