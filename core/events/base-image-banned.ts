import * as z from 'zod';
import { eventEnvelope, NonEmpty, Timestamp } from './envelope.js';

/** Detail-type of a ban ops published on a base image. */
export const BASE_IMAGE_BANNED = 'Base Image Banned';

/** A band-aid the ban names, by its id in the policy's approved list, with its parameter values (checked again before it runs). */
export const BandAidUse = z.strictObject({
  id: NonEmpty,
  params: z.record(z.string(), z.string()),
});

/** One ban: the normalised image pattern, why, what to build on instead, the band-aids to run, who and when. */
export const BaseImageBannedDetail = z.strictObject({
  banId: NonEmpty,
  /** The banned pattern, normalised like the policy's `banned[].image` (`busybox:1.36.0` → `docker.io/library/busybox:1.36.0`). */
  ref: NonEmpty,
  reason: NonEmpty,
  replacement: NonEmpty.optional(),
  bandAids: z.array(BandAidUse),
  by: NonEmpty,
  at: Timestamp,
});

/** A `Base Image Banned` event. */
export const BaseImageBannedEvent = eventEnvelope(BASE_IMAGE_BANNED, BaseImageBannedDetail);

export type BandAidUse = z.infer<typeof BandAidUse>;
export type BaseImageBannedDetail = z.infer<typeof BaseImageBannedDetail>;
export type BaseImageBannedEvent = z.infer<typeof BaseImageBannedEvent>;
