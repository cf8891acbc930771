import * as z from 'zod';
import { eventEnvelope, NonEmpty } from './envelope.js';

/** Detail-type of one batch of band-aid runs: one approved band-aid for the containers of a few hosts. */
export const BAND_AID_REQUESTED = 'Band-Aid Requested';

/** A container the band-aid is to run in. */
export const BandAidTarget = z.strictObject({ containerId: NonEmpty, host: NonEmpty, imageDigest: NonEmpty });

/**
 * Runs the policy's band-aid `bandAidId` with `params` in each target container. The command is never in the
 * event: the step looks the id up in the policy in force and checks the parameters again before anything runs.
 * A batch holds at most 50 hosts (one SSM SendCommand on AWS).
 */
export const BandAidRequestedDetail = z.strictObject({
  banId: NonEmpty,
  bandAidId: NonEmpty,
  params: z.record(z.string(), z.string()),
  batch: z.number().int().min(0),
  targets: z.array(BandAidTarget).min(1),
});

/** A `Band-Aid Requested` event. */
export const BandAidRequestedEvent = eventEnvelope(BAND_AID_REQUESTED, BandAidRequestedDetail);

export type BandAidTarget = z.infer<typeof BandAidTarget>;
export type BandAidRequestedDetail = z.infer<typeof BandAidRequestedDetail>;
export type BandAidRequestedEvent = z.infer<typeof BandAidRequestedEvent>;
