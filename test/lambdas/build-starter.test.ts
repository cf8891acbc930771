import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CodeBuildClient, StartBuildCommand } from '@aws-sdk/client-codebuild';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ChangeMessageVisibilityCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QueueBackoff } from '../../adapters/aws/sqs-backoff.js';
import { parseEvent } from '../../core/events/index.js';
import { makeBuildStarterHandler } from '../../lambdas/handlers/build-starter.js';
import { buildStarterDeps } from '../../lambdas/shared/deps/build-starter.js';
import { FakeDynamoDb } from '../adapters/aws/fake-dynamodb.js';
import { LAMBDA_ENV } from '../fixtures/lambda-env.js';
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

// The build starter as deployed (its composition root), with the SDKs mocked.
const handler = () =>
  makeBuildStarterHandler({
    ...buildStarterDeps({ ...LAMBDA_ENV, SNAPSHOT_BUCKET: 'snapshots' }),
    obs: quietObservability('build-starter'),
    backoff: new QueueBackoff({ client: () => new SQSClient({ region: 'eu-west-1' }), random: () => 0 }),
  });

beforeEach(() => {
  vi.stubEnv('AWS_REGION', 'eu-west-1');
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
  vi.unstubAllEnvs();
  ddb.restore();
  for (const m of [cb, s3, eb, sqs]) m.reset();
});

describe('build-starter handler', () => {
  it('stores the whole request where the build reads it, and starts the build with where request and context are', async () => {
    expect(await handler()(sqsEvent(sqsRecord(REQUESTED)), lambdaContext())).toEqual({
      batchItemFailures: [],
    });
    const puts = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
    expect(puts.map(({ Bucket, Key, ContentType }) => ({ Bucket, Key, ContentType }))).toEqual([
      { Bucket: 'snapshots', Key: 'builds/b-01HQ7Z3K9V/request.json', ContentType: 'application/json' },
    ]);
    const stored = JSON.parse(String(puts[0]!.Body));
    expect(stored['detail-type']).toBe('Build Requested');
    expect(parseEvent(stored)).toEqual(parseEvent(REQUESTED));
    const env = (value: string, name: string) => ({ name, value, type: 'PLAINTEXT' });
    expect(cb.commandCalls(StartBuildCommand).map((c) => c.args[0].input)).toEqual([
      {
        projectName: LAMBDA_ENV.BUILD_PROJECT,
        idempotencyToken: 'drydock-b-01HQ7Z3K9V',
        environmentVariablesOverride: [
          env('b-01HQ7Z3K9V', 'DRYDOCK_BUILD_ID'),
          env('builds/b-01HQ7Z3K9V/request.json', 'DRYDOCK_REQUEST_KEY'),
          env(
            `contexts/github.com%2Facme%2Fpayments/${COMMIT}/tree/services/api/context.zip`,
            'DRYDOCK_CONTEXT_KEY',
          ),
        ],
      },
    ]);
  });

  it("stores a ban's rebuild request whole, rebuild included: the build's steps tag it from there", async () => {
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
    const stored = JSON.parse(String(s3.commandCalls(PutObjectCommand)[0]!.args[0].input.Body));
    expect(stored.detail.rebuild).toEqual(rebuild.detail.rebuild);
    expect(cb.commandCalls(StartBuildCommand)).toHaveLength(1);
  });

  it('refuses a build id that would reach another key, as Build Failed, and starts nothing', async () => {
    const evil = { ...REQUESTED, detail: { ...REQUESTED.detail, buildId: 'b-1/../b-2' } };
    expect(await handler()(sqsEvent(sqsRecord(evil)), lambdaContext())).toEqual({ batchItemFailures: [] });
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
    expect(cb.commandCalls(StartBuildCommand)).toHaveLength(0);
    const [entry] = eb.commandCalls(PutEventsCommand)[0]!.args[0].input.Entries ?? [];
    expect(entry?.DetailType).toBe('Build Failed');
    expect(JSON.parse(entry!.Detail!).reason).toMatch(/is not a key segment/);
  });

  it('starts no build when the request cannot be stored, and hands the record back', async () => {
    s3.on(PutObjectCommand).rejects(
      Object.assign(new Error('slow down'), { name: 'SlowDown', $metadata: { httpStatusCode: 503 } }),
    );
    expect(await handler()(sqsEvent(sqsRecord(REQUESTED, { messageId: 'r' })), lambdaContext())).toEqual({
      batchItemFailures: [{ itemIdentifier: 'r' }],
    });
    expect(cb.commandCalls(StartBuildCommand)).toHaveLength(0);
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
