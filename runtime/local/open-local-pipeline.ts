import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AdmissionFile } from '../../adapters/local/admission-file.js';
import type { BuildahBuildService } from '../../adapters/local/buildah-build-service.js';
import { BuildahImageRegistry } from '../../adapters/local/buildah-image-registry.js';
import { type ContainerEnv, prepareContainerEnv } from '../../adapters/local/container-env.js';
import {
  type RunningDockerRegistry,
  startDockerRegistry,
} from '../../adapters/local/docker-registry-process.js';
import type { PodmanFleet } from '../../adapters/local/podman-fleet.js';
import {
  ensurePipelineCredential,
  type PipelineCredential,
  type PushRefusal,
  type RunningPushGuard,
  startRegistryPushGuard,
} from '../../adapters/local/registry-push-guard.js';
import type { RegistrySupportMarkers } from '../../adapters/local/registry-support-markers.js';
import type { SqliteBanStore } from '../../adapters/local/sqlite-ban-store.js';
import type { SqliteBuildRecords } from '../../adapters/local/sqlite-build-records.js';
import { openStateDirectory, type StateDatabase } from '../../adapters/local/sqlite-database.js';
import { SqliteEventLog } from '../../adapters/local/sqlite-event-log.js';
import type { SqliteLineageStore } from '../../adapters/local/sqlite-lineage-store.js';
import { SqlitePolicyVersions } from '../../adapters/local/sqlite-policy-versions.js';
import { SqliteWorkQueue } from '../../adapters/local/sqlite-work-queue.js';
import { LOCAL_EVENT_RULES } from '../../core/events/rules.js';
import type { LintConfig } from '../../core/lint/config.js';
import type { TeamNotification } from '../../core/notify/team-notification.js';
import type { Policy } from '../../core/policy/schema.js';
import type { Clock } from '../../core/ports/clock.js';
import type { PolicyStore } from '../../core/ports/policy-store.js';
import { FilePolicyStore } from './file-policy-store.js';
import { LocalEventBus, type QueuedEvent } from './local-event-bus.js';
import { type LocalPorts, localStepPorts, type ToolTiming } from './local-ports.js';
import { drainOnce, type EventHandler } from './queue-worker.js';
import { queueHandlers } from './step-dispatch.js';

/** Settings of the local pipeline; everything lives under `stateDir`. */
export interface LocalPipelineOptions {
  readonly stateDir: string;
  readonly policy: () => Promise<Policy>;
  readonly lintConfig?: LintConfig;
  /** @default 600000 */
  readonly buildTimeoutMs?: number;
  /** @default 120000 */
  readonly testTimeLimitMs?: number;
  /** @default 3 */
  readonly maxReceives?: number;
  /** Told of each team notification the first time it is stored in the outbox (the daemon logs it). */
  readonly onNotified?: (notification: TeamNotification) => void;
  /** Loopback port of the registry (its push guard); keep it across restarts so image references stay valid. @default a free port */
  readonly registryPort?: number;
  /**
   * Told how long each external tool call took (buildah build, podman tests, buildah push), for metrics and
   * for measuring drydock's own overhead apart from the tools'.
   */
  readonly onToolTime?: (timing: ToolTiming) => void;
  /** Told of every write the registry's push guard refused (no or a wrong credential, smuggling, a tag move). */
  readonly onRegistryRefused?: (refusal: PushRefusal) => void;
  /** Visibility timeout of every queue: longer than the slowest handler (a build). @default 900000 */
  readonly visibilityTimeoutMs?: number;
  /** Builds that run at once: a ban's rebuilds at once when the policy sets no `response.maxConcurrentRebuilds`. @default 2 */
  readonly buildConcurrency?: number;
  /** The policy file ops' bans are written into (see `FilePolicyStore`). @default <stateDir>/policy.yaml */
  readonly policyFile?: string;
}

/** How long a routed (event, rule) is remembered so that it is never queued twice: 30 days. */
export const ROUTING_DEDUP_WINDOW_MS = 30 * 24 * 60 * 60_000;

/** One queue per rule target, as the local pipeline uses them. */
export function pipelineQueues(
  db: StateDatabase,
  options: { readonly maxReceives: number; readonly visibilityTimeoutMs: number; readonly clock?: Clock },
): Record<string, SqliteWorkQueue<QueuedEvent>> {
  return Object.fromEntries(
    [...new Set(LOCAL_EVENT_RULES.map((r) => r.target))].map((name) => [
      name,
      new SqliteWorkQueue<QueuedEvent>(db, {
        name,
        maxReceives: options.maxReceives,
        visibilityTimeoutMs: options.visibilityTimeoutMs,
        ...(options.clock ? { clock: options.clock } : {}),
        // The router sends, then saves its cursor; after a crash between the two it sends again, possibly
        // long after. The dedup id (event, rule) must outlive any such restart, not SQS's five minutes.
        dedupWindowMs: ROUTING_DEDUP_WINDOW_MS,
      }),
    ]),
  );
}

export type { ToolTiming } from './local-ports.js';

/** The running local pipeline: its state, bus, queues, registry and the handler of every queue. */
export interface LocalPipeline {
  readonly stateDir: string;
  readonly db: StateDatabase;
  readonly bus: LocalEventBus;
  readonly queues: Readonly<Record<string, SqliteWorkQueue<QueuedEvent>>>;
  readonly registry: BuildahImageRegistry;
  /** The registry address teams pull from (`127.0.0.1:PORT`). */
  readonly registryHost: string;
  readonly credential: PipelineCredential;
  readonly containerEnv: ContainerEnv;
  readonly lineage: SqliteLineageStore;
  readonly records: SqliteBuildRecords;
  readonly reposRoot: string;
  /** The buildah build service, for the base catalogue. */
  readonly builder: BuildahBuildService;
  /** Bans and their response (marked images, rebuilds, band-aid runs). */
  readonly bans: SqliteBanStore;
  /** The labelled podman containers band-aids run in. */
  readonly fleet: PodmanFleet;
  /** The ops-owned policy, written only to add or lift a ban. */
  readonly policyStore: PolicyStore;
  /** The list the OCI prestart hook reads. */
  readonly admission: AdmissionFile;
  /** The registry's `sha256-<hex>.unsupported` marker tags. */
  readonly markers: RegistrySupportMarkers;
  /** Every port the steps use, as assembled here. */
  readonly ports: LocalPorts;
  /** The handler of each queue (its step, run by `runStep`), for the workers. */
  readonly handlers: Readonly<Record<string, EventHandler>>;
  /** Ends the builds and image tests in progress (their requests are released for a retry, not failed); for stopping. */
  interrupt(): void;
  /** Drains every queue until a whole pass finds nothing; returns the messages handled. */
  drainUntilIdle(maxPasses?: number): Promise<number>;
  close(): Promise<void>;
}

/**
 * Starts the local pipeline's parts under one state directory — SQLite state, the docker-registry on a
 * private socket behind the push guard on 127.0.0.1, container storage — has `localStepPorts` assemble the
 * ports on them, and gives each queue the step of its name.
 */
export async function openLocalPipeline(options: LocalPipelineOptions): Promise<LocalPipeline> {
  const stateDir = resolve(options.stateDir);
  mkdirSync(stateDir, { recursive: true });
  const db = openStateDirectory(stateDir);
  let registryProcess: RunningDockerRegistry | undefined;
  let guard: RunningPushGuard | undefined;
  try {
    // The registry listens on a socket only drydock can reach, so the guard is the only way to push.
    registryProcess = await startDockerRegistry({ stateDir, listen: 'unix' });
    const credential = await ensurePipelineCredential(stateDir);
    guard = await startRegistryPushGuard({
      upstream: registryProcess.address,
      credential,
      ...(options.registryPort ? { port: options.registryPort } : {}),
      ...(options.onRegistryRefused ? { onRefused: options.onRegistryRefused } : {}),
    });
    const containerEnv = await prepareContainerEnv(stateDir, { insecureRegistries: [guard.host] });
    const registry = new BuildahImageRegistry({ host: guard.host, credential, containerEnv });
    const queues = pipelineQueues(db, {
      maxReceives: options.maxReceives ?? 3,
      visibilityTimeoutMs: options.visibilityTimeoutMs ?? 15 * 60_000,
    });
    const bus = new LocalEventBus(new SqliteEventLog(db), queues, LOCAL_EVENT_RULES);
    const stopping = new AbortController();
    const ports = localStepPorts(
      { stateDir, db, bus, registry, credential, containerEnv, stopping: stopping.signal },
      {
        policy: options.policy,
        ...(options.lintConfig ? { lintConfig: options.lintConfig } : {}),
        ...(options.buildTimeoutMs !== undefined ? { buildTimeoutMs: options.buildTimeoutMs } : {}),
        ...(options.testTimeLimitMs !== undefined ? { testTimeLimitMs: options.testTimeLimitMs } : {}),
        ...(options.buildConcurrency !== undefined ? { buildConcurrency: options.buildConcurrency } : {}),
        ...(options.onToolTime ? { onToolTime: options.onToolTime } : {}),
        ...(options.onNotified ? { onNotified: options.onNotified } : {}),
      },
    );
    const handlers = queueHandlers(Object.keys(queues), ports);
    const policyStore = new FilePolicyStore(
      options.policyFile ?? join(stateDir, 'policy.yaml'),
      new SqlitePolicyVersions(db),
      { inForce: options.policy },
    );
    const openedGuard = guard;
    const openedRegistry = registryProcess;
    return {
      stateDir,
      db,
      bus,
      queues,
      registry,
      registryHost: guard.host,
      credential,
      containerEnv,
      lineage: ports.lineage,
      records: ports.records,
      reposRoot: join(stateDir, 'repos'),
      builder: ports.buildah,
      ports,
      handlers,
      bans: ports.bans,
      fleet: ports.fleet,
      policyStore,
      admission: ports.admission,
      markers: ports.markers,
      interrupt() {
        stopping.abort(new Error('the pipeline is stopping'));
      },
      async drainUntilIdle(maxPasses = 50) {
        await bus.route();
        let total = 0;
        for (let pass = 0; pass < maxPasses; pass++) {
          let busy = 0;
          for (const [name, queue] of Object.entries(queues)) {
            const handler = handlers[name];
            if (!handler) continue;
            const r = await drainOnce(queue, handler, { batch: 5 });
            busy += r.handled + r.retried + r.deadLettered;
          }
          total += busy;
          if (busy === 0) break;
        }
        return total;
      },
      async close() {
        await openedGuard.close();
        await openedRegistry.stop();
        db.close();
      },
    };
  } catch (err) {
    await guard?.close();
    await registryProcess?.stop();
    db.close();
    throw err;
  }
}
