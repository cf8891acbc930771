import { z } from 'zod';
import { CommitId, Digest, eventEnvelope, NonEmpty } from './envelope.js';

/** Detail-type of an image pushed to the guarded registry; lineage is recorded from it. */
export const IMAGE_PUBLISHED = 'Image Published';

/** A base image the published image was built on: the normalised reference and the digest actually pulled. */
export const BaseImage = z.strictObject({ name: NonEmpty, digest: Digest });

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
});

/** An `Image Published` event. */
export const ImagePublishedEvent = eventEnvelope(IMAGE_PUBLISHED, ImagePublishedDetail);

export type BaseImage = z.infer<typeof BaseImage>;
export type ImagePublishedDetail = z.infer<typeof ImagePublishedDetail>;
export type ImagePublishedEvent = z.infer<typeof ImagePublishedEvent>;
