import { join } from 'node:path';
import { AdmissionFile } from '../../adapters/local/admission-file.js';
import {
  BuildahBuildService,
  buildLimitsFrom,
  DEFAULT_BUILD_LIMITS,
} from '../../adapters/local/buildah-build-service.js';
import type { BuildahImageRegistry } from '../../adapters/local/buildah-image-registry.js';
import type { ContainerEnv } from '../../adapters/local/container-env.js';
import { FileBuildLogs } from '../../adapters/local/file-build-logs.js';
import { FileTestReports } from '../../adapters/local/file-test-reports.js';
import { GitBuildContext, tempBuildWorkspaces } from '../../adapters/local/git-build-context.js';
import { GitDefinitionSource } from '../../adapters/local/git-definition-source.js';
import { OutboxNotifier } from '../../adapters/local/outbox-notifier.js';
import { PodmanFleet } from '../../adapters/local/podman-fleet.js';
import { PodmanImageTester } from '../../adapters/local/podman-image-tester.js';
import type { PipelineCredential } from '../../adapters/local/registry-push-guard.js';
import { RegistrySupportMarkers } from '../../adapters/local/registry-support-markers.js';
import { SqliteBanStore } from '../../adapters/local/sqlite-ban-store.js';
import { SqliteBuildRecords } from '../../adapters/local/sqlite-build-records.js';
import type { StateDatabase } from '../../adapters/local/sqlite-database.js';
import { SqliteEventLog } from '../../adapters/local/sqlite-event-log.js';
import { SqliteLineageStore } from '../../adapters/local/sqlite-lineage-store.js';
import { SqliteOutbox } from '../../adapters/local/sqlite-outbox.js';
import { bannedPatternsOf } from '../../core/admission/admit.js';
import { inProcessLock } from '../../core/ban/dispatch-rebuilds.js';
import { BUILDAH_1_28 } from '../../core/dockerfile/builder-profile.js';
import type { LintConfig } from '../../core/lint/config.js';
import type { TeamNotification } from '../../core/notify/team-notification.js';
import type { Policy } from '../../core/policy/schema.js';
import type { BuildService } from '../../core/ports/build-service.js';
import { systemClock } from '../../core/ports/clock.js';
import type { EventBus } from '../../core/ports/event-bus.js';
import type { ImageRegistry } from '../../core/ports/image-registry.js';
import type { ImageTester } from '../../core/ports/image-tester.js';
import type { StepPorts } from '../../core/steps/index.js';
import { localPlanPorts } from './ban-api.js';

/** One external tool call and how long it took. */
export interface ToolTiming {
  readonly tool: 'build' | 'test' | 'push';
  readonly ms: number;
  /** The build id (build, test) or the pushed reference (push). */
  readonly subject: string;
}

/** What the local ports are assembled on: the state directory, its database and bus, and the guarded registry. */
export interface LocalPortParts {
  readonly stateDir: string;
  readonly db: StateDatabase;
  /** The local bus (its log and queues); each step sees it through `runStep`'s declared-emits guard. */
  readonly bus: EventBus;
  /** The registry behind the push guard, as the pipeline identity. */
  readonly registry: BuildahImageRegistry;
  readonly credential: PipelineCredential;
  readonly containerEnv: ContainerEnv;
  /** Aborted when the runtime stops: running builds and image tests end, their messages are handled again. */
  readonly stopping: AbortSignal;
}

/** Settings of the local ports. */
export interface LocalPortOptions {
  readonly policy: () => Promise<Policy>;
  readonly lintConfig?: LintConfig;
  /** @default 600000 */
  readonly buildTimeoutMs?: number;
  /** @default 120000 */
  readonly testTimeLimitMs?: number;
  /** @default 2 */
  readonly buildConcurrency?: number;
  /** Told how long each buildah build, podman test run and push took. */
  readonly onToolTime?: (timing: ToolTiming) => void;
  /** Told of each team notification the first time it is stored in the outbox. */
  readonly onNotified?: (notification: TeamNotification) => void;
}

/**
 * The local ports: every `StepPorts` port, with the concrete adapters the runtime also uses (the ban store for
 * start-up recovery, the fleet, admission list and markers for the API, buildah for the base catalogue).
 */
export interface LocalPorts extends StepPorts {
  readonly records: SqliteBuildRecords;
  readonly lineage: SqliteLineageStore;
  readonly bans: SqliteBanStore;
  readonly fleet: PodmanFleet;
  readonly admission: AdmissionFile;
  readonly markers: RegistrySupportMarkers;
  /** The buildah service without the timing wrapper: the base catalogue builds with it. */
  readonly buildah: BuildahBuildService;
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

/**
 * Assembles every port the steps use locally: SQLite state, git, buildah, podman, the guarded registry, files
 * for logs and reports, the outbox, the podman fleet and the admission list. The one place they are put together.
 */
export function localStepPorts(parts: LocalPortParts, options: LocalPortOptions): LocalPorts {
  const { stateDir, db, containerEnv, registry } = parts;
  const reposRoot = join(stateDir, 'repos');
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
  // The policy's build section is read for every build, so a changed policy applies to the next build.
  const buildah = new BuildahBuildService({
    env: containerEnv.env,
    limits: async () => buildLimitsFrom((await options.policy()).build),
  });
  const builder: BuildService = onTool
    ? {
        build: timed(buildah.build.bind(buildah), (ms, [r]) =>
          onTool({ tool: 'build', ms, subject: r.buildId }),
        ),
      }
    : buildah;
  const podman = new PodmanImageTester({ env: containerEnv.env });
  const tester: ImageTester = onTool
    ? { test: timed(podman.test.bind(podman), (ms, [r]) => onTool({ tool: 'test', ms, subject: r.image })) }
    : podman;
  const logs = new FileBuildLogs(stateDir);
  const eventLog = new SqliteEventLog(db);
  const lineage = new SqliteLineageStore(db);
  // Band-aids run with the pipeline's own podman configuration: the same storage the fleet's containers use.
  const fleet = new PodmanFleet({ env: containerEnv.env });
  return {
    bus: parts.bus,
    clock: systemClock,
    policy: options.policy,
    source: new GitDefinitionSource(reposRoot),
    // The local builder is buildah 1.28: no heredocs, so the gate refuses them here.
    gateSettings: {
      builders: [BUILDAH_1_28],
      ...(options.lintConfig ? { lintConfig: options.lintConfig } : {}),
    },
    publishedEvents: { has: async (id) => (await eventLog.get(id)) !== undefined },
    buildContext: new GitBuildContext(reposRoot, {
      maxBytes: async () =>
        buildLimitsFrom((await options.policy()).build).maxContextBytes ??
        DEFAULT_BUILD_LIMITS.maxContextBytes,
    }),
    workspaces: tempBuildWorkspaces(join(containerEnv.root, 'tmp')),
    builder,
    buildLogs: (buildId) => logs.open(buildId),
    limits: {
      buildTimeoutMs: options.buildTimeoutMs ?? 600_000,
      testTimeLimitMs: options.testTimeLimitMs ?? 120_000,
      signal: parts.stopping,
    },
    registry: pipelineRegistry,
    records: new SqliteBuildRecords(db),
    tester,
    testReports: new FileTestReports(stateDir),
    localImages: { discard: (localImage) => buildah.removeImage(localImage) },
    lineage,
    notifier: new OutboxNotifier(
      new SqliteOutbox(db),
      options.onNotified ? { onStored: options.onNotified } : {},
    ),
    bans: new SqliteBanStore(db),
    fleet,
    admission: new AdmissionFile({
      stateDir,
      bannedPatterns: async () => bannedPatternsOf(await options.policy()),
    }),
    markers: new RegistrySupportMarkers({ host: registry.host, credential: parts.credential }),
    banPlan: localPlanPorts({ lineage, registry, registryHost: registry.host }, fleet),
    // One lock for the ban and rebuild workers: two dispatches at once could each see a free slot and pass the cap.
    dispatchLock: inProcessLock(),
    buildConcurrency: options.buildConcurrency ?? 2,
    buildah,
  };
}
