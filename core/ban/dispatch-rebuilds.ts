import {
  DEFINITION_GATE_REQUESTED,
  type DefinitionGateRequestedEvent,
} from '../events/definition-gate-requested.js';
import { EVENT_SOURCE } from '../events/envelope.js';
import { stableId } from '../events/ids.js';
import type { RebuildSubstitution } from '../events/rebuild.js';
import { buildIdFor } from '../gate/handle-push.js';
import { maxConcurrentRebuilds } from '../policy/response-settings.js';
import type { Policy } from '../policy/schema.js';
import { type BanRecord, type BanStore, definitionKey, type RebuildRecord } from '../ports/ban-store.js';
import type { BuildRecord } from '../ports/build-records.js';
import type { Clock } from '../ports/clock.js';
import type { EventBus } from '../ports/event-bus.js';
import type { LineageStore } from '../ports/lineage-store.js';
import { outcomeEvent } from './rebuild-outcomes.js';

/** Runs one critical section at a time: dispatch is serialised because the `ban` and `rebuilds` queues have their own workers. */
export interface DispatchLock {
  run<T>(section: () => Promise<T>): Promise<T>;
}

/** A lock for the callers of one process (the local runtime's workers share it). */
export function inProcessLock(): DispatchLock {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run<T>(section: () => Promise<T>): Promise<T> {
      const result = tail.then(section, section);
      // The next section waits for this one whether it succeeded or threw.
      tail = result.then(
        () => undefined,
        () => undefined,
      );
      return result;
    },
  };
}

/** The newest build of a definition, to tell a push that came after a ban from the rebuild it makes unnecessary. */
export interface NewestBuilds {
  newestFor(repository: string, definition: string): Promise<BuildRecord | undefined>;
}

/** What dispatching rebuilds needs. */
export interface DispatchPorts {
  readonly store: BanStore;
  readonly lineage: Pick<LineageStore, 'image'>;
  readonly records: NewestBuilds;
  readonly bus: EventBus;
  readonly clock: Clock;
  readonly policy: () => Promise<Policy>;
  readonly lock: DispatchLock;
  /** Rebuilds at once when the policy sets no `response.maxConcurrentRebuilds`: the build concurrency. */
  readonly buildConcurrency: number;
}

/** The build id of a ban's rebuild: the gate's own derivation (`buildIdFor`), so the two can never disagree. */
export function rebuildBuildId(
  repository: string,
  commit: string,
  definition: string,
  banId: string,
  number: number,
): string {
  return buildIdFor(repository, commit, definition, { banId, number });
}

/** The id of the gate request of a rebuild: one per (definition, commit, ban, number), whatever redelivers it. */
export function rebuildGateRequestId(rebuild: RebuildRecord): string {
  return stableId(
    'gate-requested',
    rebuild.repository,
    rebuild.commit,
    rebuild.definition,
    rebuild.banId,
    String(rebuild.number),
  );
}

/** How many rebuilds may be dispatched at once: the policy's `response.maxConcurrentRebuilds`, else the build concurrency. */
export function rebuildSlots(policy: Policy, buildConcurrency: number): number {
  return Math.max(1, maxConcurrentRebuilds(policy, buildConcurrency));
}

function byPriority(a: RebuildRecord, b: RebuildRecord): number {
  return (
    b.runningContainers - a.runningContainers ||
    a.depth - b.depth ||
    definitionKey(a.repository, a.definition).localeCompare(definitionKey(b.repository, b.definition))
  );
}

/**
 * Starts as many `ready` rebuilds of every active ban as the cap leaves room for (definitions with more running
 * containers first, then shallower, then by key): a definition pushed again after the ban is `superseded`
 * instead; the others move to `dispatched` (compare-and-set, so a concurrent or repeated dispatch starts none
 * twice) and their `Definition Gate Requested` is published with the plan's substitutions and each waited-for
 * base's new `ref@digest`. Returns the rebuilds it dispatched.
 */
export async function dispatchRebuilds(ports: DispatchPorts): Promise<readonly RebuildRecord[]> {
  return ports.lock.run(async () => {
    const bans = (await ports.store.list()).filter((b) => b.state === 'active');
    const all = new Map<string, { ban: BanRecord; rebuilds: readonly RebuildRecord[] }>();
    for (const ban of bans) all.set(ban.banId, { ban, rebuilds: await ports.store.rebuilds(ban.banId) });
    const everyRebuild = [...all.values()].flatMap((b) => b.rebuilds);
    const inFlight = everyRebuild.filter((r) => r.state === 'dispatched').length;
    let free = rebuildSlots(await ports.policy(), ports.buildConcurrency) - inFlight;
    const ready = everyRebuild.filter((r) => r.state === 'ready').sort(byPriority);
    const dispatched: RebuildRecord[] = [];
    for (const rebuild of ready) {
      if (free <= 0) break;
      const entry = all.get(rebuild.banId);
      if (!entry) continue;
      const key = definitionKey(rebuild.repository, rebuild.definition);
      const now = ports.clock.now().toISOString();
      const newer = await pushAfterBan(ports, entry.ban, rebuild);
      if (newer) {
        const moved = await ports.store.updateRebuild(rebuild.banId, key, ['ready'], {
          state: 'superseded',
          reason: `a newer push (${newer.commit.slice(0, 12)}, build ${newer.buildId}) came after the ban`,
        });
        if (moved) await ports.bus.publish([outcomeEvent(entry.ban, moved, now)]);
        continue;
      }
      const substitutions = await substitutionsFor(ports, rebuild, entry.rebuilds);
      const buildId = rebuildBuildId(
        rebuild.repository,
        rebuild.commit,
        rebuild.definition,
        rebuild.banId,
        rebuild.number,
      );
      const moved = await ports.store.updateRebuild(rebuild.banId, key, ['ready'], {
        state: 'dispatched',
        buildId,
        dispatchedSubstitutions: substitutions,
      });
      if (!moved) continue;
      free--;
      await ports.bus.publish([gateRequest(moved, substitutions, now)]);
      dispatched.push(moved);
    }
    // A rebuild dispatched before a crash between the state change and the publish is published again: the
    // event id is stable, so the bus drops a second copy.
    for (const rebuild of everyRebuild) {
      if (rebuild.state !== 'dispatched' || !rebuild.dispatchedSubstitutions) continue;
      await ports.bus.publish([
        gateRequest(rebuild, rebuild.dispatchedSubstitutions, ports.clock.now().toISOString()),
      ]);
    }
    return dispatched;
  });
}

// A rebuild's build record names its rebuild and carries its ban as correlation id; a push's does neither.
async function pushAfterBan(
  ports: DispatchPorts,
  ban: BanRecord,
  rebuild: RebuildRecord,
): Promise<BuildRecord | undefined> {
  const newest = await ports.records.newestFor(rebuild.repository, rebuild.definition);
  if (!newest || newest.queuedAt.getTime() < Date.parse(ban.at)) return undefined;
  if (newest.rebuild || newest.correlationId === ban.banId || (await ports.store.get(newest.correlationId))) {
    return undefined;
  }
  return newest;
}

async function substitutionsFor(
  ports: DispatchPorts,
  rebuild: RebuildRecord,
  siblings: readonly RebuildRecord[],
): Promise<RebuildSubstitution[]> {
  const substitutions = [...rebuild.substitutions];
  if (rebuild.waitsFor.length === 0) return substitutions;
  const image = await ports.lineage.image(rebuild.of);
  if (!image) return substitutions;
  const marked = await ports.store.marked(rebuild.banId);
  for (const parentKey of rebuild.waitsFor) {
    const parent = siblings.find((s) => definitionKey(s.repository, s.definition) === parentKey);
    if (!parent?.newRef || !parent.newDigest) continue;
    const parentDigests = new Set(
      marked.filter((m) => definitionKey(m.repository, m.definition) === parentKey).map((m) => m.digest),
    );
    for (const base of image.bases) {
      if (!parentDigests.has(base.digest)) continue;
      if (substitutions.some((s) => s.from === base.name)) continue;
      substitutions.push({
        from: base.name,
        to: `${parent.newRef}@${parent.newDigest}`,
        rule: `ban ${rebuild.banId}: ${parent.definition} in ${parent.repository} rebuilt`,
      });
    }
  }
  return substitutions;
}

function gateRequest(
  rebuild: RebuildRecord,
  substitutions: readonly RebuildSubstitution[],
  time: string,
): DefinitionGateRequestedEvent {
  return {
    id: rebuildGateRequestId(rebuild),
    source: EVENT_SOURCE,
    detailType: DEFINITION_GATE_REQUESTED,
    time,
    detail: {
      repository: rebuild.repository,
      commit: rebuild.commit,
      definition: rebuild.definition,
      change: 'modified',
      correlationId: rebuild.banId,
      rebuild: {
        banId: rebuild.banId,
        number: rebuild.number,
        of: rebuild.of,
        substitutions: [...substitutions],
      },
    },
  };
}
