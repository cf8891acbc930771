import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { DrydockError } from '../../core/errors.js';
import type {
  DeadLetter,
  QueueDepth,
  ReceivedMessage,
  SendResult,
  WorkQueue,
} from '../../core/ports/work-queue.js';
import { AwsServiceError, awsCall, chunk, hasAwsName } from './aws-service-error.js';

/** SendMessageBatch takes at most 10 entries per call. */
export const SEND_BATCH_MAX_ENTRIES = 10;
/** …and at most 256 KiB of bodies and attributes per call (the conservative, long-standing SQS limit). */
export const SEND_BATCH_MAX_BYTES = 256 * 1024;

// Receipt handles remembered for `fail`; a worker holds far fewer messages than this at once.
const MAX_REMEMBERED = 10_000;

// Message attributes the adapter uses to carry what SQS itself has no field for.
const ATTR_ID = 'drydock-message-id';
const ATTR_REASON = 'drydock-reason';
const ATTR_RECEIVES = 'drydock-receive-count';
const ATTR_DEDUP = 'drydock-dedup-id';

/** Options of an SQS-backed work queue. */
export interface SqsWorkQueueOptions {
  readonly client: SQSClient;
  readonly name: string;
  readonly queueUrl: string;
  /** The queue's dead-letter queue (its redrive policy's target); `fail`, `deadLetters` and `redrive` use it. */
  readonly deadLetterQueueUrl?: string;
  /** FIFO queues take a group id; every message of this queue goes in this group. @default 'drydock' */
  readonly messageGroupId?: string;
}

/** Messages refused by SendMessageBatch. */
export class SendBatchFailedError extends DrydockError {
  override readonly name = 'SendBatchFailedError';

  constructor(
    queue: string,
    failed: readonly { id: string; code: string; message: string; senderFault: boolean }[],
  ) {
    const lines = failed.map((f) => `  entry ${f.id}: ${f.code}: ${f.message}`);
    super(`SQS ${queue} refused ${failed.length} message(s):\n${lines.join('\n')}`, {
      code: 'QUEUE_SEND_FAILED',
      retryable: failed.every((f) => !f.senderFault),
    });
  }
}

const str = (value: string): MessageAttributeValue => ({ DataType: 'String', StringValue: value });

/**
 * A `WorkQueue` on SQS. SQS keeps the visibility timeout, the receive count and the move to the DLQ after the
 * redrive policy's maximum receives; the adapter adds what SQS has no call for: `fail` sends the message to the
 * DLQ with the reason (a message attribute) and deletes it, `redrive` moves dead letters back.
 *
 * Differences from the local queue, all from SQS: `send` never reports a duplicate (FIFO deduplication is silent
 * and a standard queue has none); `ack` of a stale handle is not detected; the reason given to `release` is not
 * kept on the message; `fail` needs the handle from this instance's own `receive`.
 */
export class SqsWorkQueue<T = unknown> implements WorkQueue<T> {
  readonly name: string;
  private readonly client: SQSClient;
  private readonly url: string;
  private readonly dlqUrl: string | undefined;
  private readonly fifo: boolean;
  private readonly groupId: string;
  // What `fail` needs to forward a message: SQS cannot return a body from a receipt handle.
  private readonly inFlight = new Map<string, ReceivedMessage<T>>();

  constructor(options: SqsWorkQueueOptions) {
    this.client = options.client;
    this.name = options.name;
    this.url = options.queueUrl;
    this.dlqUrl = options.deadLetterQueueUrl;
    this.fifo = options.queueUrl.endsWith('.fifo');
    this.groupId = options.messageGroupId ?? 'drydock';
  }

  async send(
    body: T,
    options: { readonly dedupId?: string; readonly delayMs?: number } = {},
  ): Promise<SendResult> {
    const out = await awsCall('sqs:SendMessage', () =>
      this.client.send(new SendMessageCommand({ QueueUrl: this.url, ...this.entry(body, options) })),
    );
    return { messageId: out.MessageId ?? '', duplicate: false };
  }

  /** Sends many messages with SendMessageBatch, at most 10 (and 256 KiB) per call; returns the message ids in order. */
  async sendBatch(bodies: readonly T[], options: { readonly delayMs?: number } = {}): Promise<string[]> {
    const entries = bodies.map((body, i) => ({ Id: String(i), ...this.entry(body, options) }));
    const ids: string[] = new Array(bodies.length);
    for (const batch of chunk(entries, SEND_BATCH_MAX_ENTRIES, SEND_BATCH_MAX_BYTES, entryBytes)) {
      const out = await awsCall('sqs:SendMessageBatch', () =>
        this.client.send(new SendMessageBatchCommand({ QueueUrl: this.url, Entries: batch })),
      );
      if (out.Failed && out.Failed.length > 0) {
        throw new SendBatchFailedError(
          this.name,
          out.Failed.map((f) => ({
            id: f.Id ?? '?',
            code: f.Code ?? '?',
            message: f.Message ?? '',
            senderFault: !!f.SenderFault,
          })),
        );
      }
      for (const ok of out.Successful ?? []) ids[Number(ok.Id)] = ok.MessageId ?? '';
    }
    return ids;
  }

  async receive(
    options: { readonly max?: number; readonly visibilityTimeoutMs?: number } = {},
  ): Promise<ReceivedMessage<T>[]> {
    const out = await awsCall('sqs:ReceiveMessage', () =>
      this.client.send(
        new ReceiveMessageCommand({
          QueueUrl: this.url,
          MaxNumberOfMessages: Math.min(Math.max(options.max ?? 1, 1), 10),
          ...(options.visibilityTimeoutMs === undefined
            ? {}
            : { VisibilityTimeout: Math.ceil(options.visibilityTimeoutMs / 1000) }),
          MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
          MessageAttributeNames: ['All'],
        }),
      ),
    );
    return (out.Messages ?? []).map((m) => {
      const received: ReceivedMessage<T> = {
        messageId: m.MessageAttributes?.[ATTR_ID]?.StringValue ?? m.MessageId ?? '',
        body: JSON.parse(m.Body ?? 'null') as T,
        receiptHandle: m.ReceiptHandle ?? '',
        receiveCount: Number(m.Attributes?.ApproximateReceiveCount ?? 1),
        sentAt: new Date(Number(m.Attributes?.SentTimestamp ?? 0)),
      };
      this.inFlight.set(received.receiptHandle, received);
      // Handles of messages that timed out are never acked: forget the oldest rather than grow forever.
      if (this.inFlight.size > MAX_REMEMBERED) this.inFlight.delete(this.inFlight.keys().next().value!);
      return received;
    });
  }

  async ack(receiptHandle: string): Promise<boolean> {
    this.inFlight.delete(receiptHandle);
    return this.stale(() =>
      this.client.send(new DeleteMessageCommand({ QueueUrl: this.url, ReceiptHandle: receiptHandle })),
    );
  }

  async release(
    receiptHandle: string,
    _reason: string,
    options: { readonly delayMs?: number } = {},
  ): Promise<boolean> {
    this.inFlight.delete(receiptHandle);
    return this.stale(() =>
      this.client.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: this.url,
          ReceiptHandle: receiptHandle,
          VisibilityTimeout: Math.ceil((options.delayMs ?? 0) / 1000),
        }),
      ),
    );
  }

  async fail(receiptHandle: string, reason: string): Promise<boolean> {
    const message = this.inFlight.get(receiptHandle);
    if (!message) return false;
    const dlq = this.requireDlq('fail');
    await awsCall('sqs:SendMessage', () =>
      this.client.send(
        new SendMessageCommand({
          QueueUrl: dlq,
          MessageBody: JSON.stringify(message.body),
          MessageAttributes: {
            [ATTR_ID]: str(message.messageId),
            [ATTR_REASON]: str(reason.slice(0, 4000) || 'no reason given'),
            [ATTR_RECEIVES]: str(String(message.receiveCount)),
          },
          ...(dlq.endsWith('.fifo')
            ? { MessageGroupId: this.groupId, MessageDeduplicationId: message.messageId }
            : {}),
        }),
      ),
    );
    this.inFlight.delete(receiptHandle);
    await this.stale(() =>
      this.client.send(new DeleteMessageCommand({ QueueUrl: this.url, ReceiptHandle: receiptHandle })),
    );
    return true;
  }

  async deadLetters(options: { readonly limit?: number } = {}): Promise<DeadLetter<T>[]> {
    // Peeking: received with a zero visibility timeout, so the dead letters stay where they are.
    const messages = await this.receiveAll(this.requireDlq('deadLetters'), options.limit ?? 100, 0);
    return messages.map((m) => ({
      messageId: m.MessageAttributes?.[ATTR_ID]?.StringValue ?? m.MessageId ?? '',
      body: JSON.parse(m.Body ?? 'null') as T,
      receiveCount: Number(
        m.MessageAttributes?.[ATTR_RECEIVES]?.StringValue ?? m.Attributes?.ApproximateReceiveCount ?? 0,
      ),
      sentAt: new Date(Number(m.Attributes?.SentTimestamp ?? 0)),
      deadAt: new Date(Number(m.Attributes?.SentTimestamp ?? 0)),
      reason:
        m.MessageAttributes?.[ATTR_REASON]?.StringValue ??
        'exceeded the maximum receives of the redrive policy',
    }));
  }

  async redrive(messageIds?: readonly string[]): Promise<number> {
    const dlq = this.requireDlq('redrive');
    const wanted = messageIds ? new Set(messageIds) : undefined;
    let moved = 0;
    // Each dead letter is held invisible while it moves; those not wanted are handed straight back.
    for (const m of await this.receiveAll(dlq, Number.POSITIVE_INFINITY, 30)) {
      const id = m.MessageAttributes?.[ATTR_ID]?.StringValue ?? m.MessageId ?? '';
      if (wanted && !wanted.has(id)) {
        await awsCall('sqs:ChangeMessageVisibility', () =>
          this.client.send(
            new ChangeMessageVisibilityCommand({
              QueueUrl: dlq,
              ReceiptHandle: m.ReceiptHandle,
              VisibilityTimeout: 0,
            }),
          ),
        );
        continue;
      }
      await awsCall('sqs:SendMessage', () =>
        this.client.send(
          new SendMessageCommand({
            QueueUrl: this.url,
            MessageBody: m.Body ?? 'null',
            MessageAttributes: { [ATTR_ID]: str(id) },
            ...(this.fifo
              ? { MessageGroupId: this.groupId, MessageDeduplicationId: `${id}-redrive-${Date.now()}` }
              : {}),
          }),
        ),
      );
      await awsCall('sqs:DeleteMessage', () =>
        this.client.send(new DeleteMessageCommand({ QueueUrl: dlq, ReceiptHandle: m.ReceiptHandle })),
      );
      moved++;
    }
    return moved;
  }

  async depth(): Promise<QueueDepth> {
    const attrs = async (url: string) =>
      (
        await awsCall('sqs:GetQueueAttributes', () =>
          this.client.send(
            new GetQueueAttributesCommand({
              QueueUrl: url,
              AttributeNames: [
                'ApproximateNumberOfMessages',
                'ApproximateNumberOfMessagesNotVisible',
                'ApproximateNumberOfMessagesDelayed',
              ],
            }),
          ),
        )
      ).Attributes ?? {};
    const main = await attrs(this.url);
    const dead = this.dlqUrl ? await attrs(this.dlqUrl) : {};
    return {
      visible: Number(main.ApproximateNumberOfMessages ?? 0),
      inFlight:
        Number(main.ApproximateNumberOfMessagesNotVisible ?? 0) +
        Number(main.ApproximateNumberOfMessagesDelayed ?? 0),
      // A dead letter being looked at (received from the DLQ) is still dead.
      dead:
        Number(dead.ApproximateNumberOfMessages ?? 0) +
        Number(dead.ApproximateNumberOfMessagesNotVisible ?? 0),
    };
  }

  private entry(body: T, options: { readonly dedupId?: string; readonly delayMs?: number }) {
    return {
      MessageBody: JSON.stringify(body),
      ...(options.dedupId ? { MessageAttributes: { [ATTR_DEDUP]: str(options.dedupId) } } : {}),
      // SQS delays in whole seconds, at most 15 minutes; FIFO queues take no per-message delay.
      ...(options.delayMs && !this.fifo
        ? { DelaySeconds: Math.min(Math.ceil(options.delayMs / 1000), 900) }
        : {}),
      ...(this.fifo
        ? {
            MessageGroupId: this.groupId,
            ...(options.dedupId ? { MessageDeduplicationId: options.dedupId } : {}),
          }
        : {}),
    };
  }

  private async receiveAll(url: string, limit: number, visibility: number) {
    const out = [];
    const seen = new Set<string>();
    while (out.length < limit) {
      const page = await awsCall('sqs:ReceiveMessage', () =>
        this.client.send(
          new ReceiveMessageCommand({
            QueueUrl: url,
            MaxNumberOfMessages: Math.min(10, limit - out.length),
            VisibilityTimeout: visibility,
            MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
            MessageAttributeNames: ['All'],
          }),
        ),
      );
      // With a zero visibility timeout the same messages come back: stop when a page brings nothing new.
      const fresh = (page.Messages ?? []).filter((m) => !seen.has(m.MessageId ?? ''));
      if (fresh.length === 0) break;
      for (const m of fresh) seen.add(m.MessageId ?? '');
      out.push(...fresh);
    }
    return out;
  }

  private requireDlq(what: string): string {
    if (!this.dlqUrl) {
      throw new DrydockError(`queue ${this.name}: ${what} needs the dead-letter queue URL`, {
        code: 'QUEUE_CONFIG_INVALID',
      });
    }
    return this.dlqUrl;
  }

  // A handle SQS no longer accepts answers false, as the port asks; other faults are thrown.
  private async stale(call: () => Promise<unknown>): Promise<boolean> {
    try {
      await call();
      return true;
    } catch (err) {
      if (hasAwsName(err, 'ReceiptHandleIsInvalid', 'MessageNotInflight', 'InvalidParameterValue'))
        return false;
      throw new AwsServiceError('sqs:DeleteMessage/ChangeMessageVisibility', err);
    }
  }
}

function entryBytes(entry: SendMessageBatchRequestEntry): number {
  let size = Buffer.byteLength(entry.MessageBody ?? '', 'utf8');
  for (const [name, value] of Object.entries(entry.MessageAttributes ?? {})) {
    size +=
      Buffer.byteLength(name) +
      Buffer.byteLength(value.DataType ?? '') +
      Buffer.byteLength(value.StringValue ?? '');
  }
  return size;
}
