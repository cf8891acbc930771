import { contextDirOf, contextKey } from '../../adapters/aws/s3-snapshot-store.js';
import { DrydockError } from '../../core/errors.js';
import { BUILD_FAILED, type BuildFailedEvent } from '../../core/events/build-failed.js';
import { BuildRequestedEvent } from '../../core/events/build-requested.js';
import { EVENT_SOURCE } from '../../core/events/envelope.js';
import { stableId as stableEventId } from '../../core/events/ids.js';
import type { Clock } from '../../core/ports/clock.js';
import type { EventBus } from '../../core/ports/event-bus.js';
import type { Observability } from '../shared/observability.js';
import { type RecordBackoff, type RecordIdempotency, sqsBatchHandler } from '../shared/sqs-batch.js';
import { wireEvent } from '../shared/wire-event.js';

/** Where the request a remote build runs is kept (S3 on AWS: `builds/<buildId>/request.json`). */
export interface BuildRequestStore {
  /** Stores the whole `Build Requested` event; returns its key. */
  putBuildRequest(event: BuildRequestedEvent): Promise<string>;
}

/** Builds that run the build, test and publish steps elsewhere (CodeBuild on AWS). */
export interface RemoteBuilds {
  /**
   * Starts the build of a request from where its request and zipped context are; the same build id starts one
   * build. A retryable `DrydockError` (throttling, a quota) means try again later.
   */
  start(
    event: BuildRequestedEvent,
    inputs: { readonly requestKey: string; readonly contextKey: string },
  ): Promise<{ readonly arn: string }>;
}

/** What the build starter needs. */
export interface BuildStarterDeps {
  readonly obs: Observability;
  readonly requests: BuildRequestStore;
  readonly builds: RemoteBuilds;
  readonly bus: EventBus;
  readonly clock: Clock;
  readonly idempotency: Omit<RecordIdempotency, 'key'>;
  readonly backoff?: RecordBackoff;
}

/**
 * SQS (from `build-requested-definitions`): for each `Build Requested`, stores the event where the CodeBuild
 * build reads it and starts the build on the context the webhook snapshotted; the build's `drydock step` runs
 * compute image, tag, labels and substitutions from the event. A build id starts one build. Throttling and the
 * concurrent-build quota hand the record back to the queue with backoff; a request CodeBuild can never run (an
 * invalid input) becomes `Build Failed`, so the team hears of it.
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
        const requestKey = await deps.requests.putBuildRequest(event);
        const build = await deps.builds.start(event, {
          requestKey,
          contextKey: contextKey(d.repository, d.commit, contextDirOf(d.definition)),
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
