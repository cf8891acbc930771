import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ToolMissingError } from '../../../adapters/local/container-env.js';
import {
  answers,
  type RegistryAddress,
  RegistryPortInUseError,
  type RunningDockerRegistry,
  startDockerRegistry,
} from '../../../adapters/local/docker-registry-process.js';
import { alive, gone, runScript } from '../../helpers/orphans.js';

/** One HTTP request to the registry at a TCP or unix address. */
function call(
  address: RegistryAddress,
  method: string,
  path: string,
  body?: Buffer,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const target =
    address.kind === 'tcp' ? { host: address.host, port: address.port } : { socketPath: address.socketPath };
  return new Promise((resolve, reject) => {
    const req = request({ ...target, method, path }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => {
        text += c.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Uploads a blob monolithically (POST, then PUT with the digest) and returns its digest. */
async function uploadBlob(address: RegistryAddress, repository: string, content: string): Promise<string> {
  const digest = `sha256:${createHash('sha256').update(content).digest('hex')}`;
  const start = await call(address, 'POST', `/v2/${repository}/blobs/uploads/`);
  expect(start.status).toBe(202);
  const location = new URL(String(start.headers.location), 'http://localhost');
  location.searchParams.set('digest', digest);
  const put = await call(address, 'PUT', `${location.pathname}${location.search}`, Buffer.from(content));
  expect(put.status).toBe(201);
  return digest;
}

describe('startDockerRegistry', () => {
  const dirs: string[] = [];
  const running: RunningDockerRegistry[] = [];
  let stateDir: string;
  beforeEach(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'drydock-registry-'));
    dirs.push(stateDir);
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((r) => r.stop()));
  });
  afterAll(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it('serves /v2/ on a free 127.0.0.1 port with its storage in the state dir', async () => {
    const registry = await startDockerRegistry({ stateDir });
    running.push(registry);
    expect(registry.address).toMatchObject({ kind: 'tcp', host: '127.0.0.1' });
    expect(registry.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(registry.dataDir).toBe(join(stateDir, 'registry', 'data'));
    expect((await fetch(`${registry.url}/v2/`)).status).toBe(200);
    await uploadBlob(registry.address, 'apps/x', 'hello');
    expect(
      (
        await stat(join(registry.dataDir, 'docker', 'registry', 'v2', 'repositories', 'apps', 'x'))
      ).isDirectory(),
    ).toBe(true);
  });

  it('stops cleanly and is idempotent', async () => {
    const registry = await startDockerRegistry({ stateDir });
    const started = Date.now();
    await registry.stop();
    await registry.stop();
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await answers(registry.address, 200)).toBe(false);
    expect(() => process.kill(registry.pid, 0)).toThrow();
  });

  it('keeps the data across a restart', async () => {
    const first = await startDockerRegistry({ stateDir });
    const digest = await uploadBlob(first.address, 'apps/keep', 'kept across restarts');
    await first.stop();
    const second = await startDockerRegistry({ stateDir });
    running.push(second);
    expect((await call(second.address, 'HEAD', `/v2/apps/keep/blobs/${digest}`)).status).toBe(200);
  });

  it('listens on a unix socket in a 0700 directory when asked', async () => {
    const registry = await startDockerRegistry({ stateDir, listen: 'unix' });
    running.push(registry);
    expect(registry.address).toEqual({
      kind: 'unix',
      socketPath: join(stateDir, 'registry', 'registry.sock'),
    });
    expect((await stat(join(stateDir, 'registry'))).mode & 0o777).toBe(0o700);
    expect((await call(registry.address, 'GET', '/v2/')).status).toBe(200);
  });

  // 60 s: a node started with a TypeScript loader can take a while on a loaded machine.
  it('does not outlive the process that started it when that process is killed with SIGKILL', async () => {
    const script = join(stateDir, 'owner.mts');
    const module = join(import.meta.dirname, '../../../adapters/local/docker-registry-process.ts');
    await writeFile(
      script,
      `import { startDockerRegistry } from ${JSON.stringify(module)};
const registry = await startDockerRegistry({ stateDir: ${JSON.stringify(stateDir)} });
console.log(registry.pid);
setInterval(() => {}, 1000);
`,
    );
    const { child, line } = await runScript(script);
    const pid = Number(line);
    expect(() => process.kill(pid, 0)).not.toThrow();
    try {
      child.kill('SIGKILL');
      expect(await gone(pid)).toBe(true);
    } finally {
      // Without the parent-death signal the registry would be left running: end it either way.
      if (alive(pid)) process.kill(pid, 'SIGKILL');
    }
  }, 60_000);

  it('names the Debian package when docker-registry is missing', async () => {
    const start = startDockerRegistry({ stateDir, binary: '/nonexistent/docker-registry' });
    await expect(start).rejects.toBeInstanceOf(ToolMissingError);
    await expect(start).rejects.toThrow(/Debian package "docker-registry"/);
    await expect(start).rejects.toMatchObject({ code: 'TOOL_MISSING', debianPackage: 'docker-registry' });
  });

  it('says which port is taken', async () => {
    const squatter = createServer();
    squatter.listen(0, '127.0.0.1');
    await once(squatter, 'listening');
    const port = (squatter.address() as { port: number }).port;
    try {
      const start = startDockerRegistry({ stateDir, port });
      await expect(start).rejects.toBeInstanceOf(RegistryPortInUseError);
      await expect(start).rejects.toThrow(`127.0.0.1:${port} is already in use`);
      await expect(start).rejects.toMatchObject({ code: 'REGISTRY_PORT_IN_USE', port });
    } finally {
      squatter.close();
    }
  });
});
