import * as z from 'zod';
import { buildSubject, eventEnvelope, NonEmpty } from './envelope.js';

/** Detail-type of a build, test or push that failed for good. */
export const BUILD_FAILED = 'Build Failed';

/** Which step failed, why, and the end of its log, so the team sees the cause without opening the log. */
export const BuildFailedDetail = z.strictObject({
  ...buildSubject,
  stage: z.enum(['build', 'test', 'push']),
  reason: NonEmpty,
  exitCode: z.number().int().optional(),
  durationMs: z.number().int().min(0).optional(),
  logPath: z.string().optional(),
  logTail: z.string(),
});

/** A `Build Failed` event. */
export const BuildFailedEvent = eventEnvelope(BUILD_FAILED, BuildFailedDetail);

export type BuildFailedDetail = z.infer<typeof BuildFailedDetail>;
export type BuildFailedEvent = z.infer<typeof BuildFailedEvent>;
