import * as z from 'zod';
import { buildSubject, eventEnvelope, NonEmpty } from './envelope.js';

/** Detail-type of a build, test or push that failed for good (or a gate request a queue gave up on). */
export const BUILD_FAILED = 'Build Failed';

/** Which step failed, why, and the end of its log, so the team sees the cause without opening the log. */
export const BuildFailedDetail = z.strictObject({
  ...buildSubject,
  // `gate`: the gate's message was dead-lettered before it gave a verdict (see `failDeadLettered`).
  stage: z.enum(['gate', 'build', 'test', 'push']),
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
