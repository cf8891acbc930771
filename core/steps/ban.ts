import { handleBanEvent } from '../ban/ban-step.js';
import { handleBandAidEvent } from '../ban/band-aid-step.js';
import { handleRebuildEvent } from '../ban/rebuild-step.js';
import { STEP_DECLARATIONS } from './declarations.js';
import { defineStep } from './step.js';

/** The ban step: plans the response to a ban (or undoes it on unban), marks images, dispatches rebuilds and band-aids. */
export const banStep = defineStep({
  name: 'ban',
  ...STEP_DECLARATIONS.ban,
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
  ...STEP_DECLARATIONS.rebuilds,
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
  ...STEP_DECLARATIONS['band-aids'],
  handle: (event, p) =>
    handleBandAidEvent(event, { store: p.bans, fleet: p.fleet, clock: p.clock, policy: p.policy }),
});
