import * as z from 'zod';
import { CommitId, eventEnvelope, NonEmpty } from './envelope.js';
import { Rebuild } from './rebuild.js';

/** Detail-type of one definition of a push, handed to the gate on its own. */
export const DEFINITION_GATE_REQUESTED = 'Definition Gate Requested';

/**
 * One added or modified definition of a push, to be gated alone: the gate takes a push apart into these, so a
 * push of many definitions is many small messages that queues interleave with other repositories' work.
 */
export const DefinitionGateRequestedDetail = z.strictObject({
  repository: NonEmpty,
  commit: CommitId,
  definition: NonEmpty,
  change: z.enum(['added', 'modified']),
  /** The id of the `Definition Pushed` event it came from; builds carry it on. */
  correlationId: NonEmpty,
  /** Set when a ban asks for the definition to be rebuilt; the gate applies its substitutions first. */
  rebuild: Rebuild.optional(),
});

/** A `Definition Gate Requested` event. */
export const DefinitionGateRequestedEvent = eventEnvelope(
  DEFINITION_GATE_REQUESTED,
  DefinitionGateRequestedDetail,
);

export type DefinitionGateRequestedDetail = z.infer<typeof DefinitionGateRequestedDetail>;
export type DefinitionGateRequestedEvent = z.infer<typeof DefinitionGateRequestedEvent>;
