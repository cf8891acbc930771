import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type RunningDockerRegistry,
  startDockerRegistry,
} from '../../../adapters/local/docker-registry-process.js';
import { readRegistryTags } from '../../../adapters/local/registry-reader.js';
import { OCI_MANIFEST_TYPE, supportMarkerArtifact } from '../../../core/ban/support-marker-artifact.js';
import { RegistryUnavailableError } from '../../../core/ports/image-registry.js';
import { supportMarkerTag } from '../../../core/ports/support-markers.js';
import { SCHEMA2, schema2Manifest, sha256 } from '../../helpers/image-manifest.js';

describe('readRegistryTags', () => {
  let stateDir: string;
  let registry: RunningDockerRegistry;
  const digests = new Map<string, string>();

  /** Puts a one-layer image as `repository:tag` (a plain registry, no guard: this reads any registry). */
  const put = async (repository: string, tag: string): Promise<void> => {
    const layer = Buffer.from(`layer ${repository}:${tag}`);
    const config = Buffer.from(
      JSON.stringify({ os: 'linux', architecture: 'amd64', id: `${repository}:${tag}` }),
    );
    for (const blob of [layer, config]) {
      const start = await fetch(`${registry.url}/v2/${repository}/blobs/uploads/`, { method: 'POST' });
      const location = new URL(start.headers.get('location') ?? '', registry.url);
      location.searchParams.set('digest', sha256(blob));
      expect((await fetch(location, { method: 'PUT', body: blob })).status).toBe(201);
    }
    const manifest = schema2Manifest(config, layer).toString();
    const answer = await fetch(`${registry.url}/v2/${repository}/manifests/${tag}`, {
      method: 'PUT',
      headers: { 'content-type': SCHEMA2 },
      body: manifest,
    });
    expect(answer.status).toBe(201);
    digests.set(`${repository}:${tag}`, sha256(manifest));
  };

  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'drydock-reader-'));
    registry = await startDockerRegistry({ stateDir });
    await put('apps/b', '2');
    await put('apps/b', '1');
    await put('apps/a', 'x');
    await put('base/busybox', '1.36.1');
  });
  afterAll(async () => {
    await registry?.stop();
    if (stateDir) await rm(stateDir, { recursive: true, force: true });
  });

  it('reads every tag of every repository with its manifest digest, following pages of one entry', async () => {
    const host = registry.url.replace('http://', '');
    const expected = [
      { repository: 'apps/a', tag: 'x', digest: digests.get('apps/a:x') },
      { repository: 'apps/b', tag: '1', digest: digests.get('apps/b:1') },
      { repository: 'apps/b', tag: '2', digest: digests.get('apps/b:2') },
      { repository: 'base/busybox', tag: '1.36.1', digest: digests.get('base/busybox:1.36.1') },
    ];
    expect(await readRegistryTags(host, { pageSize: 1 })).toEqual(expected);
    expect(await readRegistryTags(host)).toEqual(expected);
  });

  it('throws RegistryUnavailableError when nothing answers', async () => {
    const gone = await mkdtemp(join(tmpdir(), 'drydock-reader-gone-'));
    const stopped = await startDockerRegistry({ stateDir: gone });
    const host = stopped.url.replace('http://', '');
    await stopped.stop();
    await rm(gone, { recursive: true, force: true });
    await expect(readRegistryTags(host)).rejects.toBeInstanceOf(RegistryUnavailableError);
  });

  it('reads a support-marker tag holding a marker of its image as a marker, and any other as an ordinary tag', async () => {
    const host = registry.url.replace('http://', '');
    const image = digests.get('apps/a:x') ?? '';
    const artifact = supportMarkerArtifact(
      {
        subject: image,
        unsupported: true,
        bans: [{ banId: 'ban-1', reason: 'x' }],
        at: '2026-12-07T10:00:00Z',
      },
      { mediaType: SCHEMA2, digest: image, size: 1 },
    );
    for (const blob of [artifact.config, artifact.layer].map((b) => Buffer.from(b))) {
      const start = await fetch(`${registry.url}/v2/apps/a/blobs/uploads/`, { method: 'POST' });
      const location = new URL(start.headers.get('location') ?? '', registry.url);
      location.searchParams.set('digest', sha256(blob));
      expect((await fetch(location, { method: 'PUT', body: blob })).status).toBe(201);
    }
    const marker = supportMarkerTag(image);
    const written = await fetch(`${registry.url}/v2/apps/a/manifests/${marker}`, {
      method: 'PUT',
      headers: { 'content-type': OCI_MANIFEST_TYPE },
      body: artifact.manifest,
    });
    expect(written.status).toBe(201);
    // An image under the marker tag of another digest is no marker.
    const lookalike = supportMarkerTag(`sha256:${'f'.repeat(64)}`);
    await put('apps/a', lookalike);
    const tags = (await readRegistryTags(host)).filter((t) => t.repository === 'apps/a');
    expect(tags).toEqual([
      { repository: 'apps/a', tag: marker, digest: sha256(artifact.manifest), markerOf: image },
      { repository: 'apps/a', tag: lookalike, digest: digests.get(`apps/a:${lookalike}`) },
      { repository: 'apps/a', tag: 'x', digest: image },
    ]);
  });
});
