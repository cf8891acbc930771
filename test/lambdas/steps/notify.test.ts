import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { notifyStep } from '../../../core/steps/notify.js';
import { awsStepDeps } from '../../../lambdas/shared/aws-ports.js';
import { notifier } from '../../../lambdas/shared/ports/notifier.js';
import { makeStepHandler } from '../../../lambdas/shared/step-function.js';
import { FakeDynamoDb } from '../../adapters/aws/fake-dynamodb.js';
import { LAMBDA_ENV } from '../../fixtures/lambda-env.js';
import { lambdaContext, quietObservability, sqsEvent, sqsRecord } from '../helpers.js';

// The notify step function as deployed: the registry's notify step on the AWS composition root, SNS mocked.
const fixture = (name: string) =>
  JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/events', name), 'utf8'));
const VERDICT = fixture('definition-verdict-failed.json');
const FAILED = fixture('build-failed.json');
const sns = mockClient(SNSClient);
let ddb: FakeDynamoDb;

const handler = () =>
  makeStepHandler(notifyStep, {
    ...awsStepDeps(notifyStep, { notifier }, LAMBDA_ENV),
    obs: quietObservability('notify'),
  });

beforeEach(() => {
  vi.stubEnv('AWS_REGION', 'eu-west-1');
  ddb = new FakeDynamoDb();
  sns.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
});
afterEach(() => {
  vi.unstubAllEnvs();
  ddb.restore();
  sns.reset();
});

describe('notify step function', () => {
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
    expect(sns.commandCalls(PublishCommand).map((c) => c.args[0].input.TopicArn)).toEqual([
      LAMBDA_ENV.TOPIC_ARN,
      LAMBDA_ENV.TOPIC_ARN,
    ]);
  });

  it('tells the team once when the same event arrives twice', async () => {
    const h = handler();
    await h(sqsEvent(sqsRecord(VERDICT)), lambdaContext());
    await h(sqsEvent(sqsRecord({ ...VERDICT, id: 'redelivered-by-eventbridge' })), lambdaContext());
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
    // The former notifier's key prefix: records kept across the move to the registry.
    expect(ddb.items(LAMBDA_ENV.IDEMPOTENCY_TABLE).map((r) => r.id?.S)).toEqual([
      expect.stringMatching(/^drydock\.notifier#/),
    ]);
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
