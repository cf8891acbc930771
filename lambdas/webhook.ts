import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { EventBridgeEventBus } from '../adapters/aws/eventbridge-event-bus.js';
import { capturePush } from '../adapters/aws/push-snapshots.js';
import { S3SnapshotStore } from '../adapters/aws/s3-snapshot-store.js';
import { systemClock } from '../core/ports/clock.js';
import { makeWebhookHandler } from './handlers/webhook.js';
import { idempotencyStore, providerAccess, traced } from './shared/aws.js';
import { readEnv } from './shared/env.js';
import { observability } from './shared/observability.js';

const env = readEnv('webhook', ['BUS_NAME', 'SNAPSHOT_BUCKET', 'IDEMPOTENCY_TABLE', 'WEBHOOK_SECRET_ARN']);
const obs = observability('webhook');
const access = providerAccess(obs, env.WEBHOOK_SECRET_ARN);
const store = new S3SnapshotStore({ client: traced(obs, new S3Client({})), bucket: env.SNAPSHOT_BUCKET });

/** Function URL handler of GitHub and GitLab push webhooks. */
export const handler = makeWebhookHandler({
  obs,
  secrets: access.secrets,
  capture: (push) => capturePush(push, { providers: access.providers, store, clock: systemClock }),
  bus: new EventBridgeEventBus({ client: traced(obs, new EventBridgeClient({})), busName: env.BUS_NAME }),
  idempotency: { persistenceStore: idempotencyStore(obs, env.IDEMPOTENCY_TABLE) },
});
