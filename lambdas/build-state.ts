import { CodeBuildClient } from '@aws-sdk/client-codebuild';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { CodeBuildBuildReader } from '../adapters/aws/codebuild-build-state.js';
import { DynamoDbLineageStore } from '../adapters/aws/dynamodb-lineage-store.js';
import { EventBridgeEventBus } from '../adapters/aws/eventbridge-event-bus.js';
import { lazy } from '../adapters/aws/lazy.js';
import { S3BuildLogs } from '../adapters/aws/s3-build-logs.js';
import { QueueBackoff } from '../adapters/aws/sqs-backoff.js';
import { systemClock } from '../core/ports/clock.js';
import { makeBuildStateHandler } from './handlers/build-state.js';
import { idempotencyStore, traced } from './shared/aws.js';
import { readEnv } from './shared/env.js';
import { observability } from './shared/observability.js';

const env = readEnv('build-state', [
  'BUS_NAME',
  'LINEAGE_TABLE',
  'LOG_BUCKET',
  'IDEMPOTENCY_TABLE',
  'ECR_REGISTRY',
]);
const obs = observability('build-state');

/** SQS handler of the CodeBuild state change queue. */
export const handler = makeBuildStateHandler({
  obs,
  bus: new EventBridgeEventBus({ client: traced(obs, new EventBridgeClient({})), busName: env.BUS_NAME }),
  lineage: new DynamoDbLineageStore({
    client: traced(obs, new DynamoDBClient({})),
    tableName: env.LINEAGE_TABLE,
  }),
  logs: new S3BuildLogs({
    client: lazy(async () => traced(obs, new (await import('@aws-sdk/client-s3')).S3Client({}))),
    bucket: env.LOG_BUCKET,
  }),
  builds: new CodeBuildBuildReader(traced(obs, new CodeBuildClient({}))),
  registry: env.ECR_REGISTRY,
  clock: systemClock,
  idempotency: { persistenceStore: idempotencyStore(obs, env.IDEMPOTENCY_TABLE) },
  backoff: new QueueBackoff({
    client: lazy(async () => traced(obs, new (await import('@aws-sdk/client-sqs')).SQSClient({}))),
  }),
});
