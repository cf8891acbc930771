import * as z from 'zod';
import { digestProblem } from '../image-ref/digest.js';
import { Rebuild } from './rebuild.js';

/** The `source` of every drydock event, as EventBridge carries it. */
export const EVENT_SOURCE = 'drydock';

/** A git commit id: 40 (SHA-1) or 64 (SHA-256) lower-case hex characters. */
export const CommitId = z
  .string()
  .regex(/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/, { error: 'must be a full git commit id (40 or 64 hex)' });

/** A content digest (`sha256:<64 hex>`), checked with the distribution digest grammar. */
export const Digest = z.string().superRefine((value, ctx) => {
  const problem = digestProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem.problem, input: value });
});

/** Text that must not be empty. */
export const NonEmpty = z.string().min(1, { error: 'must not be empty' });

/** An ISO 8601 timestamp with a zone, as EventBridge writes `time`. */
export const Timestamp = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 timestamp' });

/**
 * The EventBridge-shaped envelope of one detail-type: `{ id, source: 'drydock', detailType, time, detail }`.
 * `replayName` mirrors EventBridge's `replay-name`, set only when an archived event is replayed.
 */
export function eventEnvelope<const T extends string, D extends z.ZodType>(detailType: T, detail: D) {
  return z.strictObject({
    id: NonEmpty,
    source: z.literal(EVENT_SOURCE),
    detailType: z.literal(detailType),
    time: Timestamp,
    replayName: NonEmpty.optional(),
    detail,
  });
}

/** The fields every event about one build carries: which build, of which definition at which commit, for which push. */
export const buildSubject = {
  buildId: NonEmpty,
  repository: NonEmpty,
  commit: CommitId,
  definition: NonEmpty,
  correlationId: NonEmpty,
  /** Set when the build is a ban's rebuild; absent for a push's build. */
  rebuild: Rebuild.optional(),
};

/** One base image an image was built on: its reference and the digest it resolved to. */
export const BaseImage = z.strictObject({ name: NonEmpty, digest: Digest });
export type BaseImage = z.infer<typeof BaseImage>;
