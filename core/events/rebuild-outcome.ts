import * as z from 'zod';
import { CommitId, Digest, eventEnvelope, NonEmpty } from './envelope.js';

/** Detail-type of what became of one definition a ban affected; teams are told, dashboards count. */
export const REBUILD_OUTCOME = 'Rebuild Outcome';

/**
 * - `published`: rebuilt on `base` and published as `ref`; `fromChange` is the one-line FROM diff to make in git.
 * - `failed`: the rebuild's gate, build, tests or push failed (`reason`).
 * - `reported`: not rebuilt: no approved base to substitute, or a base rebuild it waits for did not publish.
 * - `superseded`: a newer push of the definition came first. `cancelled`: the ban was lifted before it started.
 */
export const RebuildOutcomeDetail = z.strictObject({
  banId: NonEmpty,
  banRef: NonEmpty,
  banReason: NonEmpty,
  repository: NonEmpty,
  definition: NonEmpty,
  commit: CommitId,
  number: z.number().int().min(1),
  of: Digest,
  state: z.enum(['published', 'failed', 'reported', 'superseded', 'cancelled']),
  reason: z.string().optional(),
  /** The base the rebuild used instead of the banned one. */
  base: z.strictObject({ from: NonEmpty, to: NonEmpty }).optional(),
  ref: NonEmpty.optional(),
  digest: Digest.optional(),
  /** The change to make in source control, as a unified one-line diff of the FROM line. */
  fromChange: z.string().optional(),
});

/** A `Rebuild Outcome` event. */
export const RebuildOutcomeEvent = eventEnvelope(REBUILD_OUTCOME, RebuildOutcomeDetail);

export type RebuildOutcomeDetail = z.infer<typeof RebuildOutcomeDetail>;
export type RebuildOutcomeEvent = z.infer<typeof RebuildOutcomeEvent>;
