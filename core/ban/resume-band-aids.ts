import { BAND_AID_REQUESTED, type BandAidRequestedEvent } from '../events/band-aid-requested.js';
import { EVENT_SOURCE } from '../events/envelope.js';
import { stableId } from '../events/ids.js';
import type { BandAidRunRecord, BanStore } from '../ports/ban-store.js';
import type { Clock } from '../ports/clock.js';
import type { EventBus } from '../ports/event-bus.js';
import { MAX_HOSTS_PER_BATCH } from './band-aid-batches.js';

/** What re-requesting pending band-aid runs needs. */
export interface ResumeBandAidsPorts {
  readonly store: BanStore;
  readonly bus: EventBus;
  readonly clock: Clock;
}

/**
 * Publishes a new `Band-Aid Requested` (ids unique to `restart`) for the pending runs of every active ban, in
 * batches of at most 50 hosts, so that a run does not wait forever on a batch a crash left behind: each crash in
 * the middle of a batch counts as one of its receives, and a batch that runs out of receives is dead-lettered
 * with its runs still pending. A run is claimed before it runs, so a second request never runs it twice.
 * Returns the events published.
 */
export async function resumeBandAids(
  ports: ResumeBandAidsPorts,
  restart: string,
): Promise<readonly BandAidRequestedEvent[]> {
  const time = ports.clock.now().toISOString();
  const events: BandAidRequestedEvent[] = [];
  for (const ban of await ports.store.list()) {
    if (ban.state !== 'active') continue;
    const pending = (await ports.store.bandAidRuns(ban.banId)).filter((r) => r.state === 'pending');
    for (const use of ban.bandAids) {
      const runs = pending.filter((r) => r.bandAidId === use.id);
      hostBatches(runs).forEach((batch, index) => {
        const targets = batch.map((r) => ({
          containerId: r.containerId,
          host: r.host,
          imageDigest: r.imageDigest,
        }));
        events.push({
          id: stableId(
            'band-aid-requested',
            ban.banId,
            use.id,
            'resumed',
            restart,
            ...targets.map((t) => t.containerId).sort(),
          ),
          source: EVENT_SOURCE,
          detailType: BAND_AID_REQUESTED,
          time,
          // The step runs the ban's own parameters, never the event's; these are the same, for the record.
          detail: { banId: ban.banId, bandAidId: use.id, params: { ...use.params }, batch: index, targets },
        });
      });
    }
  }
  if (events.length) await ports.bus.publish(events);
  return events;
}

// Every run of a host in one batch, hosts sorted, at most MAX_HOSTS_PER_BATCH hosts a batch.
function hostBatches(runs: readonly BandAidRunRecord[]): BandAidRunRecord[][] {
  const byHost = new Map<string, BandAidRunRecord[]>();
  for (const r of runs) {
    const list = byHost.get(r.host);
    if (list) list.push(r);
    else byHost.set(r.host, [r]);
  }
  const hosts = [...byHost.keys()].sort();
  const batches: BandAidRunRecord[][] = [];
  for (let i = 0; i < hosts.length; i += MAX_HOSTS_PER_BATCH) {
    batches.push(hosts.slice(i, i + MAX_HOSTS_PER_BATCH).flatMap((h) => byHost.get(h) ?? []));
  }
  return batches;
}
