import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { SSMClient } from '@aws-sdk/client-ssm';
import { EventBridgeEventBus } from '../adapters/aws/eventbridge-event-bus.js';
import { lazy } from '../adapters/aws/lazy.js';
import { S3SnapshotStore } from '../adapters/aws/s3-snapshot-store.js';
import { QueueBackoff } from '../adapters/aws/sqs-backoff.js';
import { SsmPolicySource } from '../adapters/aws/ssm-policy-source.js';
import { systemClock } from '../core/ports/clock.js';
import { makeGateHandler } from './handlers/gate.js';
import { idempotencyStore, traced } from './shared/aws.js';
import { readEnv } from './shared/env.js';
import { observability } from './shared/observability.js';

const env = readEnv('gate', ['BUS_NAME', 'POLICY_PARAMETER', 'SNAPSHOT_BUCKET', 'IDEMPOTENCY_TABLE']);
const obs = observability('gate');
const policy = new SsmPolicySource({
  client: traced(obs, new SSMClient({})),
  parameterName: env.POLICY_PARAMETER,
});

/** SQS handler of the gate queue. */
export const handler = makeGateHandler({
  obs,
  bus: new EventBridgeEventBus({ client: traced(obs, new EventBridgeClient({})), busName: env.BUS_NAME }),
  source: new S3SnapshotStore({ client: traced(obs, new S3Client({})), bucket: env.SNAPSHOT_BUCKET }),
  policy: () => policy.policy(),
  clock: systemClock,
  idempotency: { persistenceStore: idempotencyStore(obs, env.IDEMPOTENCY_TABLE) },
  backoff: new QueueBackoff({
    client: lazy(async () => traced(obs, new (await import('@aws-sdk/client-sqs')).SQSClient({}))),
  }),
});
