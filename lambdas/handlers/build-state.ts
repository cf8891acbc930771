import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { EventBridgeSchema } from '@aws-lambda-powertools/parser/schemas/eventbridge';
import * as z from 'zod';
import {
  buildStateOutcome,
  type CodeBuildBuildReader,
  CodeBuildStateDetail,
  factsFromEvent,
  withBuild,
} from '../../adapters/aws/codebuild-build-state.js';
import type { S3BuildLogs } from '../../adapters/aws/s3-build-logs.js';
import type { QueueBackoff } from '../../adapters/aws/sqs-backoff.js';
import { recordLineage } from '../../core/pipeline/lineage-step.js';
import type { Clock } from '../../core/ports/clock.js';
import type { EventBus } from '../../core/ports/event-bus.js';
import type { LineageStore } from '../../core/ports/lineage-store.js';
import type { Observability } from '../shared/observability.js';
import { type RecordIdempotency, sqsBatchHandler } from '../shared/sqs-batch.js';

/** CodeBuild's state change event as EventBridge forwards it from the default bus. */
export const CodeBuildStateChangeEvent = EventBridgeSchema.extend({
  source: z.literal('aws.codebuild'),
  'detail-type': z.literal('CodeBuild Build State Change'),
  detail: CodeBuildStateDetail,
});

/** What the build-state listener needs. */
export interface BuildStateDeps {
  readonly obs: Observability;
  readonly bus: EventBus;
  readonly lineage: LineageStore;
  readonly logs: S3BuildLogs;
  readonly builds: CodeBuildBuildReader;
  /** ECR registry host, for the image reference when the build did not export it. */
  readonly registry: string;
  readonly clock: Clock;
  readonly idempotency: Omit<RecordIdempotency, 'key'>;
  readonly backoff?: QueueBackoff;
}

/**
 * SQS (CodeBuild Build State Change, forwarded from the default bus): the build is read back with BatchGetBuilds
 * (its exported variables); a succeeded build is recorded in lineage and announced as `Image Published`; a failed,
 * stopped or timed-out one as `Build Failed` with the end of its log and a link to it. Each (build, status) is
 * handled once.
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
      const status = change.detail['build-status'];
      if (status === 'IN_PROGRESS') return { ignored: 'the build is still running' };
      const facts = withBuild(factsFromEvent(change.detail), await deps.builds.get(arn));
      const logTail = status === 'SUCCEEDED' ? undefined : await tail(deps, arn);
      const outcome = buildStateOutcome(facts, {
        now: deps.clock.now(),
        registry: deps.registry,
        ...(logTail === undefined ? {} : { logTail }),
      });
      if (outcome.kind === 'ignored') return { ignored: outcome.reason };
      // Lineage first: a redelivery after a failed publish records nothing twice and publishes again.
      if (outcome.kind === 'published') {
        if (!outcome.basesKnown) {
          // Lineage without bases cannot answer a ban: make the gap visible rather than silent.
          deps.obs.metrics.addMetric('ImagesWithoutBases', MetricUnit.Count, 1);
          deps.obs.logger.warn('the build reported no base images', { codebuild: arn });
        }
        const { recorded } = await recordLineage(outcome.event, { lineage: deps.lineage });
        await deps.bus.publish([outcome.event]);
        deps.obs.logger.info('image published', { digest: outcome.event.detail.digest, recorded });
        return { published: outcome.event.detail.digest };
      }
      await deps.bus.publish([outcome.event]);
      deps.obs.logger.info('build failed', {
        buildId: outcome.event.detail.buildId,
        stage: outcome.event.detail.stage,
      });
      return { failed: outcome.event.detail.buildId };
    },
  });

// The log tail is a courtesy: without it the event still names the failed phase and links the log.
async function tail(deps: BuildStateDeps, arn: string): Promise<string | undefined> {
  try {
    return await deps.logs.tail(arn);
  } catch (err) {
    deps.obs.logger.warn('could not read the build log', { codebuild: arn, error: err as Error });
    return undefined;
  }
}
