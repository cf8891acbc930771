// Support markers on the real docker-registry through the real push guard, written with the pipeline credential.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDockerRegistry } from '../../../adapters/local/docker-registry-process.js';
import type { PipelineCredential, RunningPushGuard } from '../../../adapters/local/registry-push-guard.js';
import { RegistrySupportMarkers } from '../../../adapters/local/registry-support-markers.js';
import { SUPPORT_MARKER_TYPE } from '../../../core/ban/support-marker-artifact.js';
import { supportMarkerTag } from '../../../core/ports/support-markers.js';
import { supportMarkersContract } from '../../contracts/support-markers.contract.js';
import { type GuardedRegistry, startGuardedRegistry } from '../../helpers/guarded-registry.js';
import { SCHEMA2, schema2Manifest, sha256 } from '../../helpers/image-manifest.js';

const run = promisify(execFile);

supportMarkersContract('RegistrySupportMarkers (docker-registry behind the push guard)', async () => {
  const started = await startGuardedRegistry();
  return {
    markers: new RegistrySupportMarkers({ host: started.guard.host, credential: started.credential }),
    pushImage: started.pushImage,
    dispose: started.dispose,
  };
});

describe('RegistrySupportMarkers', () => {
  let started: GuardedRegistry;
  let guard: RunningPushGuard;
  let credential: PipelineCredential;
  beforeAll(async () => {
    started = await startGuardedRegistry();
    guard = started.guard;
    credential = started.credential;
  });
  afterAll(async () => {
    await started?.dispose();
  });

  it('writes an OCI artifact that skopeo shows: artifact type, empty config, one layer, the image as subject', async () => {
    const image = await started.pushImage('apps/shop', 'v1');
    const markers = new RegistrySupportMarkers({ host: guard.host, credential });
    await markers.put('apps/shop', {
      subject: image,
      unsupported: true,
      bans: [{ banId: 'ban-7', reason: 'busybox 1.36.0: CVE-2026-0001' }],
      at: '2026-12-07T10:00:00.000Z',
    });
    const { stdout } = await run('skopeo', [
      'inspect',
      '--raw',
      '--tls-verify=false',
      `docker://${guard.host}/apps/shop:${supportMarkerTag(image)}`,
    ]);
    const manifest = JSON.parse(stdout);
    const imageManifest = await fetch(`${guard.url}/v2/apps/shop/manifests/v1`, {
      headers: { accept: SCHEMA2 },
    });
    const size = (await imageManifest.arrayBuffer()).byteLength;
    expect(manifest).toEqual({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      artifactType: SUPPORT_MARKER_TYPE,
      config: {
        mediaType: 'application/vnd.oci.empty.v1+json',
        digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
        size: 2,
      },
      layers: [
        {
          mediaType: SUPPORT_MARKER_TYPE,
          digest: expect.stringMatching(/^sha256:/),
          size: expect.any(Number),
        },
      ],
      subject: { mediaType: SCHEMA2, digest: image, size },
      annotations: {
        'io.drydock.ban': 'ban-7',
        'org.opencontainers.image.created': '2026-12-07T10:00:00.000Z',
      },
    });
    const layer = await fetch(`${guard.url}/v2/apps/shop/blobs/${manifest.layers[0].digest}`);
    expect(JSON.parse(await layer.text())).toMatchObject({ subject: image, bans: [{ banId: 'ban-7' }] });
  });

  it('cannot write a marker with a wrong credential, and says so', async () => {
    const image = await started.pushImage('apps/shop', 'v2');
    const markers = new RegistrySupportMarkers({
      host: guard.host,
      credential: { username: credential.username, secret: 'not-the-secret-at-all' },
    });
    await expect(
      markers.put('apps/shop', { subject: image, unsupported: true, bans: [], at: '2026-12-07T10:00:00Z' }),
    ).rejects.toMatchObject({ code: 'REGISTRY_UNAUTHORIZED' });
    expect(
      await new RegistrySupportMarkers({ host: guard.host, credential }).get('apps/shop', image),
    ).toBeUndefined();
  });

  it('reports a registry that does not answer as unavailable', async () => {
    const markers = new RegistrySupportMarkers({ host: '127.0.0.1:9', credential, requestTimeoutMs: 2000 });
    await expect(markers.get('apps/shop', `sha256:${'a'.repeat(64)}`)).rejects.toMatchObject({
      code: 'REGISTRY_UNAVAILABLE',
      retryable: true,
    });
  });

  it('refuses what a marker tag holds when it is not a marker of that image (written around the guard)', async () => {
    const plainState = await mkdtemp(join(tmpdir(), 'drydock-markers-plain-'));
    const plain = await startDockerRegistry({ stateDir: plainState });
    try {
      const base = plain.url;
      const layer = Buffer.from('layer');
      const config = Buffer.from('{"architecture":"amd64","os":"linux"}');
      for (const blob of [layer, config]) {
        const start = await fetch(`${base}/v2/apps/x/blobs/uploads/`, { method: 'POST' });
        const location = new URL(start.headers.get('location') ?? '', base);
        location.searchParams.set('digest', sha256(blob));
        expect((await fetch(location, { method: 'PUT', body: blob })).status).toBe(201);
      }
      const manifest = schema2Manifest(config, layer);
      const subject = `sha256:${'d'.repeat(64)}`;
      const put = await fetch(`${base}/v2/apps/x/manifests/${supportMarkerTag(subject)}`, {
        method: 'PUT',
        headers: { 'content-type': SCHEMA2 },
        body: manifest,
      });
      expect(put.status).toBe(201);
      const markers = new RegistrySupportMarkers({ host: base.replace('http://', ''), credential });
      await expect(markers.get('apps/x', subject)).rejects.toMatchObject({
        code: 'SUPPORT_MARKER_INVALID',
        message: expect.stringContaining(
          `apps/x:${supportMarkerTag(subject)} is not a drydock support marker`,
        ),
      });
    } finally {
      await plain.stop();
      await rm(plainState, { recursive: true, force: true });
    }
  });
});
