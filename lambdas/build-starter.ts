import { CodeBuildClient } from '@aws-sdk/client-codebuild';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { CodeBuildBuildStarter } from '../adapters/aws/codebuild-build-starter.js';
import { EventBridgeEventBus } from '../adapters/aws/eventbridge-event-bus.js';
import { lazy } from '../adapters/aws/lazy.js';
import { S3SnapshotStore } from '../adapters/aws/s3-snapshot-store.js';
import { QueueBackoff } from '../adapters/aws/sqs-backoff.js';
import { systemClock } from '../core/ports/clock.js';
import { makeBuildStarterHandler } from './handlers/build-starter.js';
import { idempotencyStore, traced } from './shared/aws.js';
import { readEnv } from './shared/env.js';
import { observability } from './shared/observability.js';

const env = readEnv('build-starter', [
  'BUS_NAME',
  'BUILD_PROJECT',
  'SNAPSHOT_BUCKET',
  'IDEMPOTENCY_TABLE',
  'REPOSITORY_PREFIX',
]);
const obs = observability('build-starter');

/** SQS handler of the build queue. */
export const handler = makeBuildStarterHandler({
  obs,
  store: new S3SnapshotStore({ client: traced(obs, new S3Client({})), bucket: env.SNAPSHOT_BUCKET }),
  builds: new CodeBuildBuildStarter(traced(obs, new CodeBuildClient({})), env.BUILD_PROJECT),
  bus: new EventBridgeEventBus({ client: traced(obs, new EventBridgeClient({})), busName: env.BUS_NAME }),
  clock: systemClock,
  repositoryPrefix: env.REPOSITORY_PREFIX,
  idempotency: { persistenceStore: idempotencyStore(obs, env.IDEMPOTENCY_TABLE) },
  backoff: new QueueBackoff({
    client: lazy(async () => traced(obs, new (await import('@aws-sdk/client-sqs')).SQSClient({}))),
  }),
});
