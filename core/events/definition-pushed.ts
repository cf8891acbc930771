import * as z from 'zod';
import { CommitId, eventEnvelope, NonEmpty } from './envelope.js';

/** Detail-type of a push that touched container definitions. */
export const DEFINITION_PUSHED = 'Definition Pushed';

/** One definition file a push added, modified or deleted. */
export const DefinitionChange = z.strictObject({
  path: NonEmpty,
  change: z.enum(['added', 'modified', 'deleted']),
});

/** A push to a definitions repository: which ref moved from which commit to which, by whom, touching what. */
export const DefinitionPushedDetail = z.strictObject({
  repository: NonEmpty,
  ref: NonEmpty,
  // A branch creation has no `before`; git writes forty zeros, and so do we.
  before: CommitId,
  after: CommitId,
  pusher: NonEmpty,
  definitions: z.array(DefinitionChange),
});

/** A `Definition Pushed` event. */
export const DefinitionPushedEvent = eventEnvelope(DEFINITION_PUSHED, DefinitionPushedDetail);

export type DefinitionPushedDetail = z.infer<typeof DefinitionPushedDetail>;
export type DefinitionPushedEvent = z.infer<typeof DefinitionPushedEvent>;
