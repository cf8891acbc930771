import type { BaseImage, ImagePublishedEvent } from '../events/image-published.js';

/** A published image with its bases and the source it was built from. */
export interface ImageRecord {
  readonly digest: string;
  readonly ref: string;
  readonly configDigest: string;
  readonly repository: string;
  readonly definition: string;
  readonly commit: string;
  readonly bases: readonly BaseImage[];
  /** The `time` of the Image Published event. */
  readonly publishedAt: string;
  /** The id of the event it was recorded from. */
  readonly eventId: string;
}

/** An image built on the queried digest, directly (depth 1) or through other images (depth 2, 3 …). */
export interface DescendantImage {
  readonly image: ImageRecord;
  /** The longest chain of images from the queried digest down to this one, so that sorting by depth rebuilds bases first. */
  readonly depth: number;
}

/** Which image was built from which bases; answers "every image built on X, transitively". */
export interface LineageStore {
  /** Records a published image once per digest; recording it again changes nothing and returns false. */
  record(event: ImagePublishedEvent): Promise<boolean>;
  image(digest: string): Promise<ImageRecord | undefined>;
  /** Every image whose bases include the digest, and every image built on those, recursively; by depth, then digest. */
  imagesBuiltOn(digest: string): Promise<DescendantImage[]>;
  /**
   * Every image built on any of the digests, transitively, each once with its deepest depth (1: built directly
   * on one of them); by depth, then digest.
   */
  imagesBuiltOnAny(digests: readonly string[]): Promise<DescendantImage[]>;
  /** Every distinct (name, digest) recorded as a base of some image. */
  baseReferences(): Promise<BaseImage[]>;
  /** The newest published image of a definition (repository + path), if any. */
  newestOf(repository: string, definition: string): Promise<ImageRecord | undefined>;
  /** Recorded images, newest first, at most `limit`. */
  list(options?: { readonly limit?: number; readonly repository?: string }): Promise<ImageRecord[]>;
}
