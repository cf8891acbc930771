import type { CodeBuildBuildStarter } from '../../adapters/aws/codebuild-build-starter.js';
import { contextDirOf, contextKey, type S3SnapshotStore } from '../../adapters/aws/s3-snapshot-store.js';
import type { QueueBackoff } from '../../adapters/aws/sqs-backoff.js';
import { DrydockError } from '../../core/errors.js';
import { BUILD_FAILED, type BuildFailedEvent } from '../../core/events/build-failed.js';
import { BuildRequestedEvent } from '../../core/events/build-requested.js';
import { EVENT_SOURCE } from '../../core/events/envelope.js';
import { stableId as stableEventId } from '../../core/events/ids.js';
import { publishedTag, repositoryForDefinition, shortCommitTag } from '../../core/pipeline/publish-step.js';
import type { Clock } from '../../core/ports/clock.js';
import type { EventBus } from '../../core/ports/event-bus.js';
import type { Observability } from '../shared/observability.js';
import { type RecordIdempotency, sqsBatchHandler } from '../shared/sqs-batch.js';
import { wireEvent } from '../shared/wire-event.js';

/** What the build starter needs. */
export interface BuildStarterDeps {
  readonly obs: Observability;
  readonly store: S3SnapshotStore;
  readonly builds: CodeBuildBuildStarter;
  readonly bus: EventBus;
  readonly clock: Clock;
  /** Path prefix of drydock's ECR repositories. */
  readonly repositoryPrefix: string;
  readonly idempotency: Omit<RecordIdempotency, 'key'>;
  readonly backoff?: QueueBackoff;
}

/**
 * SQS (from `build-requested-definitions`): for each `Build Requested`, stores the Dockerfile to build and starts
 * the CodeBuild build on the context the webhook snapshotted. A build id starts one build. Throttling and the
 * concurrent-build quota hand the record back to the queue with backoff; a request CodeBuild can never run (an
 * unnameable repository, an invalid input) becomes `Build Failed`, so the team hears of it.
 */
export const makeBuildStarterHandler = (deps: BuildStarterDeps) =>
  sqsBatchHandler({
    obs: deps.obs,
    keyPrefix: 'drydock.build-starter',
    body: wireEvent(BuildRequestedEvent),
    // A day: far longer than the queue keeps retrying, so a late redelivery cannot start a second build.
    idempotency: { ...deps.idempotency, key: 'body.detail.buildId', expiresAfterSeconds: 86_400 },
    ...(deps.backoff ? { backoff: deps.backoff } : {}),
    handle: async (event) => {
      const d = event.detail;
      try {
        const prefix = deps.repositoryPrefix.replace(/^\/+|\/+$/g, '');
        const image = `${prefix}/${repositoryForDefinition(d.definition, d.repository)}`;
        const dockerfileKey = await deps.store.putBuildDockerfile(d.buildId, d.dockerfile);
        const build = await deps.builds.start(event, {
          contextKey: contextKey(d.repository, d.commit, contextDirOf(d.definition)),
          dockerfileKey,
          image,
          // A ban's rebuild of a commit gets its own tag: the commit's tag is immutable and holds the old image.
          tag: publishedTag(shortCommitTag(d.commit), d.rebuild),
          source: `https://${d.repository}`,
        });
        deps.obs.logger.info('build started', { buildId: d.buildId, codebuild: build.arn });
        return { buildId: d.buildId, codebuildArn: build.arn };
      } catch (err) {
        if (!(err instanceof DrydockError) || err.retryable) throw err;
        await deps.bus.publish([notStarted(event, err, deps.clock)]);
        deps.obs.logger.warn('build not started', { buildId: d.buildId, error: err });
        return { buildId: d.buildId, failed: err.code };
      }
    },
  });

function notStarted(event: BuildRequestedEvent, err: DrydockError, clock: Clock): BuildFailedEvent {
  const { dockerfile: _dockerfile, substitutions: _substitutions, ...subject } = event.detail;
  return {
    id: stableEventId('build-failed', subject.buildId, 'not-started'),
    source: EVENT_SOURCE,
    detailType: BUILD_FAILED,
    time: clock.now().toISOString(),
    detail: { ...subject, stage: 'build', reason: `the build could not start: ${err.message}`, logTail: '' },
  };
}
