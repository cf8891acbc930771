import * as z from 'zod';
import { BaseImage, CommitId, Digest, eventEnvelope, NonEmpty } from './envelope.js';
import { Rebuild } from './rebuild.js';

export { BaseImage } from './envelope.js';

/** Detail-type of an image pushed to the guarded registry; lineage is recorded from it. */
export const IMAGE_PUBLISHED = 'Image Published';

/** A base image the published image was built on: the normalised reference and the digest actually pulled. */

/** The published image (manifest digest, config digest, reference), its bases, and the source it came from. */
export const ImagePublishedDetail = z.strictObject({
  buildId: NonEmpty.optional(),
  ref: NonEmpty,
  digest: Digest,
  configDigest: Digest,
  bases: z.array(BaseImage),
  definition: NonEmpty,
  repository: NonEmpty,
  commit: CommitId,
  correlationId: NonEmpty.optional(),
  /** Set when the image is a ban's rebuild. */
  rebuild: Rebuild.optional(),
});

/** An `Image Published` event. */
export const ImagePublishedEvent = eventEnvelope(IMAGE_PUBLISHED, ImagePublishedDetail);

export type ImagePublishedDetail = z.infer<typeof ImagePublishedDetail>;
export type ImagePublishedEvent = z.infer<typeof ImagePublishedEvent>;
