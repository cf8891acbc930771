import { readFileSync } from 'node:fs';
import { BUILDAH_1_28 } from '../../core/dockerfile/builder-profile.js';
import { parsePolicy } from '../../core/policy/parse-policy.js';
import type { Policy } from '../../core/policy/schema.js';
import {
  buildStep,
  type GateSettings,
  gateStep,
  lineageStep,
  notifyStep,
  publishStep,
  type StepLimits,
  type StepPorts,
  testStep,
} from '../../core/steps/index.js';
import { ManualClock } from '../contracts/manual-clock.js';
import { FakeBuildContext, FakeWorkspaces } from './build-context.js';
import { FakeBuildLogs } from './build-logs.js';
import { InMemoryBuildRecords } from './build-records.js';
import { FakeBuildService } from './build-service.js';
import { FakeDefinitionSource } from './definition-source.js';
import { FakeEventBus } from './event-bus.js';
import { FakeImageRegistry } from './image-registry.js';
import { FakeImageStore, FakeLocalImages } from './image-store.js';
import { FakeImageTester } from './image-tester.js';
import { InMemoryLineageStore } from './lineage-store.js';
import { FakeTeamNotifier } from './team-notifier.js';
import { FakeTestReports } from './test-reports.js';

/** The steps of the push flow, from a push to its lineage and the team's notifications. */
export const PUSH_FLOW_STEPS = [gateStep, buildStep, testStep, publishStep, lineageStep, notifyStep] as const;

/** A port some step of the push flow declares. */
export type PushFlowPort = (typeof PUSH_FLOW_STEPS)[number]['ports'][number];

/** The ops policy of examples/policy.yaml (its whitelist admits 127.0.0.1:5000/base/busybox:1.36*). */
export const EXAMPLE_POLICY: Policy = parsePolicy(
  readFileSync(new URL('../../examples/policy.yaml', import.meta.url), 'utf8'),
);

/** Every fake of the push flow, wired together, and the ports made of them. */
export interface PushFlowFakes {
  readonly ports: Pick<StepPorts, PushFlowPort>;
  readonly bus: FakeEventBus;
  readonly clock: ManualClock;
  readonly source: FakeDefinitionSource;
  readonly context: FakeBuildContext;
  readonly workspaces: FakeWorkspaces;
  readonly images: FakeImageStore;
  readonly builder: FakeBuildService;
  readonly logs: FakeBuildLogs;
  readonly registry: FakeImageRegistry;
  readonly records: InMemoryBuildRecords;
  readonly tester: FakeImageTester;
  readonly reports: FakeTestReports;
  readonly localImages: FakeLocalImages;
  readonly lineage: InMemoryLineageStore;
  readonly notifier: FakeTeamNotifier;
  /** The policy the `policy` port answers; replace it to change the policy for the next event. */
  policy: Policy;
}

/**
 * In-memory fakes of every port the push-flow steps use, sharing one manual clock and one local image store (the
 * builder adds to it, the registry pushes from it, the tester and local images read and discard it). The registry
 * is at `127.0.0.1:5000`, the host examples/policy.yaml trusts.
 */
export function pushFlowFakes(
  options: {
    readonly host?: string;
    readonly policy?: Policy;
    readonly limits?: Partial<StepLimits>;
    readonly gateSettings?: GateSettings;
  } = {},
): PushFlowFakes {
  const clock = new ManualClock();
  const source = new FakeDefinitionSource();
  const context = new FakeBuildContext(source);
  const images = new FakeImageStore();
  const fakes = {
    bus: new FakeEventBus(),
    clock,
    source,
    context,
    workspaces: new FakeWorkspaces(),
    images,
    builder: new FakeBuildService({ store: images, context }),
    logs: new FakeBuildLogs(),
    registry: new FakeImageRegistry({ store: images, ...(options.host ? { host: options.host } : {}) }),
    records: new InMemoryBuildRecords({ clock }),
    tester: new FakeImageTester({ store: images }),
    reports: new FakeTestReports(),
    localImages: new FakeLocalImages(images),
    lineage: new InMemoryLineageStore(),
    notifier: new FakeTeamNotifier(),
  };
  const flow: Omit<PushFlowFakes, 'ports'> = { ...fakes, policy: options.policy ?? EXAMPLE_POLICY };
  const ports: Pick<StepPorts, PushFlowPort> = {
    bus: fakes.bus,
    clock,
    policy: async () => flow.policy,
    source,
    gateSettings: options.gateSettings ?? { builders: [BUILDAH_1_28] },
    publishedEvents: fakes.bus,
    buildContext: context,
    workspaces: fakes.workspaces.open,
    builder: fakes.builder,
    buildLogs: fakes.logs.open,
    limits: { buildTimeoutMs: 120_000, testTimeLimitMs: 30_000, ...options.limits },
    registry: fakes.registry,
    records: fakes.records,
    tester: fakes.tester,
    testReports: fakes.reports,
    localImages: fakes.localImages,
    lineage: fakes.lineage,
    notifier: fakes.notifier,
  };
  return Object.assign(flow, { ports });
}
