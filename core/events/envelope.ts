import * as z from 'zod';
import { CommitId, Digest, NonEmpty, Timestamp } from './primitives.js';
import { Rebuild } from './rebuild.js';

// The field schemas live apart so that rebuild.ts, which this file imports, can use them without a cycle.
export { CommitId, Digest, NonEmpty, Timestamp } from './primitives.js';

/** The `source` of every drydock event, as EventBridge carries it. */
export const EVENT_SOURCE = 'drydock';

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
