import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { startDockerRegistry } from '../../adapters/local/docker-registry-process.js';
import {
  ensurePipelineCredential,
  startRegistryPushGuard,
} from '../../adapters/local/registry-push-guard.js';
import { SCHEMA2, schema2Manifest, sha256 } from './image-manifest.js';

/** A guarded registry in a temporary state dir, and a way to put small schema-2 images into it over HTTP. */
export async function startGuardedRegistry() {
  const stateDir = await mkdtemp(join(tmpdir(), 'drydock-markers-'));
  const registry = await startDockerRegistry({ stateDir, listen: 'unix' });
  const credential = await ensurePipelineCredential(stateDir);
  const guard = await startRegistryPushGuard({ upstream: registry.address, credential });
  const auth = {
    authorization: `Basic ${Buffer.from(`${credential.username}:${credential.secret}`).toString('base64')}`,
  };
  const upload = async (repository: string, blob: Buffer): Promise<void> => {
    const start = await fetch(`${guard.url}/v2/${repository}/blobs/uploads/`, {
      method: 'POST',
      headers: auth,
    });
    const location = new URL(start.headers.get('location') ?? '');
    location.searchParams.set('digest', sha256(blob));
    expect((await fetch(location, { method: 'PUT', headers: auth, body: blob })).status).toBe(201);
  };
  const pushImage = async (repository: string, name: string): Promise<string> => {
    const layer = Buffer.from(`layer of ${name}`);
    const config = Buffer.from(
      JSON.stringify({ architecture: 'amd64', os: 'linux', config: { Labels: { name } } }),
    );
    await upload(repository, layer);
    await upload(repository, config);
    const manifest = schema2Manifest(config, layer);
    const put = await fetch(`${guard.url}/v2/${repository}/manifests/${name}`, {
      method: 'PUT',
      headers: { ...auth, 'content-type': SCHEMA2 },
      body: manifest,
    });
    expect(put.status).toBe(201);
    return sha256(manifest);
  };
  return {
    guard,
    credential,
    auth,
    upload,
    pushImage,
    async dispose() {
      await guard.close();
      await registry.stop();
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}

/** The guarded registry helpers, for the push guard's marker tests too. */
export type GuardedRegistry = Awaited<ReturnType<typeof startGuardedRegistry>>;
