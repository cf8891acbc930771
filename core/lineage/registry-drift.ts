/** One tag as the registry serves it. */
export interface RegistryTag {
  readonly repository: string;
  readonly tag: string;
  /** The manifest digest the tag names. */
  readonly digest: string;
  /**
   * Set on a support-marker tag (`sha256-<hex>.unsupported`) that holds a drydock marker of that image: the
   * image's digest. A marker-looking tag holding anything else has none and counts as an ordinary tag.
   */
  readonly markerOf?: string;
}

/** An image reference with the digest some record gives it (a lineage record, a base). */
export interface RecordedImage {
  /** `<registry host>/<repository>:<tag>`. */
  readonly ref: string;
  readonly digest: string;
}

/**
 * A difference between the registry and the lineage store: a tag nothing recorded (`untracked`), a recorded
 * image whose tag is gone (`missing`), or whose tag names another digest (`moved`), or a support marker of an
 * image that neither the lineage store nor the bases know in that repository (`unknown-marker`).
 */
export type RegistryDrift =
  | { readonly kind: 'untracked'; readonly ref: string; readonly registryDigest: string }
  | {
      readonly kind: 'unknown-marker';
      readonly ref: string;
      readonly registryDigest: string;
      /** The image the marker is about. */
      readonly subject: string;
    }
  | { readonly kind: 'missing'; readonly ref: string; readonly lineageDigest: string }
  | {
      readonly kind: 'moved';
      readonly ref: string;
      readonly registryDigest: string;
      readonly lineageDigest: string;
    };

/** What `findRegistryDrift` compares. */
export interface RegistryDriftInput {
  /** The registry's host in references, `127.0.0.1:<port>`. */
  readonly registryHost: string;
  /** Every tag of every repository of the registry. */
  readonly tags: readonly RegistryTag[];
  /** Every image the lineage store holds. */
  readonly images: readonly RecordedImage[];
  /** The base images ops seeded or imported: in the registry without a lineage record of their own. */
  readonly bases: readonly RecordedImage[];
}

const ORDER = { moved: 0, missing: 1, 'unknown-marker': 2, untracked: 3 } as const;

/** `<host>/<repository>` of a `<host>/<repository>:<tag>` reference. */
const repositoryOf = (ref: string): string => ref.slice(0, ref.lastIndexOf(':'));

/**
 * Compares every registry tag with the lineage store: each recorded image's tag must name its digest, and
 * each tag must belong to a recorded image or a base, or be the support marker of one in the same repository.
 * Sorted: moved, missing, unknown-marker, then untracked, each by ref.
 */
export function findRegistryDrift(input: RegistryDriftInput): RegistryDrift[] {
  const markers = input.tags.filter((t) => t.markerOf !== undefined);
  const inRegistry = new Map(
    input.tags
      .filter((t) => t.markerOf === undefined)
      .map((t) => [`${input.registryHost}/${t.repository}:${t.tag}`, t.digest]),
  );
  // Images by repository and digest: a marker is about a digest, in its own repository.
  const imagesAt = new Set(
    [...input.images, ...input.bases].map((i) => `${repositoryOf(i.ref)}@${i.digest}`),
  );
  const known = new Set(input.bases.map((b) => b.ref));
  const drift: RegistryDrift[] = [];
  for (const image of input.images) {
    known.add(image.ref);
    const current = inRegistry.get(image.ref);
    if (current === undefined) drift.push({ kind: 'missing', ref: image.ref, lineageDigest: image.digest });
    else if (current !== image.digest) {
      drift.push({ kind: 'moved', ref: image.ref, registryDigest: current, lineageDigest: image.digest });
    }
  }
  for (const [ref, digest] of inRegistry) {
    if (!known.has(ref)) drift.push({ kind: 'untracked', ref, registryDigest: digest });
  }
  for (const marker of markers) {
    const subject = marker.markerOf ?? '';
    if (imagesAt.has(`${input.registryHost}/${marker.repository}@${subject}`)) continue;
    const ref = `${input.registryHost}/${marker.repository}:${marker.tag}`;
    drift.push({ kind: 'unknown-marker', ref, registryDigest: marker.digest, subject });
  }
  return drift.sort((a, b) => ORDER[a.kind] - ORDER[b.kind] || (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
}
