import { ChangeMessageVisibilityCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { QueueBackoff, queueUrlFromArn } from '../../../adapters/aws/sqs-backoff.js';

const sqs = mockClient(SQSClient);
afterEach(() => sqs.reset());

describe('queueUrlFromArn', () => {
  it.each([
    ['arn:aws:sqs:eu-west-1:111111111111:build', 'https://sqs.eu-west-1.amazonaws.com/111111111111/build'],
    [
      'arn:aws-cn:sqs:cn-north-1:111111111111:build',
      'https://sqs.cn-north-1.amazonaws.com.cn/111111111111/build',
    ],
  ])('%s → %s', (arn, url) => {
    expect(queueUrlFromArn(arn)).toBe(url);
  });
  it('refuses what is not a queue ARN', () => {
    expect(() => queueUrlFromArn('arn:aws:sns:eu-west-1:111111111111:topic')).toThrow(/not an SQS queue ARN/);
  });
});

describe('QueueBackoff', () => {
  const backoff = (random = 0) =>
    new QueueBackoff({
      client: () => new SQSClient({ region: 'eu-west-1' }),
      baseSeconds: 30,
      maxSeconds: 900,
      random: () => random,
    });

  it('doubles from the base per receive, capped, the upper half jittered', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoff(0).delaySeconds(n))).toEqual([
      15, 30, 60, 120, 240, 450, 450,
    ]);
    expect(backoff(0.999).delaySeconds(1)).toBe(29);
  });

  it('hides the record for the delay with ChangeMessageVisibility on its own queue', async () => {
    sqs.on(ChangeMessageVisibilityCommand).resolves({});
    const seconds = await backoff(0).delay({
      eventSourceARN: 'arn:aws:sqs:eu-west-1:111111111111:drydock-build',
      receiptHandle: 'handle-1',
      attributes: { ApproximateReceiveCount: '3' },
    });
    expect(seconds).toBe(60);
    expect(sqs.commandCalls(ChangeMessageVisibilityCommand).map((c) => c.args[0].input)).toEqual([
      {
        QueueUrl: 'https://sqs.eu-west-1.amazonaws.com/111111111111/drydock-build',
        ReceiptHandle: 'handle-1',
        VisibilityTimeout: 60,
      },
    ]);
  });
});
