import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { EventBridgeSchema } from '@aws-lambda-powertools/parser/schemas/eventbridge';
import * as z from 'zod';
import {
  type BuildFacts,
  buildEventsOf,
  buildIdOf,
  buildRequestOf,
  CodeBuildStateDetail,
  endsBuild,
  unfinishedBuild,
} from '../../adapters/aws/codebuild-build-state.js';
import type { DrydockEvent } from '../../core/events/index.js';
import type { Clock } from '../../core/ports/clock.js';
import type { EventBus } from '../../core/ports/event-bus.js';
import { STEP_DECLARATIONS } from '../../core/steps/declarations.js';
import { TARGET_ROUTES } from '../shared/deployment.js';
import type { Observability } from '../shared/observability.js';
import { type RecordBackoff, type RecordIdempotency, sqsBatchHandler } from '../shared/sqs-batch.js';

/** CodeBuild's state change event as EventBridge forwards it from the default bus. */
export const CodeBuildStateChangeEvent = EventBridgeSchema.extend({
  source: z.literal('aws.codebuild'),
  'detail-type': z.literal('CodeBuild Build State Change'),
  detail: CodeBuildStateDetail,
});

const CODEBUILD_STEPS = TARGET_ROUTES.build.steps.map((name) => STEP_DECLARATIONS[name]);

/** The detail-types the steps of the CodeBuild build may publish (the emits of `TARGET_ROUTES.build.steps`). */
export const CODEBUILD_EMITS: ReadonlySet<string> = new Set(CODEBUILD_STEPS.flatMap((s) => s.emits));

/** What may follow an event in a build's events file: what the CodeBuild steps consuming its detail-type emit. */
export function codebuildNext(detailType: string): ReadonlySet<string> {
  return new Set(
    CODEBUILD_STEPS.filter((s) => (s.consumes as readonly string[]).includes(detailType)).flatMap(
      (s) => s.emits,
    ),
  );
}

/**
 * How much of an events file is read. The build writes that file, so its size is the build's choice: the steps
 * publish at most three events of at most 256 KiB each (the EventBridge entry limit), so 1 MiB holds every honest
 * file, and a larger one costs the function no more than this; lines past the cap are refused.
 */
export const BUILD_EVENTS_MAX_BYTES = 1024 * 1024;

/** What a finished CodeBuild build left behind, as the build-state function reads it. */
export interface BuildOutcomeReader {
  /** The facts of the state change, completed by reading the build back. */
  facts(detail: CodeBuildStateDetail): Promise<BuildFacts>;
  /** The request the build starter stored for a build (JSON, checked by the caller); undefined when none. */
  request(buildId: string): Promise<unknown>;
  /** The first `maxBytes` of the build's events file; undefined when it uploaded none (no step ran). */
  events(
    buildId: string,
    maxBytes: number,
  ): Promise<{ readonly text: string; readonly truncated: boolean } | undefined>;
  /** The end of the build's log; undefined when it cannot be read (the event still links the log). */
  logTail(buildArn: string): Promise<string | undefined>;
}

/** What the build-state function needs. */
export interface BuildStateDeps {
  readonly obs: Observability;
  readonly bus: EventBus;
  readonly builds: BuildOutcomeReader;
  readonly clock: Clock;
  readonly idempotency: Omit<RecordIdempotency, 'key'>;
  readonly backoff?: RecordBackoff;
}

// Refused lines logged per build: enough to see the attack, not a log flood from a crafted file.
const LOGGED_REFUSALS = 20;

/**
 * SQS (CodeBuild Build State Change, forwarded from the default bus): relays what the steps of a finished build
 * published (`builds/<buildId>/events.jsonl`), in order, after refusing every line that is not an event of this
 * build of a detail-type those steps may publish; when the relayed events do not end the build, adds a
 * `Build Failed` from the CodeBuild facts. Lineage is the lineage step's (it consumes the relayed `Image
 * Published`). Each (build, status) is handled once.
 */
export const makeBuildStateHandler = (deps: BuildStateDeps) =>
  sqsBatchHandler({
    obs: deps.obs,
    keyPrefix: 'drydock.build-state',
    body: CodeBuildStateChangeEvent,
    idempotency: {
      ...deps.idempotency,
      key: '[body.detail."build-id", body.detail."build-status"]',
      expiresAfterSeconds: 86_400,
    },
    ...(deps.backoff ? { backoff: deps.backoff } : {}),
    handle: async (change) => {
      const arn = change.detail['build-id'];
      if (change.detail['build-status'] === 'IN_PROGRESS') return { ignored: 'the build is still running' };
      const facts = await deps.builds.facts(change.detail);
      const buildId = buildIdOf(facts);
      const request = buildRequestOf(facts, buildId, await deps.builds.request(buildId));
      const file = await deps.builds.events(buildId, BUILD_EVENTS_MAX_BYTES);
      const { events, refused } = file
        ? buildEventsOf(file.text, request, {
            allowed: CODEBUILD_EMITS,
            next: codebuildNext,
            truncated: file.truncated,
            // The build id is the definition's at the commit: a later CodeBuild build may share it and this file.
            ...(facts.startedAt ? { startedAt: facts.startedAt } : {}),
          })
        : { events: [], refused: [] };
      if (refused.length > 0) {
        deps.obs.metrics.addMetric('BuildEventsRefused', MetricUnit.Count, refused.length);
        deps.obs.logger.warn('build events refused', {
          buildId,
          codebuild: arn,
          refused: refused.length,
          lines: refused.slice(0, LOGGED_REFUSALS),
          ...(file?.truncated ? { cappedAtBytes: BUILD_EVENTS_MAX_BYTES } : {}),
        });
      }
      const last = events.at(-1);
      // The log is read only for a build that did not end: its tail goes into the Build Failed.
      const logTail = endsBuild(last) ? undefined : await tail(deps, arn);
      const failed = unfinishedBuild(facts, request, last, {
        now: deps.clock.now(),
        ...(logTail === undefined ? {} : { logTail }),
      });
      const relay: DrydockEvent[] = failed ? [...events, failed] : [...events];
      if (relay.length > 0) await deps.bus.publish(relay);
      deps.obs.logger.info('build relayed', {
        buildId,
        codebuild: arn,
        status: facts.status,
        relayed: relay.map((e) => e.detailType),
        eventsFile: file !== undefined,
      });
      return { buildId, relayed: relay.map((e) => e.id), refused: refused.length };
    },
  });

async function tail(deps: BuildStateDeps, arn: string): Promise<string | undefined> {
  try {
    return await deps.builds.logTail(arn);
  } catch (err) {
    deps.obs.logger.warn('could not read the build log', { codebuild: arn, error: err as Error });
    return undefined;
  }
}
