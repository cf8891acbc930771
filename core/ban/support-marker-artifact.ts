import { createHash } from 'node:crypto';
import { z } from 'zod';
import { DrydockError } from '../errors.js';
import type { SupportMarker } from '../ports/support-markers.js';

/** Media type of an OCI image manifest, the shape a marker artifact takes. */
export const OCI_MANIFEST_TYPE = 'application/vnd.oci.image.manifest.v1+json';
/** The marker's artifact type, and the media type of its one layer (the SupportMarker JSON). */
export const SUPPORT_MARKER_TYPE = 'application/vnd.drydock.support-marker.v1+json';
/** Media type of the OCI empty descriptor (`{}`), the config of an artifact without one. */
export const OCI_EMPTY_TYPE = 'application/vnd.oci.empty.v1+json';
/** The bytes of the OCI empty config blob. */
export const OCI_EMPTY_BLOB = '{}';
/** Annotation naming the bans that cover the image, comma-separated. */
export const BAN_ANNOTATION = 'io.drydock.ban';
const CREATED_ANNOTATION = 'org.opencontainers.image.created';

/** A marker tag exactly: `sha256-` and 64 lower-case hex digits, `.unsupported`, nothing else. */
export const SUPPORT_MARKER_TAG = /^sha256-([0-9a-f]{64})\.unsupported$/;

const DIGEST = /^sha256:[0-9a-f]{64}$/;
const Digest = z.string().regex(DIGEST);
// Ban ids go into an annotation joined by commas, so they may not hold one (nor spaces or controls).
const BanId = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9._:@/-]+$/);

/** The zod schema of a SupportMarker, as the marker layer holds it. */
export const SupportMarkerSchema = z.strictObject({
  subject: Digest,
  unsupported: z.boolean(),
  bans: z.array(z.strictObject({ banId: BanId, reason: z.string().max(16_000) })).max(1000),
  at: z.iso.datetime({ offset: true }),
});

const Descriptor = z.strictObject({
  mediaType: z.string().min(1).max(255),
  digest: Digest,
  size: z.number().int().nonnegative(),
});

/**
 * A marker manifest exactly as drydock writes it. Unknown fields are refused, not ignored: the registry (Go)
 * matches JSON keys without regard to case, so an extra `LAYERS` would be what it stores while `layers` is
 * what this check saw.
 */
const MarkerManifestSchema = z.strictObject({
  schemaVersion: z.literal(2),
  mediaType: z.literal(OCI_MANIFEST_TYPE),
  artifactType: z.literal(SUPPORT_MARKER_TYPE),
  config: Descriptor.extend({ mediaType: z.literal(OCI_EMPTY_TYPE) }),
  layers: z.tuple([Descriptor.extend({ mediaType: z.literal(SUPPORT_MARKER_TYPE) })]),
  subject: Descriptor,
  annotations: z.record(z.string(), z.string()),
});

/** A marker manifest as read back: its layer's descriptor and the image it is about. */
export type SupportMarkerManifest = z.infer<typeof MarkerManifestSchema>;

/** The image a marker is about: its manifest descriptor, as the registry serves it. */
export interface MarkerSubject {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
}

/** Bytes of a marker artifact: the manifest, its layer (the marker JSON) and its config (the empty blob). */
export interface SupportMarkerArtifact {
  readonly manifest: string;
  readonly layer: string;
  readonly config: string;
}

/** A marker or a marker artifact that drydock does not accept. */
export class SupportMarkerInvalidError extends DrydockError {
  override readonly name = 'SupportMarkerInvalidError';

  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { code: 'SUPPORT_MARKER_INVALID', ...options });
  }
}

/** The image a marker would be written for is not in the repository. */
export class MarkerSubjectNotFoundError extends DrydockError {
  override readonly name = 'MarkerSubjectNotFoundError';

  constructor(where: string, digest: string) {
    super(`cannot mark ${where}@${digest}: no such image manifest in the registry`, {
      code: 'MARKER_SUBJECT_NOT_FOUND',
    });
  }
}

/** `sha256:<hex>` of some text, as a registry names a blob. */
export const digestOfText = (text: string): string =>
  `sha256:${createHash('sha256').update(text, 'utf8').digest('hex')}`;

/** The image digest a marker tag is about (`sha256-<hex>.unsupported` → `sha256:<hex>`), undefined for any other tag. */
export function markerTagSubject(tag: string): string | undefined {
  const hex = SUPPORT_MARKER_TAG.exec(tag)?.[1];
  return hex === undefined ? undefined : `sha256:${hex}`;
}

const describeIssues = (error: z.ZodError): string =>
  error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');

/** Checks a marker before it is written: its schema, and that `subject` is the image the descriptor names. */
export function validateSupportMarker(marker: SupportMarker, subject: MarkerSubject): SupportMarker {
  const parsed = SupportMarkerSchema.safeParse(marker);
  if (!parsed.success) {
    throw new SupportMarkerInvalidError(`invalid support marker: ${describeIssues(parsed.error)}`);
  }
  if (parsed.data.subject !== subject.digest) {
    throw new SupportMarkerInvalidError(
      `support marker is about ${parsed.data.subject} but its subject descriptor names ${subject.digest}`,
    );
  }
  return parsed.data;
}

/** The OCI artifact of a marker: an image manifest whose subject is the image and whose one layer is the marker. */
export function supportMarkerArtifact(marker: SupportMarker, subject: MarkerSubject): SupportMarkerArtifact {
  const valid = validateSupportMarker(marker, subject);
  const layer = JSON.stringify(valid);
  const manifest = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST_TYPE,
    artifactType: SUPPORT_MARKER_TYPE,
    config: { mediaType: OCI_EMPTY_TYPE, digest: digestOfText(OCI_EMPTY_BLOB), size: OCI_EMPTY_BLOB.length },
    layers: [{ mediaType: SUPPORT_MARKER_TYPE, digest: digestOfText(layer), size: Buffer.byteLength(layer) }],
    subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
    annotations: {
      [BAN_ANNOTATION]: valid.bans.map((b) => b.banId).join(','),
      [CREATED_ANNOTATION]: valid.at,
    },
  };
  return { manifest: JSON.stringify(manifest), layer, config: OCI_EMPTY_BLOB };
}

/** The marker manifest in some bytes, or undefined when they are not one (another artifact, an image, not JSON). */
export function parseSupportMarkerManifest(text: string): SupportMarkerManifest | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = MarkerManifestSchema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}

/** True when `text` is a marker manifest for exactly the image its marker `tag` names. */
export function isMarkerManifestFor(tag: string, text: string): boolean {
  const subject = markerTagSubject(tag);
  return subject !== undefined && parseSupportMarkerManifest(text)?.subject.digest === subject;
}

/**
 * Reads a marker layer fetched for `manifest`: its bytes must hash to the layer's digest and hold a valid
 * marker about the manifest's subject, else the registry served something drydock did not write.
 */
export function parseSupportMarkerLayer(manifest: SupportMarkerManifest, layer: string): SupportMarker {
  const descriptor = manifest.layers[0];
  if (digestOfText(layer) !== descriptor.digest) {
    throw new SupportMarkerInvalidError(
      `support marker layer does not match its digest ${descriptor.digest} (marker of ${manifest.subject.digest})`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(layer);
  } catch (error) {
    throw new SupportMarkerInvalidError(`support marker of ${manifest.subject.digest} is not JSON`, {
      cause: error,
    });
  }
  const parsed = SupportMarkerSchema.safeParse(json);
  if (!parsed.success) {
    throw new SupportMarkerInvalidError(
      `support marker of ${manifest.subject.digest} is invalid: ${describeIssues(parsed.error)}`,
    );
  }
  if (parsed.data.subject !== manifest.subject.digest) {
    throw new SupportMarkerInvalidError(
      `support marker names ${parsed.data.subject} but its manifest is about ${manifest.subject.digest}`,
    );
  }
  return parsed.data;
}
