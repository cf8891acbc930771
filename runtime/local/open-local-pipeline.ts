import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AdmissionFile } from '../../adapters/local/admission-file.js';
import {
  BuildahBuildService,
  buildLimitsFrom,
  DEFAULT_BUILD_LIMITS,
} from '../../adapters/local/buildah-build-service.js';
import { BuildahImageRegistry } from '../../adapters/local/buildah-image-registry.js';
import { type ContainerEnv, prepareContainerEnv } from '../../adapters/local/container-env.js';
import {
  type RunningDockerRegistry,
  startDockerRegistry,
} from '../../adapters/local/docker-registry-process.js';
import { FileBuildLogs } from '../../adapters/local/file-build-logs.js';
import { FileTestReports } from '../../adapters/local/file-test-reports.js';
import { GitBuildContext, tempBuildWorkspaces } from '../../adapters/local/git-build-context.js';
import { GitDefinitionSource } from '../../adapters/local/git-definition-source.js';
import { PodmanFleet } from '../../adapters/local/podman-fleet.js';
import { PodmanImageTester } from '../../adapters/local/podman-image-tester.js';
import {
  ensurePipelineCredential,
  type PipelineCredential,
  type PushRefusal,
  type RunningPushGuard,
  startRegistryPushGuard,
} from '../../adapters/local/registry-push-guard.js';
import { RegistrySupportMarkers } from '../../adapters/local/registry-support-markers.js';
import { SqliteBanStore } from '../../adapters/local/sqlite-ban-store.js';
import { SqliteBuildRecords } from '../../adapters/local/sqlite-build-records.js';
import { openStateDirectory, type StateDatabase } from '../../adapters/local/sqlite-database.js';
import { SqliteEventLog } from '../../adapters/local/sqlite-event-log.js';
import { SqliteLineageStore } from '../../adapters/local/sqlite-lineage-store.js';
import { SqlitePolicyVersions } from '../../adapters/local/sqlite-policy-versions.js';
import { SqliteWorkQueue } from '../../adapters/local/sqlite-work-queue.js';
import { bannedPatternsOf } from '../../core/admission/admit.js';
import type { DrydockEvent } from '../../core/events/index.js';
import { LOCAL_EVENT_RULES } from '../../core/events/rules.js';
import type { LintConfig } from '../../core/lint/config.js';
import type { Policy } from '../../core/policy/schema.js';
import type { BuildService } from '../../core/ports/build-service.js';
import { type Clock, systemClock } from '../../core/ports/clock.js';
import type { ImageRegistry } from '../../core/ports/image-registry.js';
import type { ImageTester } from '../../core/ports/image-tester.js';
import type { PolicyStore } from '../../core/ports/policy-store.js';
import { localPlanPorts } from './ban-api.js';
import { banHandlers } from './ban-handlers.js';
import { FilePolicyStore } from './file-policy-store.js';
import { LocalEventBus, type QueuedEvent } from './local-event-bus.js';
import { pipelineHandlers } from './pipeline-handlers.js';
import { drainOnce, type EventHandler } from './queue-worker.js';

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
  readonly notify?: (event: DrydockEvent) => Promise<void>;
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

/** One external tool call and how long it took. */
export interface ToolTiming {
  readonly tool: 'build' | 'test' | 'push';
  readonly ms: number;
  /** The build id (build, test) or the pushed reference (push). */
  readonly subject: string;
}

/** Wraps an async call so that its duration is reported, whether it succeeds or throws. */
function timed<A extends unknown[], R>(
  fn: (...args: A) => Promise<R>,
  report: (ms: number, args: A) => void,
): (...args: A) => Promise<R> {
  return async (...args) => {
    const started = performance.now();
    try {
      return await fn(...args);
    } finally {
      report(performance.now() - started, args);
    }
  };
}

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
  /** The handler of each queue, for the workers. */
  readonly handlers: Readonly<Record<string, EventHandler>>;
  /** Ends the builds and image tests in progress (their requests are released for a retry, not failed); for stopping. */
  interrupt(): void;
  /** Drains every queue until a whole pass finds nothing; returns the messages handled. */
  drainUntilIdle(maxPasses?: number): Promise<number>;
  close(): Promise<void>;
}

/**
 * Starts the local pipeline's parts under one state directory — SQLite state, the docker-registry on a
 * private socket behind the push guard on 127.0.0.1, container storage — and assembles every adapter.
 * This is the only place the local adapters are put together.
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
    const onTool = options.onToolTime;
    const pipelineRegistry: ImageRegistry = onTool
      ? {
          host: registry.host,
          push: timed(registry.push.bind(registry), (ms, [, target]) =>
            onTool({ tool: 'push', ms, subject: `${target.repository}:${target.tag}` }),
          ),
          inspect: registry.inspect.bind(registry),
          tags: registry.tags.bind(registry),
          repositories: registry.repositories.bind(registry),
        }
      : registry;
    const queues = pipelineQueues(db, {
      maxReceives: options.maxReceives ?? 3,
      visibilityTimeoutMs: options.visibilityTimeoutMs ?? 15 * 60_000,
    });
    const eventLog = new SqliteEventLog(db);
    const bus = new LocalEventBus(eventLog, queues, LOCAL_EVENT_RULES);
    const reposRoot = join(stateDir, 'repos');
    const records = new SqliteBuildRecords(db);
    const lineage = new SqliteLineageStore(db);
    const logs = new FileBuildLogs(stateDir);
    // The policy's build section is read for every build, so a changed policy applies to the next build.
    const builder = new BuildahBuildService({
      env: containerEnv.env,
      limits: async () => buildLimitsFrom((await options.policy()).build),
    });
    const tester = new PodmanImageTester({ env: containerEnv.env });
    const pipelineBuilder: BuildService = onTool
      ? {
          build: timed(builder.build.bind(builder), (ms, [r]) =>
            onTool({ tool: 'build', ms, subject: r.buildId }),
          ),
        }
      : builder;
    const pipelineTester: ImageTester = onTool
      ? { test: timed(tester.test.bind(tester), (ms, [r]) => onTool({ tool: 'test', ms, subject: r.image })) }
      : tester;
    const stopping = new AbortController();
    const handlers = pipelineHandlers({
      bus,
      clock: systemClock,
      policy: options.policy,
      ...(options.lintConfig ? { lintConfig: options.lintConfig } : {}),
      source: new GitDefinitionSource(reposRoot),
      build: {
        context: new GitBuildContext(reposRoot, {
          maxBytes: async () =>
            buildLimitsFrom((await options.policy()).build).maxContextBytes ??
            DEFAULT_BUILD_LIMITS.maxContextBytes,
        }),
        builder: pipelineBuilder,
        workspace: tempBuildWorkspaces(join(stateDir, 'containers', 'tmp')),
        logSink: (id) => logs.open(id),
        timeoutMs: options.buildTimeoutMs ?? 600_000,
        signal: stopping.signal,
      },
      registry: pipelineRegistry,
      records,
      tester: pipelineTester,
      reports: new FileTestReports(stateDir),
      lineage,
      testTimeLimitMs: options.testTimeLimitMs ?? 120_000,
      testSignal: stopping.signal,
      notify: options.notify ?? (async () => undefined),
      logged: async (id) => (await eventLog.get(id)) !== undefined,
      discardLocalImage: (ref) => builder.removeImage(ref),
    });
    const bans = new SqliteBanStore(db);
    // Band-aids run with the pipeline's own podman configuration: the same storage the fleet's containers use.
    const fleet = new PodmanFleet({ env: containerEnv.env });
    const policyStore = new FilePolicyStore(
      options.policyFile ?? join(stateDir, 'policy.yaml'),
      new SqlitePolicyVersions(db),
      { inForce: options.policy },
    );
    const admission = new AdmissionFile({
      stateDir,
      bannedPatterns: async () => bannedPatternsOf(await options.policy()),
    });
    const markers = new RegistrySupportMarkers({ host: guard.host, credential });
    Object.assign(
      handlers,
      banHandlers({
        store: bans,
        lineage,
        fleet,
        admission,
        markers,
        bus,
        clock: systemClock,
        policy: options.policy,
        records,
        source: new GitDefinitionSource(reposRoot),
        buildConcurrency: options.buildConcurrency ?? 2,
        plan: localPlanPorts({ lineage, registry, registryHost: guard.host }, fleet),
      }),
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
      lineage,
      records,
      reposRoot,
      builder,
      handlers,
      bans,
      fleet,
      policyStore,
      admission,
      markers,
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
