import type { DispatchLock } from '../ban/dispatch-rebuilds.js';
import type { PlanBanPorts } from '../ban/plan-ban.js';
import type { BuilderProfile } from '../dockerfile/builder-profile.js';
import type { DrydockEvent } from '../events/index.js';
import type { LintConfig } from '../lint/config.js';
import type { BuildLog } from '../pipeline/build-step.js';
import type { TestReports } from '../pipeline/test-step.js';
import type { Policy } from '../policy/schema.js';
import type { AdmissionList } from '../ports/admission-list.js';
import type { BanStore } from '../ports/ban-store.js';
import type { BuildContextSource, BuildWorkspaces } from '../ports/build-context.js';
import type { BuildRecords } from '../ports/build-records.js';
import type { BuildService } from '../ports/build-service.js';
import type { Clock } from '../ports/clock.js';
import type { DefinitionSource } from '../ports/definition-source.js';
import type { EventBus } from '../ports/event-bus.js';
import type { Fleet } from '../ports/fleet.js';
import type { PipelineRegistry } from '../ports/image-registry.js';
import type { ImageTester } from '../ports/image-tester.js';
import type { LineageStore } from '../ports/lineage-store.js';
import type { SupportMarkers } from '../ports/support-markers.js';

/** How the gate reads definitions: the builders it must agree with and the ops' lint configuration. */
export interface GateSettings {
  /** The gate refuses what any of these builders would read differently from its parser. */
  readonly builders: readonly BuilderProfile[];
  readonly lintConfig?: LintConfig;
}

/** Time limits of a build and of its image tests, and the signal that ends them when the runtime stops. */
export interface StepLimits {
  readonly buildTimeoutMs: number;
  readonly testTimeLimitMs: number;
  /** Lines of a failed build's log carried in its event. @default 20 */
  readonly logTailLines?: number;
  /** Aborted when the runtime stops: a running build or test run ends and its message is handled again. */
  readonly signal?: AbortSignal;
}

/** The builder's local images: dropped once published or never to be (disk hygiene, never a failure). */
export interface LocalImages {
  discard(localImage: string): Promise<void>;
}

/** Events the runtime has already published, by id (the local event log; nothing on AWS, where Powertools idempotency covers redelivery). */
export interface PublishedEvents {
  has(eventId: string): Promise<boolean>;
}

/** Tells teams about an event that concerns them (the outbox locally, SNS on AWS); undefined when there is nothing to say. */
export interface TeamNotifier {
  notify(event: DrydockEvent): Promise<string | undefined>;
}

/**
 * Every port any step uses, by name. A step declares the names it needs and its handler sees only those; a
 * runtime assembles only the ports of the steps it runs (`runtime/local`, `lambdas/shared/aws-ports.ts`,
 * `runtime/codebuild`). Infra grants each function the IAM permissions of the ports its step declares.
 */
export interface StepPorts {
  readonly bus: EventBus;
  readonly clock: Clock;
  /** The policy in force, read anew per use so that a changed policy applies to the next event. */
  readonly policy: () => Promise<Policy>;
  readonly source: DefinitionSource;
  readonly gateSettings: GateSettings;
  readonly publishedEvents: PublishedEvents;
  readonly buildContext: BuildContextSource;
  readonly workspaces: BuildWorkspaces;
  readonly builder: BuildService;
  readonly buildLogs: (buildId: string) => BuildLog;
  readonly limits: StepLimits;
  /** The registry bases are resolved in and images published to (only the pipeline may push). */
  readonly registry: PipelineRegistry;
  readonly records: BuildRecords;
  readonly tester: ImageTester;
  readonly testReports: TestReports;
  readonly localImages: LocalImages;
  readonly lineage: LineageStore;
  readonly notifier: TeamNotifier;
  readonly bans: BanStore;
  readonly fleet: Fleet;
  readonly admission: AdmissionList;
  readonly markers: SupportMarkers;
  /** What planning a ban reads (lineage, fleet, registry tags). */
  readonly banPlan: PlanBanPorts;
  /** Serialises dispatching rebuilds across the `ban` and `rebuilds` consumers. */
  readonly dispatchLock: DispatchLock;
  /** Rebuilds at once when the policy sets no `response.maxConcurrentRebuilds`. */
  readonly buildConcurrency: number;
}

/** The name of a port. */
export type PortName = keyof StepPorts;
