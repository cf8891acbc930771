import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SendBatchFailedError, SqsWorkQueue } from '../../../adapters/aws/sqs-work-queue.js';
import { FAUXQS_CLIENT, type Fauxqs, startFauxqs } from './fauxqs.js';

interface Job {
  readonly n: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('SqsWorkQueue against fauxqs over HTTP', () => {
  let fauxqs: Fauxqs;
  let client: SQSClient;
  let sentBatches: number[];
  let queues = 0;

  beforeAll(async () => {
    fauxqs = await startFauxqs();
    client = new SQSClient({ ...FAUXQS_CLIENT, endpoint: fauxqs.endpoint, useQueueUrlAsEndpoint: false });
    sentBatches = [];
    // Counts the entries of every SendMessageBatch call that goes over the wire.
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'SendMessageBatchCommand') {
          sentBatches.push(((args.input as { Entries?: unknown[] }).Entries ?? []).length);
        }
        return next(args);
      },
      { step: 'initialize', name: 'countBatches' },
    );
  }, 30_000);
  afterAll(async () => {
    client?.destroy();
    await fauxqs?.stop();
  });

  /** A fresh queue with its DLQ: `maxReceives` receives, then SQS's redrive policy dead-letters. */
  async function queue(maxReceives = 3, visibility = 30): Promise<SqsWorkQueue<Job>> {
    const name = `q${++queues}`;
    const dlq = await client.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }));
    const dlqArn = (
      await client.send(
        new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }),
      )
    ).Attributes?.QueueArn;
    const main = await client.send(
      new CreateQueueCommand({
        QueueName: name,
        Attributes: {
          VisibilityTimeout: String(visibility),
          RedrivePolicy: JSON.stringify({
            deadLetterTargetArn: dlqArn,
            maxReceiveCount: String(maxReceives),
          }),
        },
      }),
    );
    return new SqsWorkQueue<Job>({
      client,
      name,
      queueUrl: main.QueueUrl!,
      deadLetterQueueUrl: dlq.QueueUrl!,
    });
  }

  it('delivers a message, hides it while in flight, and deletes it on ack', async () => {
    const q = await queue();
    const { messageId, duplicate } = await q.send({ n: 1 });
    expect(duplicate).toBe(false);
    const [m] = await q.receive({ max: 10 });
    expect(m).toMatchObject({ messageId, body: { n: 1 }, receiveCount: 1 });
    expect(m!.sentAt.getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(await q.receive({ max: 10 })).toEqual([]);
    expect(await q.depth()).toEqual({ visible: 0, inFlight: 1, dead: 0 });
    expect(await q.ack(m!.receiptHandle)).toBe(true);
    expect(await q.depth()).toEqual({ visible: 0, inFlight: 0, dead: 0 });
  });

  it('redelivers after the visibility timeout with a higher receive count and a new handle', async () => {
    const q = await queue();
    await q.send({ n: 2 });
    const [first] = await q.receive({ visibilityTimeoutMs: 1_000 });
    await sleep(1_200);
    const [second] = await q.receive({ visibilityTimeoutMs: 30_000 });
    expect(second).toMatchObject({ messageId: first!.messageId, body: { n: 2 }, receiveCount: 2 });
    expect(second!.receiptHandle).not.toBe(first!.receiptHandle);
  });

  it('makes a released message visible again after the delay', async () => {
    const q = await queue();
    await q.send({ n: 3 });
    const [m] = await q.receive();
    expect(await q.release(m!.receiptHandle, 'registry unreachable', { delayMs: 1_000 })).toBe(true);
    expect(await q.receive()).toEqual([]);
    await sleep(1_200);
    expect((await q.receive()).map((r) => r.receiveCount)).toEqual([2]);
  });

  it('answers false for a handle SQS no longer has in flight', async () => {
    const q = await queue();
    await q.send({ n: 4 });
    const [m] = await q.receive();
    await q.ack(m!.receiptHandle);
    expect(await q.release(m!.receiptHandle, 'too late')).toBe(false);
  });

  it('leaves a message past its max receives to the redrive policy, and lists it as a dead letter', async () => {
    const q = await queue(2);
    const { messageId } = await q.send({ n: 5 });
    for (let i = 0; i < 2; i++) {
      const [m] = await q.receive({ visibilityTimeoutMs: 1_000 });
      expect(m?.messageId).toBe(messageId);
      await q.release(m!.receiptHandle, 'try again');
    }
    expect(await q.receive()).toEqual([]);
    const dead = await q.deadLetters();
    expect(dead.map((d) => [d.messageId, d.body])).toEqual([[messageId, { n: 5 }]]);
    expect(dead[0]!.reason).toMatch(/maximum receives/);
    expect((await q.depth()).dead).toBe(1);
  });

  it('dead-letters a non-retryable failure with its reason, and redrives it under the same id', async () => {
    const q = await queue();
    await q.send({ n: 6 });
    const { messageId } = await q.send({ n: 7 });
    const received = await q.receive({ max: 2 });
    const m7 = received.find((m) => m.body.n === 7)!;
    expect(await q.fail(m7.receiptHandle, 'detail.commit: must be a full git commit id')).toBe(true);
    expect(await q.fail(m7.receiptHandle, 'twice')).toBe(false);
    const dead = await q.deadLetters();
    expect(dead.map((d) => [d.messageId, d.body, d.reason])).toEqual([
      [messageId, { n: 7 }, 'detail.commit: must be a full git commit id'],
    ]);
    // Peeking does not consume: the dead letter is still there.
    expect(await q.deadLetters()).toHaveLength(1);
    expect(await q.redrive(['someone-else'])).toBe(0);
    expect(await q.redrive([messageId])).toBe(1);
    expect(await q.deadLetters()).toEqual([]);
    const [again] = await q.receive();
    expect(again).toMatchObject({ messageId, body: { n: 7 }, receiveCount: 1 });
  });

  it('sends 23 messages with SendMessageBatch in calls of 10, 10 and 3, all delivered', async () => {
    const q = await queue();
    sentBatches.length = 0;
    const ids = await q.sendBatch(Array.from({ length: 23 }, (_, n) => ({ n })));
    expect(sentBatches).toEqual([10, 10, 3]);
    expect(new Set(ids).size).toBe(23);
    const seen: number[] = [];
    for (let i = 0; i < 5 && seen.length < 23; i++)
      seen.push(...(await q.receive({ max: 10 })).map((m) => m.body.n));
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 23 }, (_, n) => n));
  });
});

describe('SqsWorkQueue.sendBatch at the SDK boundary', () => {
  it('raises the refused entries, retryable only when SQS was at fault', async () => {
    const sqs = mockClient(SQSClient);
    try {
      sqs.on(SendMessageBatchCommand).resolves({
        Successful: [{ Id: '0', MessageId: 'm0', MD5OfMessageBody: '' }],
        Failed: [{ Id: '1', Code: 'InvalidMessageContents', Message: 'bad', SenderFault: true }],
      });
      const q = new SqsWorkQueue<Job>({
        client: new SQSClient({ region: 'eu-west-1' }),
        name: 'build',
        queueUrl: 'https://sqs.eu-west-1.amazonaws.com/111111111111/build',
      });
      const error = await q.sendBatch([{ n: 0 }, { n: 1 }]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SendBatchFailedError);
      expect(error).toMatchObject({
        retryable: false,
        message: expect.stringMatching(/entry 1: InvalidMessageContents/),
      });
    } finally {
      sqs.restore();
    }
  });
});
