import { DrydockError } from '../errors.js';
import { BAND_AID_REQUESTED, type BandAidRequestedEvent } from '../events/band-aid-requested.js';
import { BASE_IMAGE_BANNED, type BaseImageBannedEvent } from '../events/base-image-banned.js';
import { BASE_IMAGE_UNBANNED, type BaseImageUnbannedEvent } from '../events/base-image-unbanned.js';
import { EVENT_SOURCE } from '../events/envelope.js';
import { stableId } from '../events/ids.js';
import type { DrydockEvent } from '../events/index.js';
import type { BanRecord, MarkedImage } from '../ports/ban-store.js';
import { definitionKey } from '../ports/ban-store.js';
import type { Fleet } from '../ports/fleet.js';
import type { LineageStore } from '../ports/lineage-store.js';
import type { BanPlan, PlannedBandAid } from './ban-plan.js';
import { rewriteSupport, SupportMarkerError, type SupportPorts } from './ban-support.js';
import { type DispatchPorts, dispatchRebuilds } from './dispatch-rebuilds.js';
import { type PlanBanPorts, planBan } from './plan-ban.js';
import { outcomeEvent } from './rebuild-outcomes.js';
import { settleWaitingRebuilds, stampRemediatedWhenDone } from './settle-rebuilds.js';

/** What the ban step needs: the ban store, lineage, fleet, admission, markers, the bus, and what planning reads. */
export interface BanStepPorts extends DispatchPorts, SupportPorts {
  readonly lineage: LineageStore;
  readonly fleet: Fleet;
  /** What `planBan` reads (lineage, fleet, registry tags). */
  readonly plan: PlanBanPorts;
}

/** A ban whose response cannot be planned (its ref, replacement or band-aid is refused by the policy in force). */
export class BanPlanError extends DrydockError {
  override readonly name = 'BanPlanError';
  readonly banId: string;

  constructor(banId: string, problem: string) {
    super(`ban ${banId} cannot be carried out: ${problem}`, { code: 'BAN_PLAN_FAILED' });
    this.banId = banId;
  }
}

// The plan's affected images carry more than the store keeps (commit, publishedAt).
const toMarked = (image: MarkedImage): MarkedImage => ({
  digest: image.digest,
  configDigest: image.configDigest,
  ref: image.ref,
  repository: image.repository,
  definition: image.definition,
  depth: image.depth,
});

/** The `Band-Aid Requested` of one batch: its id names the containers, so a batch of new containers is a new event. */
export function bandAidRequest(
  ban: BanRecord,
  bandAid: PlannedBandAid,
  batch: number,
  time: string,
): BandAidRequestedEvent | undefined {
  const containers = bandAid.batches[batch] ?? [];
  if (containers.length === 0) return undefined;
  const targets = containers.map((c) => ({
    containerId: c.id,
    host: c.host,
    imageDigest: c.imageDigest ?? c.configDigest,
  }));
  return {
    id: stableId(
      'band-aid-requested',
      ban.banId,
      bandAid.bandAidId,
      ...targets.map((t) => t.containerId).sort(),
    ),
    source: EVENT_SOURCE,
    detailType: BAND_AID_REQUESTED,
    time,
    detail: { banId: ban.banId, bandAidId: bandAid.bandAidId, params: { ...bandAid.params }, batch, targets },
  };
}

/**
 * Responds to a ban: records it (idempotent), plans it with the policy in force, marks every affected image
 * unsupported and rewrites the admission list before anything else, writes the registry markers, records the
 * rebuilds (reported ones are told at once) and the band-aid runs, publishes one `Band-Aid Requested` per batch,
 * dispatches the rebuilds that may start, and stamps the times. A redelivery re-publishes the same ids and
 * starts nothing twice.
 */
export async function respondToBan(
  event: BaseImageBannedEvent,
  ports: BanStepPorts,
): Promise<BanPlan | undefined> {
  const d = event.detail;
  // A redelivery after the ban was lifted must not bring it back.
  if ((await ports.store.get(d.banId))?.state === 'lifted') return undefined;
  const { ban } = await ports.store.create({
    banId: d.banId,
    ref: d.ref,
    reason: d.reason,
    ...(d.replacement === undefined ? {} : { replacement: d.replacement }),
    bandAids: d.bandAids,
    by: d.by,
    at: d.at,
  });
  // Lifted before this delivery: nothing to protect any more.
  if (ban.state !== 'active') return undefined;
  const policy = await ports.policy();
  const planned = await planBan(
    {
      ban: {
        banId: ban.banId,
        ref: ban.ref,
        reason: ban.reason,
        ...(ban.replacement === undefined ? {} : { replacement: ban.replacement }),
        bandAids: ban.bandAids,
      },
      policy,
    },
    ports.plan,
  );
  if (!planned.ok) throw new BanPlanError(ban.banId, planned.error);
  const plan = planned.plan;

  // Protection first: admission refuses the images before anything is rebuilt or run.
  await ports.store.markUnsupported(ban.banId, plan.affected.map(toMarked));
  const markerFailures = await rewriteSupport(ports, await ports.store.marked(ban.banId));

  const recorded = await ports.store.addRebuilds(ban.banId, plan.rebuilds);
  const time = ports.clock.now().toISOString();
  const reported = recorded.filter((r) => r.state === 'reported').map((r) => outcomeEvent(ban, r, time));
  if (reported.length) await ports.bus.publish(reported);

  const requests: BandAidRequestedEvent[] = [];
  for (const bandAid of plan.bandAids) {
    const runs = bandAid.batches.flat().map((c) => ({
      banId: ban.banId,
      bandAidId: bandAid.bandAidId,
      containerId: c.id,
      host: c.host,
      imageDigest: c.imageDigest ?? c.configDigest,
    }));
    if (runs.length) await ports.store.addBandAidRuns(runs);
    bandAid.batches.forEach((_, batch) => {
      const request = bandAidRequest(ban, bandAid, batch, time);
      if (request) requests.push(request);
    });
  }
  if (requests.length) await ports.bus.publish(requests);

  await settleWaitingRebuilds(ban, ports);
  await dispatchRebuilds(ports);
  const now = ports.clock.now().toISOString();
  await ports.store.stamp(ban.banId, 'plannedAt', now);
  const runs = await ports.store.bandAidRuns(ban.banId);
  if (runs.every((r) => !['pending', 'running'].includes(r.state))) {
    await ports.store.stamp(ban.banId, 'protectedAt', now);
  }
  await stampRemediatedWhenDone(ban, ports);
  // Reported last, so that everything else of the response is done and recorded first.
  if (markerFailures.length) throw new SupportMarkerError(markerFailures);
  return plan;
}

/**
 * Undoes what a lifted ban still holds: rebuilds not started are `cancelled` (and told), pending band-aid runs
 * are `skipped`, and admission and the markers are rewritten so that images no other active ban covers are
 * supported again. What ran stays recorded. Lifting the ban in the store is idempotent; the policy entry is the
 * API's to remove.
 */
export async function respondToUnban(event: BaseImageUnbannedEvent, ports: BanStepPorts): Promise<void> {
  const d = event.detail;
  const ban = await ports.store.lift(d.banId, d.by, d.at);
  if (ban?.state !== 'lifted') return;
  const time = ports.clock.now().toISOString();
  const cancelled = [];
  for (const rebuild of await ports.store.rebuilds(ban.banId)) {
    const key = definitionKey(rebuild.repository, rebuild.definition);
    const moved = await ports.store.updateRebuild(ban.banId, key, ['waiting', 'ready'], {
      state: 'cancelled',
      reason: `the ban was lifted by ${d.by} before the rebuild started`,
    });
    if (moved) cancelled.push(outcomeEvent(ban, moved, time));
    // A cancelled rebuild that was told before a crash is told again under the same id: the bus drops it.
    else if (rebuild.state === 'cancelled') cancelled.push(outcomeEvent(ban, rebuild, time));
  }
  if (cancelled.length) await ports.bus.publish(cancelled);
  for (const run of await ports.store.bandAidRuns(ban.banId)) {
    if (run.state !== 'pending') continue;
    await ports.store.finishBandAidRun(
      ban.banId,
      run.bandAidId,
      run.containerId,
      { state: 'skipped', reason: 'ban lifted' },
      time,
    );
  }
  const markerFailures = await rewriteSupport(ports, await ports.store.marked(ban.banId));
  // Slots held by nothing now may go to another ban's rebuilds.
  await dispatchRebuilds(ports);
  if (markerFailures.length) throw new SupportMarkerError(markerFailures);
}

/** Handles one event of the `ban` target; other detail-types are not this step's and are ignored. */
export async function handleBanEvent(event: DrydockEvent, ports: BanStepPorts): Promise<void> {
  if (event.detailType === BASE_IMAGE_BANNED) await respondToBan(event, ports);
  else if (event.detailType === BASE_IMAGE_UNBANNED) await respondToUnban(event, ports);
}
