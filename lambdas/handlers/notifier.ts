import * as z from 'zod';
import type { SnsNotifier } from '../../adapters/aws/sns-notifier.js';
import type { QueueBackoff } from '../../adapters/aws/sqs-backoff.js';
import { BuildFailedEvent } from '../../core/events/build-failed.js';
import { DefinitionVerdictEvent } from '../../core/events/definition-verdict.js';
import { ImageTestedEvent } from '../../core/events/image-tested.js';
import type { Observability } from '../shared/observability.js';
import { type RecordIdempotency, sqsBatchHandler } from '../shared/sqs-batch.js';
import { wireEvent } from '../shared/wire-event.js';

/** The events the `notify-teams` rule delivers. */
export const NotifiableEvent = wireEvent(
  z.discriminatedUnion('detailType', [DefinitionVerdictEvent, BuildFailedEvent, ImageTestedEvent]),
);

/** What the notifier needs. */
export interface NotifierDeps {
  readonly obs: Observability;
  readonly notifier: SnsNotifier;
  readonly idempotency: Omit<RecordIdempotency, 'key'>;
  readonly backoff?: QueueBackoff;
}

/** SQS (from `notify-teams`): failed verdicts, builds and test runs become one SNS message each, sent once. */
export const makeNotifierHandler = (deps: NotifierDeps) =>
  sqsBatchHandler({
    obs: deps.obs,
    keyPrefix: 'drydock.notifier',
    body: NotifiableEvent,
    idempotency: { ...deps.idempotency, key: '[body.detailType, body.detail]', expiresAfterSeconds: 86_400 },
    ...(deps.backoff ? { backoff: deps.backoff } : {}),
    handle: async (event) => {
      const messageId = await deps.notifier.notify(event);
      return messageId === undefined ? { skipped: 'nothing to tell' } : { messageId };
    },
  });
