import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventBridgeEventBus } from '../../adapters/aws/eventbridge-event-bus.js';
import { capturePush } from '../../adapters/aws/push-snapshots.js';
import { S3SnapshotStore } from '../../adapters/aws/s3-snapshot-store.js';
import { makeSubmitHandler } from '../../lambdas/handlers/submit.js';
import { FakeDynamoDb } from '../adapters/aws/fake-dynamodb.js';
import { FakeGitProvider } from '../adapters/aws/fake-git-provider.js';
import { ManualClock } from '../contracts/manual-clock.js';
import { functionUrlEvent, lambdaContext, putDetail, quietObservability } from './helpers.js';

const CI_ROLE = 'arn:aws:sts::111111111111:assumed-role/payments-ci/build-42';
const COMMIT = '405906c9d5be6ae5393ca65fb0e7c38e0d585ecb';
const request = (over: Record<string, unknown> = {}) =>
  JSON.stringify({
    repository: 'github.com/acme/payments',
    ref: 'refs/heads/main',
    commit: COMMIT,
    definitions: ['services/api/Dockerfile'],
    ...over,
  });

const eb = mockClient(EventBridgeClient);
const s3 = mockClient(S3Client);
let ddb: FakeDynamoDb;

const handler = () => {
  const store = new S3SnapshotStore({ client: new S3Client({ region: 'eu-west-1' }), bucket: 'snapshots' });
  return makeSubmitHandler({
    obs: quietObservability('submit'),
    capture: (push) =>
      capturePush(push, { providers: async () => [new FakeGitProvider()], store, clock: new ManualClock() }),
    bus: new EventBridgeEventBus({
      client: new EventBridgeClient({ region: 'eu-west-1' }),
      busName: 'drydock',
    }),
    idempotency: {
      persistenceStore: new DynamoDBPersistenceLayer({
        tableName: 'idempotency',
        awsSdkV3Client: new DynamoDBClient({ region: 'eu-west-1' }),
      }),
    },
  });
};
const call = async (h: ReturnType<typeof handler>, event: ReturnType<typeof functionUrlEvent>) =>
  (await h(event, lambdaContext())) as APIGatewayProxyStructuredResultV2;

beforeEach(() => {
  ddb = new FakeDynamoDb();
  eb.reset();
  s3.reset();
  eb.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'x' }] });
  s3.on(PutObjectCommand).resolves({});
});
afterEach(() => {
  ddb.restore();
  eb.reset();
  s3.reset();
});

describe('submit handler', () => {
  it('puts Definition Pushed for the named definitions, with the IAM caller as the pusher', async () => {
    const response = await call(handler(), functionUrlEvent({ body: request(), iamUserArn: CI_ROLE }));
    expect(response.statusCode).toBe(202);
    const [entry] = eb.commandCalls(PutEventsCommand)[0]!.args[0].input.Entries ?? [];
    expect(putDetail(entry!)).toEqual({
      repository: 'github.com/acme/payments',
      ref: 'refs/heads/main',
      before: '0'.repeat(40),
      after: COMMIT,
      pusher: CI_ROLE,
      definitions: [{ path: 'services/api/Dockerfile', change: 'modified' }],
    });
  });

  it('answers 403 to a request that carries no IAM identity', async () => {
    expect((await call(handler(), functionUrlEvent({ body: request() }))).statusCode).toBe(403);
    expect(eb.commandCalls(PutEventsCommand)).toHaveLength(0);
  });

  it.each([
    ['a short commit', { commit: '405906c' }, 'commit: must be a full commit id'],
    ['a tag', { ref: 'refs/tags/v1' }, 'ref: must be a branch (refs/heads/…)'],
    [
      'a path that climbs',
      { definitions: ['../../etc/Dockerfile'] },
      'definitions.0: must be a relative path inside the repository',
    ],
    ['no definitions', { definitions: [] }, 'definitions:'],
    ['an unknown field', { force: true }, 'Unrecognized key'],
  ])('answers 400 with the issue to %s', async (_name, over, issue) => {
    const response = await call(handler(), functionUrlEvent({ body: request(over), iamUserArn: CI_ROLE }));
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body!).issues.join('\n')).toContain(issue);
    expect(eb.commandCalls(PutEventsCommand)).toHaveLength(0);
  });

  it('answers 422 naming the definitions the commit does not have', async () => {
    const response = await call(
      handler(),
      functionUrlEvent({
        body: request({ definitions: ['services/api/Dockerfile', 'gone/Dockerfile'] }),
        iamUserArn: CI_ROLE,
      }),
    );
    expect(response.statusCode).toBe(422);
    expect(JSON.parse(response.body!)).toMatchObject({
      code: 'DEFINITIONS_NOT_FOUND',
      message: expect.stringContaining('"gone/Dockerfile"'),
    });
  });

  it('answers 422 to a repository on a host no provider serves', async () => {
    const response = await call(
      handler(),
      functionUrlEvent({ body: request({ repository: 'bitbucket.org/acme/payments' }), iamUserArn: CI_ROLE }),
    );
    expect(response.statusCode).toBe(422);
    expect(JSON.parse(response.body!).code).toBe('REPOSITORY_HOST_UNKNOWN');
  });

  it('publishes the same request from the same caller once', async () => {
    const h = handler();
    await call(h, functionUrlEvent({ body: request(), iamUserArn: CI_ROLE }));
    await call(h, functionUrlEvent({ body: request(), iamUserArn: CI_ROLE }));
    expect(eb.commandCalls(PutEventsCommand)).toHaveLength(1);
    await call(
      h,
      functionUrlEvent({ body: request(), iamUserArn: 'arn:aws:sts::111111111111:assumed-role/other-ci/x' }),
    );
    expect(eb.commandCalls(PutEventsCommand)).toHaveLength(2);
  });
});
