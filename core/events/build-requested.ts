import * as z from 'zod';
import { buildSubject, eventEnvelope, NonEmpty } from './envelope.js';

/** Detail-type of a request to build one definition at one commit. */
export const BUILD_REQUESTED = 'Build Requested';

/** One base image the policy replaced before the build: the reference asked for and the one built on. */
export const Substitution = z.strictObject({ from: NonEmpty, to: NonEmpty, rule: NonEmpty });

/** What to build: the definition text (after substitutions), where it came from, and the correlation id of the push. */
export const BuildRequestedDetail = z.strictObject({
  ...buildSubject,
  dockerfile: z.string().min(1, { error: 'must not be empty' }),
  substitutions: z.array(Substitution),
});

/** A `Build Requested` event. */
export const BuildRequestedEvent = eventEnvelope(BUILD_REQUESTED, BuildRequestedDetail);

export type Substitution = z.infer<typeof Substitution>;
export type BuildRequestedDetail = z.infer<typeof BuildRequestedDetail>;
export type BuildRequestedEvent = z.infer<typeof BuildRequestedEvent>;
