import { describe, expect, it } from 'vitest';
import {
  digestOfText,
  isMarkerManifestFor,
  markerTagSubject,
  parseSupportMarkerLayer,
  parseSupportMarkerManifest,
  supportMarkerArtifact,
} from '../../../core/ban/support-marker-artifact.js';
import { type SupportMarker, supportMarkerTag } from '../../../core/ports/support-markers.js';

const image = `sha256:${'ab'.repeat(32)}`;
const subject = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: image, size: 812 };
const marker: SupportMarker = {
  subject: image,
  unsupported: true,
  bans: [
    { banId: 'ban-1', reason: 'CVE-2026-0001' },
    { banId: 'ban-2', reason: 'end of life' },
  ],
  at: '2026-12-07T10:00:00.000Z',
};

describe('support marker tags', () => {
  it('names the tag of a digest and reads the digest back', () => {
    expect(supportMarkerTag(image)).toBe(`sha256-${'ab'.repeat(32)}.unsupported`);
    expect(markerTagSubject(supportMarkerTag(image))).toBe(image);
  });

  it.each([
    `sha256-${'ab'.repeat(32)}.unsupported.x`,
    `sha256-${'AB'.repeat(32)}.unsupported`,
    `sha256-${'ab'.repeat(31)}.unsupported`,
    `xsha256-${'ab'.repeat(32)}.unsupported`,
    `sha512-${'ab'.repeat(32)}.unsupported`,
    'latest',
  ])('does not read %s as a marker tag', (tag) => {
    expect(markerTagSubject(tag)).toBeUndefined();
  });
});

describe('support marker artifacts', () => {
  it('builds an OCI artifact manifest that parses back, with the bans annotated', () => {
    const artifact = supportMarkerArtifact(marker, subject);
    const manifest = parseSupportMarkerManifest(artifact.manifest);
    expect(manifest?.subject).toEqual(subject);
    expect(manifest?.annotations).toEqual({
      'io.drydock.ban': 'ban-1,ban-2',
      'org.opencontainers.image.created': marker.at,
    });
    expect(manifest?.config.digest).toBe(digestOfText('{}'));
    expect(manifest?.layers[0].digest).toBe(digestOfText(artifact.layer));
    expect(parseSupportMarkerLayer(manifest!, artifact.layer)).toEqual(marker);
    expect(isMarkerManifestFor(supportMarkerTag(image), artifact.manifest)).toBe(true);
    expect(isMarkerManifestFor(supportMarkerTag(`sha256:${'cd'.repeat(32)}`), artifact.manifest)).toBe(false);
  });

  it('refuses a marker whose subject is not the descriptor it is written for', () => {
    expect(() => supportMarkerArtifact(marker, { ...subject, digest: `sha256:${'cd'.repeat(32)}` })).toThrow(
      /is about sha256:abab.* names sha256:cdcd/,
    );
  });

  it.each([
    ['a ban id with a comma', { ...marker, bans: [{ banId: 'a,b', reason: 'x' }] }],
    ['a ban id with a space', { ...marker, bans: [{ banId: 'a b', reason: 'x' }] }],
    ['a time that is not ISO', { ...marker, at: 'yesterday' }],
    ['an upper-case digest', { ...marker, subject: image.toUpperCase() }],
    ['an unknown field', { ...marker, extra: 1 }],
  ])('refuses %s', (_what, bad) => {
    expect(() => supportMarkerArtifact(bad as SupportMarker, subject)).toThrow(
      expect.objectContaining({ code: 'SUPPORT_MARKER_INVALID' }),
    );
  });

  it.each([
    ['not JSON', () => 'nope'],
    ['an image manifest', (m: Record<string, unknown>) => ({ ...m, artifactType: undefined })],
    ['another artifact type', (m: Record<string, unknown>) => ({ ...m, artifactType: 'application/x' })],
    ['two layers', (m: { layers: unknown[] }) => ({ ...m, layers: [...m.layers, ...m.layers] })],
    ['an extra field', (m: Record<string, unknown>) => ({ ...m, LAYERS: [] })],
    [
      'a layer with urls',
      (m: { layers: object[] }) => ({ ...m, layers: [{ ...m.layers[0], urls: ['http://x'] }] }),
    ],
    ['no subject', (m: Record<string, unknown>) => ({ ...m, subject: undefined })],
  ])('does not take %s for a marker manifest', (_what, change) => {
    const manifest = JSON.parse(supportMarkerArtifact(marker, subject).manifest);
    const changed = change(manifest);
    const text = typeof changed === 'string' ? changed : JSON.stringify(changed);
    expect(parseSupportMarkerManifest(text)).toBeUndefined();
  });

  it('refuses a layer that does not match its digest or names another image', () => {
    const artifact = supportMarkerArtifact(marker, subject);
    const manifest = parseSupportMarkerManifest(artifact.manifest)!;
    expect(() => parseSupportMarkerLayer(manifest, artifact.layer.replace('ban-1', 'ban-9'))).toThrow(
      /does not match its digest/,
    );
    const foreign = JSON.stringify({ ...marker, subject: `sha256:${'cd'.repeat(32)}` });
    const relabelled = {
      ...manifest,
      layers: [{ ...manifest.layers[0], digest: digestOfText(foreign) }],
    } as typeof manifest;
    expect(() => parseSupportMarkerLayer(relabelled, foreign)).toThrow(
      /names sha256:cdcd.* about sha256:abab/,
    );
  });
});
