import * as z from 'zod';
import { eventEnvelope, NonEmpty, Timestamp } from './envelope.js';

/** Detail-type of a ban ops lifted. */
export const BASE_IMAGE_UNBANNED = 'Base Image Unbanned';

/** Which ban was lifted, by whom and when. */
export const BaseImageUnbannedDetail = z.strictObject({
  banId: NonEmpty,
  ref: NonEmpty,
  by: NonEmpty,
  at: Timestamp,
});

/** A `Base Image Unbanned` event. */
export const BaseImageUnbannedEvent = eventEnvelope(BASE_IMAGE_UNBANNED, BaseImageUnbannedDetail);

export type BaseImageUnbannedDetail = z.infer<typeof BaseImageUnbannedDetail>;
export type BaseImageUnbannedEvent = z.infer<typeof BaseImageUnbannedEvent>;
