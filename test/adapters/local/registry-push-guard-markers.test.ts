// Support-marker tags are the one kind of tag that may be replaced: real HTTP through the guard to docker-registry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistrySupportMarkers } from '../../../adapters/local/registry-support-markers.js';
import { OCI_MANIFEST_TYPE, supportMarkerArtifact } from '../../../core/ban/support-marker-artifact.js';
import { type SupportMarker, supportMarkerTag } from '../../../core/ports/support-markers.js';
import { type GuardedRegistry, startGuardedRegistry } from '../../helpers/guarded-registry.js';
import { SCHEMA2, schema2Manifest, sha256 } from '../../helpers/image-manifest.js';

const marker = (subject: string, banId: string): SupportMarker => ({
  subject,
  unsupported: true,
  bans: [{ banId, reason: `reason of ${banId}` }],
  at: '2026-12-07T10:00:00.000Z',
});

describe('the push guard and support-marker tags', () => {
  let reg: GuardedRegistry;
  let markers: RegistrySupportMarkers;
  let image: string;
  let other: string;
  const subject = (digest: string) => ({ mediaType: SCHEMA2, digest, size: 0 });

  /** Uploads a marker artifact's blobs and returns its manifest bytes. */
  const markerBody = async (repository: string, m: SupportMarker): Promise<string> => {
    const artifact = supportMarkerArtifact(m, subject(m.subject));
    await reg.upload(repository, Buffer.from(artifact.config));
    await reg.upload(repository, Buffer.from(artifact.layer));
    return artifact.manifest;
  };
  const put = (
    path: string,
    body: string | Buffer,
    type: string,
    headers: Record<string, string> = reg.auth,
  ) =>
    fetch(`${reg.guard.url}${path}`, { method: 'PUT', headers: { ...headers, 'content-type': type }, body });
  const tagDigest = async (repository: string, tag: string): Promise<string | null> =>
    (
      await fetch(`${reg.guard.url}/v2/${repository}/manifests/${tag}`, {
        method: 'HEAD',
        headers: { accept: `${OCI_MANIFEST_TYPE}, ${SCHEMA2}` },
      })
    ).headers.get('docker-content-digest');
  const tagOf = (digest: string) => supportMarkerTag(digest);

  beforeAll(async () => {
    reg = await startGuardedRegistry();
    markers = new RegistrySupportMarkers({ host: reg.guard.host, credential: reg.credential });
    image = await reg.pushImage('apps/shop', 'v1');
    other = await reg.pushImage('apps/shop', 'v2');
  });
  afterAll(async () => {
    await reg?.dispose();
  });

  it('lets the pipeline replace a marker, and only with a marker of the same image', async () => {
    await markers.put('apps/shop', marker(image, 'ban-1'));
    const first = await tagDigest('apps/shop', tagOf(image));
    await markers.put('apps/shop', marker(image, 'ban-2'));
    const second = await tagDigest('apps/shop', tagOf(image));
    expect(second).not.toBe(first);
    expect((await markers.get('apps/shop', image))?.bans).toEqual([
      { banId: 'ban-2', reason: 'reason of ban-2' },
    ]);
  });

  it('refuses a marker write without the pipeline credential or with a wrong one', async () => {
    const body = await markerBody('apps/shop', marker(other, 'ban-x'));
    const path = `/v2/apps/shop/manifests/${tagOf(other)}`;
    expect((await put(path, body, OCI_MANIFEST_TYPE, {})).status).toBe(401);
    const wrong = { authorization: `Basic ${Buffer.from('drydock-pipeline:guess').toString('base64')}` };
    expect((await put(path, body, OCI_MANIFEST_TYPE, wrong)).status).toBe(401);
    expect(await tagDigest('apps/shop', tagOf(other))).toBeNull();
    // Nor can anyone but the pipeline replace an existing marker.
    await markers.put('apps/shop', marker(image, 'ban-3'));
    const before = await tagDigest('apps/shop', tagOf(image));
    const replacing = await markerBody('apps/shop', marker(image, 'ban-forged'));
    expect(
      (await put(`/v2/apps/shop/manifests/${tagOf(image)}`, replacing, OCI_MANIFEST_TYPE, {})).status,
    ).toBe(401);
    expect(await tagDigest('apps/shop', tagOf(image))).toBe(before);
  });

  it('still refuses the pipeline a move of an ordinary tag, even to a marker (409)', async () => {
    const body = await markerBody('apps/shop', marker(image, 'ban-1'));
    const moved = await put('/v2/apps/shop/manifests/v1', body, OCI_MANIFEST_TYPE);
    expect(moved.status).toBe(409);
    expect(await moved.text()).toContain('TAG_INVALID');
    expect(await tagDigest('apps/shop', 'v1')).toBe(image);
  });

  it('refuses an image manifest under a marker tag, existing or free; the marker stays', async () => {
    await markers.put('apps/shop', marker(image, 'ban-4'));
    const before = await tagDigest('apps/shop', tagOf(image));
    const layer = Buffer.from('layer of impostor');
    const config = Buffer.from('{"architecture":"amd64","os":"linux"}');
    await reg.upload('apps/shop', layer);
    await reg.upload('apps/shop', config);
    const imageBody = schema2Manifest(config, layer);
    const replaced = await put(`/v2/apps/shop/manifests/${tagOf(image)}`, imageBody, SCHEMA2);
    expect(replaced.status).toBe(400);
    expect(await replaced.text()).toContain('MANIFEST_INVALID');
    expect(await tagDigest('apps/shop', tagOf(image))).toBe(before);
    expect((await markers.get('apps/shop', image))?.bans[0]?.banId).toBe('ban-4');
    // A free marker tag takes no image either.
    const fresh = await put(`/v2/apps/shop/manifests/${tagOf(sha256(imageBody))}`, imageBody, SCHEMA2);
    expect(fresh.status).toBe(400);
    expect(await tagDigest('apps/shop', tagOf(sha256(imageBody)))).toBeNull();
  });

  it('refuses a marker of another image under a marker tag', async () => {
    const body = await markerBody('apps/shop', marker(other, 'ban-1'));
    const answer = await put(`/v2/apps/shop/manifests/${tagOf(image)}`, body, OCI_MANIFEST_TYPE);
    expect(answer.status).toBe(400);
    expect((await markers.get('apps/shop', image))?.subject).toBe(image);
  });

  it('refuses a marker sent with another content type, or with a field the registry would read differently', async () => {
    const body = await markerBody('apps/shop', marker(image, 'ban-5'));
    expect((await put(`/v2/apps/shop/manifests/${tagOf(image)}`, body, SCHEMA2)).status).toBe(400);
    // Go matches JSON keys regardless of case: `LAYERS` would be the layers the registry stores.
    const smuggled = JSON.stringify({ ...JSON.parse(body), LAYERS: [] });
    expect((await put(`/v2/apps/shop/manifests/${tagOf(image)}`, smuggled, OCI_MANIFEST_TYPE)).status).toBe(
      400,
    );
    expect((await markers.get('apps/shop', image))?.bans[0]?.banId).not.toBe('ban-5');
  });

  it('treats a tag that only looks like a marker tag as an ordinary, immutable tag', async () => {
    const hex = image.slice('sha256:'.length);
    for (const tag of [
      `sha256-${hex}.unsupported.x`,
      `sha256-${hex.toUpperCase()}.unsupported`,
      `x${tagOf(image)}`,
    ]) {
      const first = await markerBody('apps/lookalike', marker(image, 'ban-1'));
      const second = await markerBody('apps/lookalike', marker(image, 'ban-2'));
      expect((await put(`/v2/apps/lookalike/manifests/${tag}`, first, OCI_MANIFEST_TYPE)).status).toBe(201);
      const moved = await put(`/v2/apps/lookalike/manifests/${tag}`, second, OCI_MANIFEST_TYPE);
      expect(moved.status, tag).toBe(409);
      expect(await tagDigest('apps/lookalike', tag)).toBe(sha256(first));
    }
  });
});
