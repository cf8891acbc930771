import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { BatchGetBuildsCommand, CodeBuildClient } from '@aws-sdk/client-codebuild';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CodeBuildBuildReader } from '../../adapters/aws/codebuild-build-state.js';
import { DynamoDbLineageStore } from '../../adapters/aws/dynamodb-lineage-store.js';
import { EventBridgeEventBus } from '../../adapters/aws/eventbridge-event-bus.js';
import { S3BuildLogs } from '../../adapters/aws/s3-build-logs.js';
import { makeBuildStateHandler } from '../../lambdas/handlers/build-state.js';
import { FakeDynamoDb } from '../adapters/aws/fake-dynamodb.js';
import { ManualClock } from '../contracts/manual-clock.js';
import { lambdaContext, quietObservability, s3Body, sqsEvent, sqsRecord } from './helpers.js';

const fixture = (name: string) =>
  JSON.parse(readFileSync(join(import.meta.dirname, '../adapters/aws/fixtures', name), 'utf8'));
const SUCCEEDED = fixture('codebuild-state-succeeded.json');
const FAILED = fixture('codebuild-state-failed.json');
const BUILDS = fixture('batch-get-builds-succeeded.json');
const BASE = { name: 'docker.io/library/node:20.11.1', digest: `sha256:${'a'.repeat(64)}` };
const REGISTRY = '111111111111.dkr.ecr.eu-west-1.amazonaws.com';

const cb = mockClient(CodeBuildClient);
const eb = mockClient(EventBridgeClient);
const s3 = mockClient(S3Client);
let ddb: FakeDynamoDb;

const handler = () => {
  const client = new DynamoDBClient({ region: 'eu-west-1' });
  return makeBuildStateHandler({
    obs: quietObservability('build-state'),
    bus: new EventBridgeEventBus({
      client: new EventBridgeClient({ region: 'eu-west-1' }),
      busName: 'drydock',
    }),
    lineage: new DynamoDbLineageStore({ client, tableName: 'lineage' }),
    logs: new S3BuildLogs({ client: () => new S3Client({ region: 'eu-west-1' }), bucket: 'build-logs' }),
    builds: new CodeBuildBuildReader(new CodeBuildClient({ region: 'eu-west-1' })),
    registry: REGISTRY,
    clock: new ManualClock(),
    idempotency: {
      persistenceStore: new DynamoDBPersistenceLayer({ tableName: 'idempotency', awsSdkV3Client: client }),
    },
  });
};
const putDetails = () =>
  eb
    .commandCalls(PutEventsCommand)
    .flatMap((c) =>
      (c.args[0].input.Entries ?? []).map((e) => ({ type: e.DetailType, detail: JSON.parse(e.Detail!) })),
    );

beforeEach(() => {
  ddb = new FakeDynamoDb();
  for (const m of [cb, eb, s3]) m.reset();
  const build = BUILDS.builds[0];
  cb.on(BatchGetBuildsCommand).resolves({
    builds: [
      {
        ...build,
        exportedEnvironmentVariables: [
          ...build.exportedEnvironmentVariables,
          { name: 'DRYDOCK_BASES', value: JSON.stringify([BASE]) },
        ],
      },
    ],
  });
  eb.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'x' }] });
});
afterEach(() => {
  ddb.restore();
  for (const m of [cb, eb, s3]) m.reset();
});

describe('build-state handler', () => {
  it('records lineage and puts Image Published for a succeeded build', async () => {
    expect(await handler()(sqsEvent(sqsRecord(SUCCEEDED)), lambdaContext())).toEqual({
      batchItemFailures: [],
    });
    expect(cb.commandCalls(BatchGetBuildsCommand)[0]!.args[0].input).toEqual({
      ids: [SUCCEEDED.detail['build-id']],
    });
    expect(putDetails()).toEqual([
      {
        type: 'Image Published',
        detail: expect.objectContaining({
          digest: 'sha256:9b2a7f3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8',
          ref: `${REGISTRY}/drydock/apps/github.com/acme/payments/services/api:405906c9d5be`,
          bases: [BASE],
        }),
      },
    ]);
    // The image is queryable by its base: one edge item under BASE#<base digest>.
    const lineage = ddb.items('lineage').map((i) => `${i.pk?.S} ${i.sk?.S}`);
    expect(lineage).toContain(
      `BASE#${BASE.digest} IMAGE#sha256:9b2a7f3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8`,
    );
  });

  it('puts Build Failed with the end of the S3 log and the console link for a failed build', async () => {
    s3.on(GetObjectCommand).resolves({
      Body: s3Body(gzipSync('Step 1/4 : FROM node\nStep 4/4 : RUN make\nmake: *** [all] Error 2\n')),
    });
    cb.on(BatchGetBuildsCommand).resolves({ builds: [] });
    expect(await handler()(sqsEvent(sqsRecord(FAILED)), lambdaContext())).toEqual({ batchItemFailures: [] });
    expect(s3.commandCalls(GetObjectCommand)[0]!.args[0].input).toEqual({
      Bucket: 'build-logs',
      Key: 'codebuild/8745a7a9-c340-456a-9166-edf953571bea.gz',
    });
    const [failed] = putDetails();
    expect(failed).toMatchObject({
      type: 'Build Failed',
      detail: {
        buildId: 'build-0b5c3a1f9e2d4c6b8a7f1e0d2c3b4a59',
        stage: 'build',
        logTail: 'Step 1/4 : FROM node\nStep 4/4 : RUN make\nmake: *** [all] Error 2',
        logPath: expect.stringContaining('logEvent:group=/drydock/codebuild'),
      },
    });
    expect(ddb.items('lineage')).toEqual([]);
  });

  it('still reports the failure when the log cannot be read', async () => {
    s3.on(GetObjectCommand).rejects(
      Object.assign(new Error('denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }),
    );
    cb.on(BatchGetBuildsCommand).resolves({ builds: [] });
    expect(await handler()(sqsEvent(sqsRecord(FAILED)), lambdaContext())).toEqual({ batchItemFailures: [] });
    expect(putDetails()[0]?.detail.logTail).toMatch(/^COMMAND_EXECUTION_ERROR/);
  });

  it('handles a redelivered state change once', async () => {
    const h = handler();
    await h(sqsEvent(sqsRecord(SUCCEEDED)), lambdaContext());
    await h(sqsEvent(sqsRecord(SUCCEEDED, { receiveCount: 2 })), lambdaContext());
    expect(eb.commandCalls(PutEventsCommand)).toHaveLength(1);
    expect(cb.commandCalls(BatchGetBuildsCommand)).toHaveLength(1);
  });

  it('fails the record of a build that exported no digest, and the others pass', async () => {
    cb.on(BatchGetBuildsCommand).resolves({
      builds: [{ ...BUILDS.builds[0], exportedEnvironmentVariables: [] }],
    });
    const other = { ...FAILED, detail: { ...FAILED.detail, 'build-id': `${FAILED.detail['build-id']}x` } };
    s3.on(GetObjectCommand).rejects(
      Object.assign(new Error('no'), { name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } }),
    );
    const response = await handler()(
      sqsEvent(sqsRecord(SUCCEEDED, { messageId: 'no-exports' }), sqsRecord(other)),
      lambdaContext(),
    );
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'no-exports' }] });
    expect(putDetails().map((p) => p.type)).toEqual(['Build Failed']);
  });
});
