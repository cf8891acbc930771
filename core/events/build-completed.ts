import * as z from 'zod';
import { BaseImage, buildSubject, Digest, eventEnvelope, NonEmpty } from './envelope.js';

/** Detail-type of a build that produced an image (not yet tested or pushed). */
export const BUILD_COMPLETED = 'Build Completed';

/** A built image in local storage: its id (config digest), the local reference to test it by, and the build log. */
export const BuildCompletedDetail = z.strictObject({
  ...buildSubject,
  imageRef: NonEmpty,
  configDigest: Digest,
  bases: z.array(BaseImage),
  durationMs: z.number().int().min(0),
  logPath: z.string().optional(),
  logTail: z.string(),
});

/** A `Build Completed` event. */
export const BuildCompletedEvent = eventEnvelope(BUILD_COMPLETED, BuildCompletedDetail);

export type BuildCompletedDetail = z.infer<typeof BuildCompletedDetail>;
export type BuildCompletedEvent = z.infer<typeof BuildCompletedEvent>;
