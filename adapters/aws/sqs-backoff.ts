// Static, not import(): a Lambda bundle holds the module either way, and import() keeps all of it (no tree-shaking).
import { ChangeMessageVisibilityCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { DrydockError } from '../../core/errors.js';
import { awsCall } from './aws-service-error.js';

/** The URL of a queue from its ARN (`arn:aws:sqs:eu-west-1:123456789012:build` → `https://sqs.eu-west-1.amazonaws.com/123456789012/build`). */
export function queueUrlFromArn(arn: string): string {
  const m = /^arn:(aws[a-z-]*):sqs:([a-z0-9-]+):(\d{12}):(.+)$/.exec(arn);
  if (!m)
    throw new DrydockError(`not an SQS queue ARN: ${JSON.stringify(arn)}`, { code: 'QUEUE_ARN_INVALID' });
  const [, partition, region, account, name] = m;
  const domain = partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `https://sqs.${region}.${domain}/${account}/${name}`;
}

/** Options of the retry backoff. */
export interface QueueBackoffOptions {
  /** The SQS client, made on the first retryable failure (most invocations never need one). */
  readonly client: () => SQSClient | Promise<SQSClient>;
  /** Delay after the first receive. @default 30 */
  readonly baseSeconds?: number;
  /** Longest delay. @default 900 */
  readonly maxSeconds?: number;
  /** A number in [0, 1), injected so that tests are exact. @default Math.random */
  readonly random?: () => number;
}

/**
 * Exponential backoff through the queue itself: a record that failed for a retryable reason (throttling, a quota)
 * is made invisible for `base · 2^(receives − 1)` seconds, capped, with the upper half jittered; SQS then
 * redelivers it, and its redrive policy still dead-letters it after the maximum receives. Nothing is dropped.
 */
export class QueueBackoff {
  private readonly base: number;
  private readonly max: number;
  private readonly random: () => number;

  constructor(private readonly options: QueueBackoffOptions) {
    this.base = options.baseSeconds ?? 30;
    this.max = options.maxSeconds ?? 900;
    this.random = options.random ?? Math.random;
  }

  /** The delay after the given number of receives. */
  delaySeconds(receiveCount: number): number {
    const full = Math.min(this.max, this.base * 2 ** Math.max(0, receiveCount - 1));
    return Math.floor(full / 2 + this.random() * (full / 2));
  }

  /** Hides the record for the backoff delay; returns the delay. */
  async delay(record: {
    readonly eventSourceARN: string;
    readonly receiptHandle: string;
    readonly attributes: { readonly ApproximateReceiveCount: string };
  }): Promise<number> {
    const seconds = this.delaySeconds(Number(record.attributes.ApproximateReceiveCount) || 1);
    const client = await this.options.client();
    await awsCall('sqs:ChangeMessageVisibility', () =>
      client.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: queueUrlFromArn(record.eventSourceARN),
          ReceiptHandle: record.receiptHandle,
          VisibilityTimeout: seconds,
        }),
      ),
    );
    return seconds;
  }
}
