import {
  BAND_AID_REQUESTED,
  type BandAidRequestedEvent,
  type BandAidTarget,
} from '../events/band-aid-requested.js';
import type { DrydockEvent } from '../events/index.js';
import { resolveBandAid } from '../policy/band-aids.js';
import type { Policy } from '../policy/schema.js';
import type { BanStore } from '../ports/ban-store.js';
import type { Clock } from '../ports/clock.js';
import type { Fleet, RunningContainer } from '../ports/fleet.js';

/** What the band-aid step needs: the ban store (runs), the fleet, the policy in force and the time. */
export interface BandAidStepPorts {
  readonly store: BanStore;
  readonly fleet: Fleet;
  readonly clock: Clock;
  readonly policy: () => Promise<Policy>;
}

/** What one `Band-Aid Requested` did, for logs and tests. */
export interface BandAidBatchResult {
  readonly ran: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly skipped: number;
}

const PENDING = ['pending', 'running'];

/**
 * Runs one batch of a ban's band-aid: the command comes from the policy in force (never from the event) with the
 * ban's own parameters checked again; the ban must still be active and name the band-aid. At most
 * `maxConcurrency` containers at once; once the ban's failed runs of it exceed `maxErrors` the rest are skipped.
 * Each (ban, band-aid, container) is claimed before it runs, so no run happens twice (after a redelivery or a
 * restart too); a container that no longer runs the affected image is skipped. Stamps `protectedAt` when every
 * run of the ban has ended.
 */
export async function runBandAids(
  event: BandAidRequestedEvent,
  ports: BandAidStepPorts,
): Promise<BandAidBatchResult> {
  const d = event.detail;
  const result = { ran: 0, succeeded: 0, failed: 0, skipped: 0 };
  const ban = await ports.store.get(d.banId);
  if (!ban) return result;
  const skipAll = async (reason: string): Promise<void> => {
    for (const target of d.targets) {
      if (await skip(ports, d.banId, d.bandAidId, target, reason)) result.skipped++;
    }
  };
  const use = ban.bandAids.find((b) => b.id === d.bandAidId);
  if (ban.state !== 'active') {
    await skipAll('ban lifted');
  } else if (!use) {
    // The event names a band-aid the ban did not: nothing runs, and no run of the ban is touched.
    return result;
  } else {
    // The ban's parameters, not the event's: only what ops published runs.
    const resolved = resolveBandAid(await ports.policy(), use.id, use.params);
    if (!resolved.ok) {
      await skipAll(`no longer approved by the policy in force: ${resolved.error}`);
    } else {
      const running = new Map((await ports.fleet.running()).map((c) => [c.id, c]));
      let failedSoFar = (await ports.store.bandAidRuns(d.banId)).filter(
        (r) => r.bandAidId === d.bandAidId && r.state === 'failed',
      ).length;
      const queue = [...d.targets];
      const worker = async (): Promise<void> => {
        for (let target = queue.shift(); target; target = queue.shift()) {
          if (failedSoFar > resolved.maxErrors) {
            const reason = `maxErrors exceeded (${failedSoFar} failed, at most ${resolved.maxErrors} allowed)`;
            if (await skip(ports, d.banId, d.bandAidId, target, reason)) result.skipped++;
            continue;
          }
          const container = running.get(target.containerId);
          if (!container || !runsImage(container, target.imageDigest)) {
            const reason = container
              ? 'the container no longer runs the affected image'
              : 'the container is no longer running';
            if (await skip(ports, d.banId, d.bandAidId, target, reason)) result.skipped++;
            continue;
          }
          const claimed = await ports.store.claimBandAidRun(
            d.banId,
            d.bandAidId,
            target.containerId,
            ports.clock.now().toISOString(),
          );
          if (!claimed) continue;
          result.ran++;
          const ok = await runOne(ports, d.banId, d.bandAidId, container, resolved);
          if (ok) result.succeeded++;
          else {
            result.failed++;
            failedSoFar++;
          }
        }
      };
      const workers = Math.max(1, Math.min(resolved.maxConcurrency, d.targets.length));
      await Promise.all(Array.from({ length: workers }, worker));
    }
  }
  const runs = await ports.store.bandAidRuns(d.banId);
  if (ban.state === 'active' && runs.every((r) => !PENDING.includes(r.state))) {
    await ports.store.stamp(d.banId, 'protectedAt', ports.clock.now().toISOString());
  }
  return result;
}

function runsImage(container: RunningContainer, digest: string): boolean {
  return container.imageDigest === digest || container.configDigest === digest;
}

// Only a pending run is skipped; one that ran or runs keeps its own end. Claiming it first makes that one atomic
// step per target: reading every run of the ban per skipped target made a large batch quadratic (minutes of
// synchronous SQLite for a few thousand containers once one of them failed). Returns whether it was pending.
async function skip(
  ports: BandAidStepPorts,
  banId: string,
  bandAidId: string,
  target: BandAidTarget,
  reason: string,
): Promise<boolean> {
  const at = ports.clock.now().toISOString();
  if (!(await ports.store.claimBandAidRun(banId, bandAidId, target.containerId, at))) return false;
  await ports.store.finishBandAidRun(banId, bandAidId, target.containerId, { state: 'skipped', reason }, at);
  return true;
}

async function runOne(
  ports: BandAidStepPorts,
  banId: string,
  bandAidId: string,
  container: RunningContainer,
  resolved: { readonly argv: readonly string[]; readonly timeoutMs: number },
): Promise<boolean> {
  const started = ports.clock.now().getTime();
  try {
    const r = await ports.fleet.exec(container, resolved.argv, { timeoutMs: resolved.timeoutMs });
    const ok = r.exitCode === 0 && !r.timedOut;
    const reason = r.reason
      ? r.reason
      : r.timedOut
        ? `ended at its time limit of ${Math.round(resolved.timeoutMs / 1000)} s`
        : r.exitCode === null
          ? 'could not start'
          : ok
            ? undefined
            : `exited with code ${r.exitCode}`;
    await ports.store.finishBandAidRun(
      banId,
      bandAidId,
      container.id,
      {
        state: ok ? 'succeeded' : 'failed',
        exitCode: r.exitCode,
        outputTail: r.outputTail,
        durationMs: r.durationMs,
        ...(reason ? { reason } : {}),
      },
      ports.clock.now().toISOString(),
    );
    return ok;
  } catch (error) {
    // The run was claimed: it is recorded as failed, never run again (it may have started before the fault).
    await ports.store.finishBandAidRun(
      banId,
      bandAidId,
      container.id,
      {
        state: 'failed',
        exitCode: null,
        durationMs: ports.clock.now().getTime() - started,
        reason: `the fleet could not run it: ${(error as Error).message}`.slice(0, 500),
      },
      ports.clock.now().toISOString(),
    );
    return false;
  }
}

/** Handles one event of the `band-aids` target. */
export async function handleBandAidEvent(event: DrydockEvent, ports: BandAidStepPorts): Promise<void> {
  if (event.detailType === BAND_AID_REQUESTED) await runBandAids(event, ports);
}
