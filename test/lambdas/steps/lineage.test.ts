import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { lineageStep } from '../../../core/steps/lineage.js';
import { awsStepDeps } from '../../../lambdas/shared/aws-ports.js';
import { lineage } from '../../../lambdas/shared/ports/lineage.js';
import { makeStepHandler } from '../../../lambdas/shared/step-function.js';
import { FakeDynamoDb } from '../../adapters/aws/fake-dynamodb.js';
import { LAMBDA_ENV } from '../../fixtures/lambda-env.js';
import { lambdaContext, quietObservability, sqsEvent, sqsRecord } from '../helpers.js';

// The lineage step function as deployed: the registry's lineage step on the AWS composition root, DynamoDB faked.
const fixture = (name: string) =>
  JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/events', name), 'utf8'));
const PUBLISHED = fixture('image-published.json');
const DIGEST = PUBLISHED.detail.digest as string;
const BASE = PUBLISHED.detail.bases[0].digest as string;
const eb = mockClient(EventBridgeClient);
let ddb: FakeDynamoDb;

const handler = () =>
  makeStepHandler(lineageStep, {
    ...awsStepDeps(lineageStep, { lineage }, LAMBDA_ENV),
    obs: quietObservability('lineage'),
  });
const edges = () => ddb.items(LAMBDA_ENV.LINEAGE_TABLE).map((i) => `${i.pk?.S} ${i.sk?.S}`);

beforeEach(() => {
  vi.stubEnv('AWS_REGION', 'eu-west-1');
  ddb = new FakeDynamoDb();
  eb.reset();
});
afterEach(() => {
  vi.unstubAllEnvs();
  ddb.restore();
  eb.reset();
});

describe('lineage step function', () => {
  it('records a published image under its base in the table of LINEAGE_TABLE, and publishes nothing', async () => {
    expect(await handler()(sqsEvent(sqsRecord(PUBLISHED)), lambdaContext())).toEqual({
      batchItemFailures: [],
    });
    expect(edges()).toContain(`BASE#${BASE} IMAGE#${DIGEST}`);
    expect(eb.commandCalls(PutEventsCommand)).toHaveLength(0);
  });

  it('records an image once per digest, whichever delivery brings it', async () => {
    const h = handler();
    await h(sqsEvent(sqsRecord(PUBLISHED)), lambdaContext());
    const before = ddb.items(LAMBDA_ENV.LINEAGE_TABLE).length;
    expect(
      await h(
        sqsEvent(
          sqsRecord(PUBLISHED, { receiveCount: 2 }),
          sqsRecord({ ...PUBLISHED, id: 'eventbridge-again' }),
        ),
        lambdaContext(),
      ),
    ).toEqual({ batchItemFailures: [] });
    expect(ddb.items(LAMBDA_ENV.LINEAGE_TABLE)).toHaveLength(before);
    expect(ddb.items(LAMBDA_ENV.IDEMPOTENCY_TABLE).map((r) => r.id?.S)).toEqual([
      expect.stringMatching(/^drydock\.lineage#/),
    ]);
  });

  it('rejects, alone, an event its rule never sends', async () => {
    const verdict = fixture('definition-verdict-failed.json');
    expect(
      await handler()(
        sqsEvent(sqsRecord(verdict, { messageId: 'not-mine' }), sqsRecord(PUBLISHED)),
        lambdaContext(),
      ),
    ).toEqual({ batchItemFailures: [{ itemIdentifier: 'not-mine' }] });
    expect(edges()).toContain(`BASE#${BASE} IMAGE#${DIGEST}`);
  });
});
