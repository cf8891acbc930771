import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { CodeBuildClient, StartBuildCommand } from '@aws-sdk/client-codebuild';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ChangeMessageVisibilityCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CodeBuildBuildStarter } from '../../adapters/aws/codebuild-build-starter.js';
import { EventBridgeEventBus } from '../../adapters/aws/eventbridge-event-bus.js';
import { S3SnapshotStore } from '../../adapters/aws/s3-snapshot-store.js';
import { QueueBackoff } from '../../adapters/aws/sqs-backoff.js';
import { makeBuildStarterHandler } from '../../lambdas/handlers/build-starter.js';
import { FakeDynamoDb } from '../adapters/aws/fake-dynamodb.js';
import { ManualClock } from '../contracts/manual-clock.js';
import { lambdaContext, quietObservability, sqsEvent, sqsRecord } from './helpers.js';

// A real Build Requested as EventBridge delivers it, moved to a GitHub repository id.
const REQUESTED = (() => {
  const event = JSON.parse(
    readFileSync(join(import.meta.dirname, '../fixtures/events/build-requested.json'), 'utf8'),
  );
  event.detail.repository = 'github.com/acme/payments';
  return event;
})();
const COMMIT = REQUESTED.detail.commit as string;

const cb = mockClient(CodeBuildClient);
const s3 = mockClient(S3Client);
const eb = mockClient(EventBridgeClient);
const sqs = mockClient(SQSClient);
let ddb: FakeDynamoDb;
const sdkError = (name: string) =>
  Object.assign(new Error(name), { name, $metadata: { httpStatusCode: 400 } });

const handler = () =>
  makeBuildStarterHandler({
    obs: quietObservability('build-starter'),
    store: new S3SnapshotStore({ client: new S3Client({ region: 'eu-west-1' }), bucket: 'snapshots' }),
    builds: new CodeBuildBuildStarter(new CodeBuildClient({ region: 'eu-west-1' }), 'drydock-image-build'),
    bus: new EventBridgeEventBus({
      client: new EventBridgeClient({ region: 'eu-west-1' }),
      busName: 'drydock',
    }),
    clock: new ManualClock(),
    repositoryPrefix: 'drydock',
    idempotency: {
      persistenceStore: new DynamoDBPersistenceLayer({
        tableName: 'idempotency',
        awsSdkV3Client: new DynamoDBClient({ region: 'eu-west-1' }),
      }),
    },
    backoff: new QueueBackoff({ client: () => new SQSClient({ region: 'eu-west-1' }), random: () => 0 }),
  });

beforeEach(() => {
  ddb = new FakeDynamoDb();
  for (const m of [cb, s3, eb, sqs]) m.reset();
  s3.on(PutObjectCommand).resolves({});
  cb.on(StartBuildCommand).resolves({
    build: {
      arn: 'arn:aws:codebuild:eu-west-1:111111111111:build/drydock-image-build:1',
      id: 'drydock-image-build:1',
    },
  });
  eb.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'x' }] });
  sqs.on(ChangeMessageVisibilityCommand).resolves({});
});
afterEach(() => {
  ddb.restore();
  for (const m of [cb, s3, eb, sqs]) m.reset();
});

describe('build-starter handler', () => {
  it('stores the Dockerfile and starts exactly this build', async () => {
    expect(await handler()(sqsEvent(sqsRecord(REQUESTED)), lambdaContext())).toEqual({
      batchItemFailures: [],
    });
    expect(s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input)).toEqual([
      {
        Bucket: 'snapshots',
        Key: 'builds/b-01HQ7Z3K9V/Dockerfile',
        Body: REQUESTED.detail.dockerfile,
        ContentType: 'text/plain; charset=utf-8',
      },
    ]);
    const env = (value: string, name: string) => ({ name, value, type: 'PLAINTEXT' });
    expect(cb.commandCalls(StartBuildCommand).map((c) => c.args[0].input)).toEqual([
      {
        projectName: 'drydock-image-build',
        idempotencyToken: 'drydock-b-01HQ7Z3K9V',
        environmentVariablesOverride: [
          env('b-01HQ7Z3K9V', 'DRYDOCK_BUILD_ID'),
          env('6f1b2f4e-3c0a-4d1e-9a57-1f0c9d7e2b10', 'DRYDOCK_CORRELATION_ID'),
          env('c3d4e5f6-a7b8-4c9d-8e0f-112233445566', 'DRYDOCK_EVENT_ID'),
          env('github.com/acme/payments', 'DRYDOCK_REPOSITORY'),
          env(COMMIT, 'DRYDOCK_COMMIT'),
          env('services/api/Dockerfile', 'DRYDOCK_DEFINITION'),
          env(
            `contexts/github.com%2Facme%2Fpayments/${COMMIT}/tree/services/api/context.zip`,
            'DRYDOCK_CONTEXT_KEY',
          ),
          env('builds/b-01HQ7Z3K9V/Dockerfile', 'DRYDOCK_DOCKERFILE_KEY'),
          env('drydock/apps/github.com/acme/payments/services/api', 'DRYDOCK_IMAGE'),
          env('405906c9d5be', 'DRYDOCK_TAG'),
          env('https://github.com/acme/payments', 'DRYDOCK_SOURCE'),
          env(JSON.stringify(REQUESTED.detail.substitutions), 'DRYDOCK_SUBSTITUTIONS'),
        ],
      },
    ]);
  });

  it("tags a ban's rebuild <commit12>-r<number>, never the commit's own tag", async () => {
    const rebuild = {
      ...REQUESTED,
      id: 'build-requested-rebuild',
      detail: {
        ...REQUESTED.detail,
        buildId: 'b-rebuild-2',
        rebuild: {
          banId: 'ban-4c1d9e2a7b3f',
          number: 2,
          of: 'sha256:05b3abf2579a5eb66403cd78be557fd860633a1fe2103c7642030defe32c657f',
          substitutions: [],
        },
      },
    };
    await handler()(sqsEvent(sqsRecord(rebuild)), lambdaContext());
    const vars = cb.commandCalls(StartBuildCommand)[0]?.args[0].input.environmentVariablesOverride ?? [];
    expect(vars.find((v) => v.name === 'DRYDOCK_TAG')?.value).toBe('405906c9d5be-r2');
  });

  it('starts one build for a redelivered request', async () => {
    const h = handler();
    await h(sqsEvent(sqsRecord(REQUESTED)), lambdaContext());
    await h(
      sqsEvent(sqsRecord(REQUESTED, { receiveCount: 2 }), sqsRecord({ ...REQUESTED, id: 'duplicate-put' })),
      lambdaContext(),
    );
    expect(cb.commandCalls(StartBuildCommand)).toHaveLength(1);
  });

  it.each(['AccountLimitExceededException', 'ThrottlingException'])(
    'hands the record back with backoff on %s, never dropping it',
    async (name) => {
      cb.on(StartBuildCommand).rejects(sdkError(name));
      const record = sqsRecord(REQUESTED, { messageId: 'limited', receiveCount: 4 });
      const ok = sqsRecord(
        { ...REQUESTED, detail: { ...REQUESTED.detail, buildId: 'b-other' } },
        { messageId: 'other' },
      );
      cb.on(StartBuildCommand, { idempotencyToken: 'drydock-b-other' }).resolves({
        build: { arn: 'arn:x', id: 'x' },
      });
      expect(await handler()(sqsEvent(record, ok), lambdaContext())).toEqual({
        batchItemFailures: [{ itemIdentifier: 'limited' }],
      });
      expect(sqs.commandCalls(ChangeMessageVisibilityCommand).map((c) => c.args[0].input)).toEqual([
        {
          QueueUrl: 'https://sqs.eu-west-1.amazonaws.com/111111111111/drydock-queue',
          ReceiptHandle: record.receiptHandle,
          VisibilityTimeout: 120,
        },
      ]);
      expect(eb.commandCalls(PutEventsCommand)).toHaveLength(0);
    },
  );

  it('turns a request CodeBuild can never run into Build Failed, and finishes the record', async () => {
    cb.on(StartBuildCommand).rejects(sdkError('InvalidInputException'));
    expect(await handler()(sqsEvent(sqsRecord(REQUESTED)), lambdaContext())).toEqual({
      batchItemFailures: [],
    });
    const [entry] = eb.commandCalls(PutEventsCommand)[0]!.args[0].input.Entries ?? [];
    expect(entry?.DetailType).toBe('Build Failed');
    expect(JSON.parse(entry!.Detail!)).toMatchObject({
      buildId: 'b-01HQ7Z3K9V',
      stage: 'build',
      reason: expect.stringMatching(
        /^the build could not start: codebuild:StartBuild failed: InvalidInputException/,
      ),
      logTail: '',
    });
  });
});
