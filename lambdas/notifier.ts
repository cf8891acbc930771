import { SNSClient } from '@aws-sdk/client-sns';
import { lazy } from '../adapters/aws/lazy.js';
import { SnsNotifier } from '../adapters/aws/sns-notifier.js';
import { QueueBackoff } from '../adapters/aws/sqs-backoff.js';
import { makeNotifierHandler } from './handlers/notifier.js';
import { idempotencyStore, traced } from './shared/aws.js';
import { readEnv } from './shared/env.js';
import { observability } from './shared/observability.js';

const env = readEnv('notifier', ['TOPIC_ARN', 'IDEMPOTENCY_TABLE']);
const obs = observability('notifier');

/** SQS handler of the notification queue. */
export const handler = makeNotifierHandler({
  obs,
  notifier: new SnsNotifier(traced(obs, new SNSClient({})), env.TOPIC_ARN),
  idempotency: { persistenceStore: idempotencyStore(obs, env.IDEMPOTENCY_TABLE) },
  backoff: new QueueBackoff({
    client: lazy(async () => traced(obs, new (await import('@aws-sdk/client-sqs')).SQSClient({}))),
  }),
});
