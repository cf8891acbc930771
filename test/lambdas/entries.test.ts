import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ENV_SCHEMA, readEnv } from '../../lambdas/shared/env.js';
import { FakeDynamoDb } from '../adapters/aws/fake-dynamodb.js';
import { LAMBDA_ENV } from '../fixtures/lambda-env.js';
import { lambdaContext, sqsEvent, sqsRecord } from './helpers.js';

const ENV = LAMBDA_ENV;
const ENTRIES = readdirSync(join(import.meta.dirname, '../../lambdas'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.replace(/\.ts$/, ''))
  .sort();

describe('readEnv', () => {
  it('returns the named variables', () => {
    expect(readEnv('gate', ['BUS_NAME', 'TOPIC_ARN'], ENV)).toEqual({
      BUS_NAME: 'drydock-bus',
      TOPIC_ARN: ENV.TOPIC_ARN,
    });
  });

  it('names every missing or malformed variable at once', () => {
    expect(() =>
      readEnv('notifier', ['TOPIC_ARN', 'IDEMPOTENCY_TABLE', 'ECR_REGISTRY'], {
        TOPIC_ARN: 'drydock-teams',
        ECR_REGISTRY: 'ecr.example.com',
      }),
    ).toThrow(
      /^drydock notifier: bad environment: TOPIC_ARN must be an sns ARN \(got "drydock-teams"\); IDEMPOTENCY_TABLE is not set; ECR_REGISTRY must be an ECR registry host/,
    );
  });

  it('knows exactly the variables the stack sets', () => {
    expect(Object.keys(ENV_SCHEMA).sort()).toEqual(Object.keys(ENV).sort());
  });
});

describe('Lambda entries', () => {
  beforeEach(() => {
    vi.resetModules();
    vi.stubEnv('AWS_REGION', 'eu-west-1');
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
    for (const [k, v] of Object.entries(ENV)) vi.stubEnv(k, v);
  });
  afterEach(() => vi.unstubAllEnvs());

  it('are the six functions the stack deploys', () => {
    expect(ENTRIES).toEqual(['build-starter', 'build-state', 'gate', 'notifier', 'submit', 'webhook']);
  });

  it.each(ENTRIES)('%s exports a handler when its environment is set', async (name) => {
    const module = (await import(`../../lambdas/${name}.ts`)) as { handler: unknown };
    expect(typeof module.handler).toBe('function');
  });

  it.each(ENTRIES)('%s refuses to start without a variable it reads, naming it', async (name) => {
    const source = readFileSync(join(import.meta.dirname, `../../lambdas/${name}.ts`), 'utf8');
    const read = Object.keys(ENV).filter((k) => source.includes(`'${k}'`));
    expect(read.length).toBeGreaterThan(0);
    vi.stubEnv(read[0]!, '');
    await expect(import(`../../lambdas/${name}.ts`)).rejects.toThrow(
      new RegExp(`drydock ${name}: bad environment: ${read[0]} is not set`),
    );
  });

  it('wires the notifier to the topic of TOPIC_ARN and the idempotency table of IDEMPOTENCY_TABLE', async () => {
    const sns = mockClient(SNSClient);
    const ddb = new FakeDynamoDb();
    try {
      sns.on(PublishCommand).resolves({ MessageId: 'm' });
      const { handler } = (await import('../../lambdas/notifier.js')) as {
        handler: (e: unknown, c: unknown) => Promise<unknown>;
      };
      const verdict = JSON.parse(
        readFileSync(join(import.meta.dirname, '../fixtures/events/definition-verdict-failed.json'), 'utf8'),
      );
      expect(await handler(sqsEvent(sqsRecord(verdict)), lambdaContext())).toEqual({ batchItemFailures: [] });
      expect(sns.commandCalls(PublishCommand)[0]!.args[0].input.TopicArn).toBe(ENV.TOPIC_ARN);
      expect(ddb.items('drydock-idempotency')).toHaveLength(1);
    } finally {
      sns.restore();
      ddb.restore();
    }
  });
});
