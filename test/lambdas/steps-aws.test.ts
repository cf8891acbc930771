// The step contract on the deployed AWS shape: each step is the Lambda `makeStepHandler(step, awsStepDeps(step))`
// builds for its queue, fed SQS records whose bodies are the events as EventBridge delivers them. The AWS ports are
// faked only at the SDK boundary: S3 serves the pushed definitions under the snapshot keys the webhook writes,
// SSM returns the policy file's text, EventBridge captures PutEvents, DynamoDB is FakeDynamoDb, SNS captures Publish.

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DynamoDbLineageStore } from '../../adapters/aws/dynamodb-lineage-store.js';
import { definitionKey } from '../../adapters/aws/s3-snapshot-store.js';
import { type DetailType, type DrydockEvent, parseEvent } from '../../core/events/index.js';
import { gateStep } from '../../core/steps/gate.js';
import { lineageStep } from '../../core/steps/lineage.js';
import { notifyStep } from '../../core/steps/notify.js';
import type { Step } from '../../core/steps/step.js';
import { awsStepDeps } from '../../lambdas/shared/aws-ports.js';
import { type AwsPortName, STEP_FUNCTIONS } from '../../lambdas/shared/deployment.js';
import { awsPortsOf } from '../../lambdas/shared/ports/index.js';
import { makeStepHandler } from '../../lambdas/shared/step-function.js';
import { FakeDynamoDb } from '../adapters/aws/fake-dynamodb.js';
import {
  type LambdaStepName,
  type PublishedOutcome,
  STEPS_POLICY,
  type StepsRuntime,
  stepsContract,
} from '../contracts/steps.contract.js';
import { LAMBDA_ENV } from '../fixtures/lambda-env.js';
import { eventBridgeDelivery, lambdaContext, quietObservability, sqsEvent, sqsRecord } from './helpers.js';

const eb = mockClient(EventBridgeClient);
const s3 = mockClient(S3Client);
const ssm = mockClient(SSMClient);
const sns = mockClient(SNSClient);
let ddb: FakeDynamoDb;

beforeEach(() => {
  vi.stubEnv('AWS_REGION', 'eu-west-1');
  ddb = new FakeDynamoDb();
  for (const m of [eb, s3, ssm, sns]) m.reset();
});
afterEach(() => {
  vi.unstubAllEnvs();
  ddb.restore();
  for (const m of [eb, s3, ssm, sns]) m.reset();
});

const STEPS = { gate: gateStep, lineage: lineageStep, notify: notifyStep } as const satisfies Record<
  LambdaStepName,
  Step
>;

describe('the steps contract on AWS', () => {
  it('runs every step the deployment serves as a Lambda, and the contract names each', () => {
    expect(Object.keys(STEPS).sort()).toEqual([...STEP_FUNCTIONS].sort());
  });
});

async function openAws(): Promise<StepsRuntime> {
  const objects = new Map<string, string>();
  s3.on(GetObjectCommand).callsFake((input) => {
    if (input.Bucket !== LAMBDA_ENV.SNAPSHOT_BUCKET) throw new Error(`unexpected bucket ${input.Bucket}`);
    const text = objects.get(input.Key);
    if (text === undefined)
      throw Object.assign(new Error('NoSuchKey'), { name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } });
    return { Body: { transformToString: async () => text } };
  });
  ssm.on(GetParameterCommand).callsFake((input) => {
    if (input.Name !== LAMBDA_ENV.POLICY_PARAMETER) throw new Error(`unexpected parameter ${input.Name}`);
    return { Parameter: { Name: input.Name, Value: STEPS_POLICY } };
  });
  eb.on(PutEventsCommand).callsFake((input) => ({
    FailedEntryCount: 0,
    Entries: input.Entries.map((_: unknown, i: number) => ({ EventId: `eventbridge-${i}` })),
  }));
  let messages = 0;
  sns.on(PublishCommand).callsFake(() => ({ MessageId: `sns-${++messages}` }));

  // One handler per step for the runtime's life, as a warm Lambda keeps it.
  const handlers = Object.fromEntries(
    Object.entries(STEPS).map(([name, step]) => [
      name,
      makeStepHandler(step as Step<LambdaStepName, DetailType, AwsPortName>, {
        ...awsStepDeps(
          step as Step<LambdaStepName, DetailType, AwsPortName>,
          awsPortsOf(step as Step<LambdaStepName, DetailType, AwsPortName>),
          LAMBDA_ENV,
        ),
        obs: quietObservability(name),
      }),
    ]),
  ) as Record<LambdaStepName, ReturnType<typeof makeStepHandler>>;
  const lineage = new DynamoDbLineageStore({
    client: new DynamoDBClient({}),
    tableName: LAMBDA_ENV.LINEAGE_TABLE,
  });
  let putSeen = 0;
  let publishSeen = 0;

  return {
    seed: async (repository, snapshot) => {
      // What capturePush stores for each definition: its text under the snapshot's definition key.
      for (const [path, text] of Object.entries(snapshot.files))
        objects.set(definitionKey(repository, snapshot.commit, path), text);
    },
    deliver: async (name, event) => {
      const records = new Set(ddb.items(LAMBDA_ENV.IDEMPOTENCY_TABLE).map((i) => i.id?.S));
      const response = await handlers[name](sqsEvent(sqsRecord(eventBridgeDelivery(event))), lambdaContext());
      if (response.batchItemFailures.length > 0)
        throw new Error(`the ${name} function failed the record of ${event.detailType} ${event.id}`);
      const entries = eb
        .commandCalls(PutEventsCommand)
        .flatMap((c) => c.args[0].input.Entries ?? [])
        .slice(putSeen);
      putSeen += entries.length;
      // A PutEvents entry carries no event id (EventBridge gives each its own), so the drydock ids come from the
      // function's own result, kept in its idempotency record (what a redelivery is answered with), in the order
      // it published them. A redelivery the record absorbed ran nothing and published nothing.
      const fresh = ddb.items(LAMBDA_ENV.IDEMPOTENCY_TABLE).filter((i) => !records.has(i.id?.S));
      const ids = fresh.flatMap((i) => (i.data?.M?.published?.L ?? []).map((id) => id.S));
      if (ids.length !== entries.length)
        throw new Error(`${entries.length} PutEvents entries but ${ids.length} published ids recorded`);
      return entries.map((entry, i): PublishedOutcome => {
        if (entry.EventBusName !== LAMBDA_ENV.BUS_NAME) throw new Error(`put on ${entry.EventBusName}`);
        const parsed = parseEvent({
          id: ids[i],
          source: entry.Source,
          'detail-type': entry.DetailType,
          time: entry.Time?.toISOString(),
          detail: JSON.parse(entry.Detail ?? 'null'),
        });
        if (!parsed.ok) throw parsed.error;
        const e: DrydockEvent = parsed.event;
        return { id: e.id, detailType: e.detailType, detail: e.detail };
      });
    },
    notifications: async () => {
      const calls = sns.commandCalls(PublishCommand).slice(publishSeen);
      publishSeen += calls.length;
      // The SNS subject is a one-line, ASCII, 100-character rendering of kind and names for mail clients (the outbox
      // has no subject); what both runtimes tell is the summary (the message, for the events here) and the
      // repository, definition and kind that subscriptions filter on.
      return calls.map(({ args: [{ input }] }) => {
        if (input.TopicArn !== LAMBDA_ENV.TOPIC_ARN) throw new Error(`published to ${input.TopicArn}`);
        const attr = (name: string) => input.MessageAttributes?.[name]?.StringValue ?? '';
        return {
          kind: attr('kind'),
          repository: attr('repository'),
          definition: attr('definition'),
          summary: input.Message ?? '',
        };
      });
    },
    lineage: {
      image: (digest) => lineage.image(digest),
      builtOn: async (digest) =>
        (await lineage.imagesBuiltOn(digest)).map((d) => ({ digest: d.image.digest, depth: d.depth })),
      count: async () => (await lineage.list({ limit: 1000 })).length,
    },
  };
}

stepsContract('AWS', openAws);
