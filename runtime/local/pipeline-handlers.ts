import { BUILDAH_1_28 } from '../../core/dockerfile/builder-profile.js';
import { DrydockError } from '../../core/errors.js';
import type { BuildFailedEvent } from '../../core/events/build-failed.js';
import type { ImageTestedEvent } from '../../core/events/image-tested.js';
import type { DrydockEvent } from '../../core/events/index.js';
import { gateRequestedDefinition, splitPush, verdictIdFor } from '../../core/gate/handle-push.js';
import type { LintConfig } from '../../core/lint/config.js';
import { type BuildStepDeps, runBuild } from '../../core/pipeline/build-step.js';
import { type FailedBuildSubject, failBuild } from '../../core/pipeline/fail-build.js';
import { recordLineage } from '../../core/pipeline/lineage-step.js';
import { publishImage } from '../../core/pipeline/publish-step.js';
import { runImageTests, type TestReports } from '../../core/pipeline/test-step.js';
import type { Policy } from '../../core/policy/schema.js';
import type { BuildRecords } from '../../core/ports/build-records.js';
import type { Clock } from '../../core/ports/clock.js';
import type { DefinitionSource } from '../../core/ports/definition-source.js';
import type { EventBus } from '../../core/ports/event-bus.js';
import type { ImageRegistry } from '../../core/ports/image-registry.js';
import type { ImageTester } from '../../core/ports/image-tester.js';
import type { LineageStore } from '../../core/ports/lineage-store.js';
import type { EventHandler } from './queue-worker.js';

/** Every port the push flow's steps use, assembled once (by `openLocalPipeline` here, by the Lambdas on AWS). */
export interface PipelineDeps {
  readonly bus: EventBus;
  readonly clock: Clock;
  readonly policy: () => Promise<Policy>;
  readonly lintConfig?: LintConfig;
  readonly source: DefinitionSource;
  readonly build: Omit<BuildStepDeps, 'records' | 'registry'>;
  readonly registry: ImageRegistry;
  readonly records: BuildRecords;
  readonly tester: ImageTester;
  readonly reports: TestReports;
  readonly lineage: LineageStore;
  readonly testTimeLimitMs: number;
  /** Aborted when the pipeline stops; running image tests end and run again at the next start. */
  readonly testSignal?: AbortSignal;
  /** Receives events meant for the team (failed verdicts, builds and tests); the outbox later. */
  readonly notify: (event: DrydockEvent) => Promise<void>;
  /**
   * True when the event log already holds an event id: a redelivered gate request whose verdict is logged
   * (the verdict is published last, after its build request) is not gated again. @default never logged
   */
  readonly logged?: (eventId: string) => Promise<boolean>;
  /** Drops a build's local image once it is published or will never be; failures are only reported. */
  readonly discardLocalImage?: (localImage: string) => Promise<void>;
}

/** The handler of each rule target: parse was done by the worker; each step calls the domain and publishes. */
export function pipelineHandlers(deps: PipelineDeps): Record<string, EventHandler> {
  // A failure no retry can fix ends the build (record failed, Build Failed for the team) instead of leaving
  // the record in testing/pushing and the message in the dead-letter queue where nobody is told.
  const orFailBuild = async <T extends DrydockEvent>(
    subject: FailedBuildSubject,
    stage: 'test' | 'push',
    step: () => Promise<T>,
  ): Promise<T | BuildFailedEvent> => {
    try {
      return await step();
    } catch (error) {
      if (!(error instanceof DrydockError) || error.retryable) throw error;
      return failBuild(subject, stage, error.message, { records: deps.records, clock: deps.clock });
    }
  };
  // Disk hygiene must never fail a step that already succeeded.
  const discard = async (localImage: string): Promise<void> => {
    try {
      await deps.discardLocalImage?.(localImage);
    } catch {
      // A leftover image costs disk, not correctness; the next start's clean-up does not need it either.
    }
  };
  return {
    // A push is taken apart into one message per definition, which the fair gate queue interleaves with
    // other repositories' work; each definition is then gated alone.
    gate: async (e) => {
      if (e.detailType === 'Definition Pushed') {
        const split = await splitPush(e, { policy: deps.policy, clock: deps.clock });
        await deps.bus.publish([...split.verdicts, ...split.requests]);
        return;
      }
      if (e.detailType !== 'Definition Gate Requested') return;
      const { repository, commit, definition, rebuild } = e.detail;
      if (await deps.logged?.(verdictIdFor(repository, commit, definition, rebuild))) return;
      const out = await gateRequestedDefinition(e, {
        source: deps.source,
        policy: deps.policy,
        clock: deps.clock,
        ...(deps.lintConfig ? { config: deps.lintConfig } : {}),
        // The local builder is buildah 1.28: no heredocs, so the gate refuses them here.
        builders: [BUILDAH_1_28],
      });
      // The verdict last: once it is logged, everything this request produces is.
      await deps.bus.publish([...out.builds, ...out.verdicts]);
    },
    build: async (e) => {
      if (e.detailType !== 'Build Requested') return;
      await deps.bus.publish([
        await runBuild(e, { ...deps.build, records: deps.records, registry: deps.registry }),
      ]);
    },
    test: async (e) => {
      if (e.detailType !== 'Build Completed') return;
      // The test run goes on in the build's log (a reopened log appends), so `drydock logs` shows the outcome.
      const log = deps.build.logSink(e.detail.buildId);
      let tested: ImageTestedEvent | BuildFailedEvent;
      try {
        tested = await orFailBuild(e.detail, 'test', () =>
          runImageTests(e, {
            source: deps.source,
            tester: deps.tester,
            reports: deps.reports,
            records: deps.records,
            clock: deps.clock,
            timeLimitMs: deps.testTimeLimitMs,
            log: (line) => log.write(line),
            ...(deps.testSignal ? { signal: deps.testSignal } : {}),
          }),
        );
      } finally {
        try {
          await log.close();
        } catch {
          // The log is for people: the event and the JUnit report carry the outcome, so it is not run again.
        }
      }
      await deps.bus.publish([tested]);
      if (tested.detailType !== 'Image Tested' || !tested.detail.passed) await discard(e.detail.imageRef);
    },
    publish: async (e) => {
      if (e.detailType !== 'Image Tested') return;
      await deps.bus.publish([
        await orFailBuild(e.detail, 'push', () =>
          publishImage(e, { registry: deps.registry, records: deps.records, clock: deps.clock }),
        ),
      ]);
      await discard(e.detail.imageRef);
    },
    lineage: async (e) => {
      if (e.detailType === 'Image Published') await recordLineage(e, { lineage: deps.lineage });
    },
    notify: (e) => deps.notify(e),
  };
}
