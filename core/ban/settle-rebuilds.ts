import type { RebuildOutcomeEvent } from '../events/rebuild-outcome.js';
import { type BanRecord, type BanStore, definitionKey, rebuildDone } from '../ports/ban-store.js';
import type { Clock } from '../ports/clock.js';
import type { EventBus } from '../ports/event-bus.js';
import { outcomeEvent } from './rebuild-outcomes.js';

/** What settling waiting rebuilds needs. */
export interface SettlePorts {
  readonly store: BanStore;
  readonly bus: EventBus;
  readonly clock: Clock;
}

/**
 * Moves the waiting rebuilds of a ban on, until nothing changes: one whose bases' rebuilds are all published
 * becomes `ready`; one whose base's rebuild ended any other way (failed, reported, superseded, cancelled) is
 * `reported`, and so on down the chain. Each outcome is published once (stable ids).
 */
export async function settleWaitingRebuilds(ban: BanRecord, ports: SettlePorts): Promise<void> {
  for (;;) {
    const rebuilds = await ports.store.rebuilds(ban.banId);
    const byKey = new Map(rebuilds.map((r) => [definitionKey(r.repository, r.definition), r]));
    const outcomes: RebuildOutcomeEvent[] = [];
    let changed = false;
    for (const rebuild of rebuilds) {
      if (rebuild.state !== 'waiting') continue;
      const key = definitionKey(rebuild.repository, rebuild.definition);
      const parents = rebuild.waitsFor.map((k) => ({ key: k, record: byKey.get(k) }));
      const lost = parents.find(
        (p) => !p.record || (rebuildDone(p.record.state) && p.record.state !== 'published'),
      );
      if (lost) {
        const name = lost.record
          ? `${lost.record.ofRef} (${lost.record.state})`
          : lost.key.replace('\u0000', ':');
        const moved = await ports.store.updateRebuild(ban.banId, key, ['waiting'], {
          state: 'reported',
          reason: `its base ${name} was not republished`,
        });
        if (moved) {
          outcomes.push(outcomeEvent(ban, moved, ports.clock.now().toISOString()));
          changed = true;
        }
        continue;
      }
      if (parents.every((p) => p.record?.state === 'published')) {
        if (await ports.store.updateRebuild(ban.banId, key, ['waiting'], { state: 'ready' })) changed = true;
      }
    }
    if (outcomes.length) await ports.bus.publish(outcomes);
    if (!changed) return;
  }
}

/** Stamps `remediatedAt` once every rebuild of the ban has ended (published, failed, reported, superseded, cancelled). */
export async function stampRemediatedWhenDone(
  ban: BanRecord,
  ports: Pick<SettlePorts, 'store' | 'clock'>,
): Promise<void> {
  if (ban.remediatedAt) return;
  const rebuilds = await ports.store.rebuilds(ban.banId);
  if (rebuilds.every((r) => rebuildDone(r.state))) {
    await ports.store.stamp(ban.banId, 'remediatedAt', ports.clock.now().toISOString());
  }
}
