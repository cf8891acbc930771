import { BAN_STEP_EMITS, handleBanEvent } from '../ban/ban-step.js';
import { BAND_AID_STEP_EMITS, handleBandAidEvent } from '../ban/band-aid-step.js';
import { handleRebuildEvent, REBUILD_STEP_EMITS } from '../ban/rebuild-step.js';
import { BAND_AID_REQUESTED } from '../events/band-aid-requested.js';
import { BASE_IMAGE_BANNED } from '../events/base-image-banned.js';
import { BASE_IMAGE_UNBANNED } from '../events/base-image-unbanned.js';
import { BUILD_FAILED } from '../events/build-failed.js';
import { DEFINITION_VERDICT } from '../events/definition-verdict.js';
import { IMAGE_PUBLISHED } from '../events/image-published.js';
import { IMAGE_TESTED } from '../events/image-tested.js';
import { defineStep } from './step.js';

/** The ban step: plans the response to a ban (or undoes it on unban), marks images, dispatches rebuilds and band-aids. */
export const banStep = defineStep({
  name: 'ban',
  description: 'Plans and starts the response to a ban, or undoes it when the ban is lifted.',
  consumes: [BASE_IMAGE_BANNED, BASE_IMAGE_UNBANNED],
  emits: BAN_STEP_EMITS,
  ports: [
    'bus',
    'clock',
    'policy',
    'bans',
    'lineage',
    'fleet',
    'admission',
    'markers',
    'banPlan',
    'records',
    'dispatchLock',
    'buildConcurrency',
  ],
  handle: (event, p) =>
    handleBanEvent(event, {
      store: p.bans,
      lineage: p.lineage,
      fleet: p.fleet,
      admission: p.admission,
      markers: p.markers,
      plan: p.banPlan,
      records: p.records,
      bus: p.bus,
      clock: p.clock,
      policy: p.policy,
      lock: p.dispatchLock,
      buildConcurrency: p.buildConcurrency,
    }),
});

/** The rebuild step: follows each rebuild to its end and releases the rebuilds that waited for it. */
export const rebuildsStep = defineStep({
  name: 'rebuilds',
  description:
    'Follows each rebuild to its end (published, or failed at the gate, build, tests or push) and starts the rebuilds that waited for it.',
  consumes: [IMAGE_PUBLISHED, BUILD_FAILED, DEFINITION_VERDICT, IMAGE_TESTED],
  emits: REBUILD_STEP_EMITS,
  ports: [
    'bus',
    'clock',
    'policy',
    'bans',
    'lineage',
    'records',
    'source',
    'dispatchLock',
    'buildConcurrency',
  ],
  handle: (event, p) =>
    handleRebuildEvent(event, {
      store: p.bans,
      lineage: p.lineage,
      records: p.records,
      source: p.source,
      bus: p.bus,
      clock: p.clock,
      policy: p.policy,
      lock: p.dispatchLock,
      buildConcurrency: p.buildConcurrency,
    }),
});

/** The band-aid step: runs an approved band-aid in the containers of one batch of hosts. */
export const bandAidsStep = defineStep({
  name: 'band-aids',
  description: 'Runs an approved band-aid in the containers of one batch of hosts, and records each result.',
  consumes: [BAND_AID_REQUESTED],
  emits: BAND_AID_STEP_EMITS,
  ports: ['clock', 'policy', 'bans', 'fleet'],
  handle: (event, p) =>
    handleBandAidEvent(event, { store: p.bans, fleet: p.fleet, clock: p.clock, policy: p.policy }),
});
