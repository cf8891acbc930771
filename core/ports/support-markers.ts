/** Why an image is unsupported, as its registry marker says: the bans that cover it. */
export interface SupportMarker {
  /** Manifest digest of the image the marker is about. */
  readonly subject: string;
  readonly unsupported: boolean;
  readonly bans: readonly { readonly banId: string; readonly reason: string }[];
  /** ISO time the marker was written. */
  readonly at: string;
}

/**
 * Cosign-style marker tags next to images in the registry (`<repository>:sha256-<hex>.unsupported`, a small OCI
 * artifact holding the marker as JSON), so that a tool that sees only the registry can check support too.
 */
export interface SupportMarkers {
  /** Writes (or replaces) the marker of an image; only the pipeline identity may. */
  put(repository: string, marker: SupportMarker): Promise<void>;
  /** The marker of an image, or undefined when it has none. */
  get(repository: string, digest: string): Promise<SupportMarker | undefined>;
}

/** The marker tag of an image digest: `sha256-<hex>.unsupported`. */
export function supportMarkerTag(digest: string): string {
  return `${digest.replace(':', '-')}.unsupported`;
}
