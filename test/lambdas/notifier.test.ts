import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SnsNotifier } from '../../adapters/aws/sns-notifier.js';
import { makeNotifierHandler } from '../../lambdas/handlers/notifier.js';
import { FakeDynamoDb } from '../adapters/aws/fake-dynamodb.js';
import { lambdaContext, quietObservability, sqsEvent, sqsRecord } from './helpers.js';

const fixture = (name: string) =>
  JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/events', name), 'utf8'));
const VERDICT = fixture('definition-verdict-failed.json');
const FAILED = fixture('build-failed.json');
const sns = mockClient(SNSClient);
let ddb: FakeDynamoDb;

const handler = () =>
  makeNotifierHandler({
    obs: quietObservability('notifier'),
    notifier: new SnsNotifier(
      new SNSClient({ region: 'eu-west-1' }),
      'arn:aws:sns:eu-west-1:111111111111:teams',
    ),
    idempotency: {
      persistenceStore: new DynamoDBPersistenceLayer({
        tableName: 'idempotency',
        awsSdkV3Client: new DynamoDBClient({ region: 'eu-west-1' }),
      }),
    },
  });

beforeEach(() => {
  ddb = new FakeDynamoDb();
  sns.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
});
afterEach(() => {
  ddb.restore();
  sns.reset();
});

describe('notifier handler', () => {
  it('publishes one SNS message per failed verdict or build', async () => {
    expect(await handler()(sqsEvent(sqsRecord(VERDICT), sqsRecord(FAILED)), lambdaContext())).toEqual({
      batchItemFailures: [],
    });
    expect(
      sns
        .commandCalls(PublishCommand)
        .map((c) => c.args[0].input.MessageAttributes?.detailType?.StringValue)
        .sort(),
    ).toEqual(['Build Failed', 'Definition Verdict']);
  });

  it('tells the team once when the same event arrives twice', async () => {
    const h = handler();
    await h(sqsEvent(sqsRecord(VERDICT)), lambdaContext());
    await h(sqsEvent(sqsRecord({ ...VERDICT, id: 'redelivered-by-eventbridge' })), lambdaContext());
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
  });

  it('rejects an event the notify rule never sends, alone', async () => {
    const published = fixture('image-published.json');
    const response = await handler()(
      sqsEvent(sqsRecord(published, { messageId: 'wrong-type' }), sqsRecord(FAILED)),
      lambdaContext(),
    );
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'wrong-type' }] });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
  });

  it('fails the record when SNS fails, so SQS delivers it again', async () => {
    sns.on(PublishCommand).rejects(
      Object.assign(new Error('KMS'), {
        name: 'KMSThrottlingException',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    expect(await handler()(sqsEvent(sqsRecord(VERDICT, { messageId: 'm' })), lambdaContext())).toEqual({
      batchItemFailures: [{ itemIdentifier: 'm' }],
    });
  });
});
