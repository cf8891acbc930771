import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { BatchGetBuildsCommand, CodeBuildClient } from '@aws-sdk/client-codebuild';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  BUILD_EVENTS_MAX_BYTES,
  CODEBUILD_EMITS,
  codebuildNext,
  makeBuildStateHandler,
} from '../../lambdas/handlers/build-state.js';
import { buildStateDeps } from '../../lambdas/shared/deps/build-state.js';
import { FakeDynamoDb } from '../adapters/aws/fake-dynamodb.js';
import { LAMBDA_ENV } from '../fixtures/lambda-env.js';
import { lambdaContext, putDetail, quietObservability, s3Body, sqsEvent, sqsRecord } from './helpers.js';

const fixture = (path: string) => JSON.parse(readFileSync(join(import.meta.dirname, path), 'utf8'));
const SUCCEEDED = fixture('../adapters/aws/fixtures/codebuild-state-succeeded.json');
const FAILED = fixture('../adapters/aws/fixtures/codebuild-state-failed.json');
const BUILDS = fixture('../adapters/aws/fixtures/batch-get-builds-succeeded.json');
const BUILD_ID = 'build-0b5c3a1f9e2d4c6b8a7f1e0d2c3b4a59';
const SNAPSHOTS = LAMBDA_ENV.SNAPSHOT_BUCKET;
const wire = (name: string, detail: Record<string, unknown> = {}) => {
  const e = fixture(`../fixtures/events/${name}.json`);
  return {
    ...e,
    detail: { ...e.detail, ...('buildId' in e.detail ? { buildId: BUILD_ID } : {}), ...detail },
  };
};
const REQUEST = wire('build-requested');
const COMPLETED = wire('build-completed');
const PASSED = wire('image-tested', { passed: true });
const PUBLISHED = wire('image-published');
const jsonl = (...events: unknown[]) => events.map((e) => `${JSON.stringify(e)}\n`).join('');
const LOG = 'Step 1/4 : FROM node\nStep 4/4 : RUN make\nmake: *** [all] Error 2\n';

const cb = mockClient(CodeBuildClient);
const eb = mockClient(EventBridgeClient);
const s3 = mockClient(S3Client);
let ddb: FakeDynamoDb;
let objects: Record<string, unknown>;

// The build-state function as deployed (its composition root), with the SDKs mocked.
const handler = (obs = quietObservability('build-state')) =>
  makeBuildStateHandler({ ...buildStateDeps(LAMBDA_ENV), obs });
const relayed = () =>
  eb
    .commandCalls(PutEventsCommand)
    .flatMap((c) =>
      (c.args[0].input.Entries ?? []).map((e) => ({ type: e.DetailType, detail: putDetail(e) })),
    );
const noSuchKey = () =>
  Object.assign(new Error('NoSuchKey'), { name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } });
const eventsFile = (text: string | Readable) => {
  objects[`builds/${BUILD_ID}/events.jsonl`] = text;
};

beforeEach(() => {
  vi.stubEnv('AWS_REGION', 'eu-west-1');
  ddb = new FakeDynamoDb();
  for (const m of [cb, eb, s3]) m.reset();
  objects = { [`builds/${BUILD_ID}/request.json`]: JSON.stringify(REQUEST) };
  cb.on(BatchGetBuildsCommand).resolves(BUILDS);
  eb.on(PutEventsCommand).callsFake((input) => ({
    FailedEntryCount: 0,
    Entries: input.Entries.map(() => ({ EventId: 'x' })),
  }));
  s3.on(GetObjectCommand).callsFake((input) => {
    if (input.Bucket === LAMBDA_ENV.LOG_BUCKET) return { Body: s3Body(gzipSync(LOG)) };
    const body = input.Bucket === SNAPSHOTS ? objects[input.Key] : undefined;
    if (body === undefined) throw noSuchKey();
    return { Body: typeof body === 'string' ? s3Body(body) : body };
  });
});
afterEach(() => {
  vi.unstubAllEnvs();
  ddb.restore();
  for (const m of [cb, eb, s3]) m.reset();
});

describe('build-state function', () => {
  it('relays what the steps of a succeeded build published, in order, and records no lineage itself', async () => {
    eventsFile(jsonl(COMPLETED, PASSED, PUBLISHED));
    expect(await handler()(sqsEvent(sqsRecord(SUCCEEDED)), lambdaContext())).toEqual({
      batchItemFailures: [],
    });
    expect(relayed().map((r) => r.type)).toEqual(['Build Completed', 'Image Tested', 'Image Published']);
    expect(relayed()[2]!.detail).toEqual(PUBLISHED.detail);
    expect(eb.commandCalls(PutEventsCommand)[0]!.args[0].input.Entries?.[0]?.EventBusName).toBe(
      LAMBDA_ENV.BUS_NAME,
    );
    // Lineage is the lineage step's: only the idempotency record is written here.
    expect(ddb.items(LAMBDA_ENV.LINEAGE_TABLE)).toEqual([]);
    expect(s3.commandCalls(GetObjectCommand).map((c) => c.args[0].input.Key)).toEqual([
      `builds/${BUILD_ID}/request.json`,
      `builds/${BUILD_ID}/events.jsonl`,
    ]);
  });

  it('adds Build Failed at test, with the end of the S3 log, when the build failed after building', async () => {
    eventsFile(jsonl(COMPLETED));
    expect(await handler()(sqsEvent(sqsRecord(FAILED)), lambdaContext())).toEqual({ batchItemFailures: [] });
    expect(relayed().map((r) => [r.type, r.detail.stage])).toEqual([
      ['Build Completed', undefined],
      ['Build Failed', 'test'],
    ]);
    expect(relayed()[1]!.detail).toMatchObject({
      buildId: BUILD_ID,
      repository: REQUEST.detail.repository,
      logTail: 'Step 1/4 : FROM node\nStep 4/4 : RUN make\nmake: *** [all] Error 2',
      logPath: expect.stringContaining('logEvent:group=/drydock/codebuild'),
    });
    expect(s3.commandCalls(GetObjectCommand).at(-1)!.args[0].input).toEqual({
      Bucket: LAMBDA_ENV.LOG_BUCKET,
      Key: 'codebuild/8745a7a9-c340-456a-9166-edf953571bea.gz',
    });
  });

  it('fails the build at build when it uploaded no events file: nothing ran', async () => {
    expect(await handler()(sqsEvent(sqsRecord(FAILED)), lambdaContext())).toEqual({ batchItemFailures: [] });
    expect(relayed().map((r) => [r.type, r.detail.stage])).toEqual([['Build Failed', 'build']]);
  });

  it('relays a failed test run as it is, and adds nothing', async () => {
    eventsFile(jsonl(COMPLETED, wire('image-tested', { passed: false })));
    await handler()(sqsEvent(sqsRecord(FAILED)), lambdaContext());
    expect(relayed().map((r) => r.type)).toEqual(['Build Completed', 'Image Tested']);
    expect(
      s3.commandCalls(GetObjectCommand).some((c) => c.args[0].input.Bucket === LAMBDA_ENV.LOG_BUCKET),
    ).toBe(false);
  });

  it("refuses an events file's claim of another build's Image Published, counts it, and fails this build at push", async () => {
    const obs = quietObservability('build-state');
    const warn = vi.spyOn(obs.logger, 'warn');
    const metric = vi.spyOn(obs.metrics, 'addMetric');
    const other = { ...PUBLISHED, detail: { ...PUBLISHED.detail, buildId: 'build-of-another-team' } };
    eventsFile(jsonl(COMPLETED, PASSED, other));
    await handler(obs)(sqsEvent(sqsRecord(SUCCEEDED)), lambdaContext());
    expect(relayed().map((r) => [r.type, r.detail.stage])).toEqual([
      ['Build Completed', undefined],
      ['Image Tested', undefined],
      ['Build Failed', 'push'],
    ]);
    expect(metric).toHaveBeenCalledWith('BuildEventsRefused', 'Count', 1);
    expect(warn).toHaveBeenCalledWith(
      'build events refused',
      expect.objectContaining({ buildId: BUILD_ID, lines: [expect.objectContaining({ line: 3 })] }),
    );
  });

  it('never relays a forged Base Image Banned line', async () => {
    eventsFile(jsonl(COMPLETED, PASSED, fixture('../fixtures/events/base-image-banned.json'), PUBLISHED));
    await handler()(sqsEvent(sqsRecord(SUCCEEDED)), lambdaContext());
    expect(relayed().map((r) => r.type)).toEqual(['Build Completed', 'Image Tested', 'Image Published']);
  });

  it('refuses a line larger than a PutEvents entry, instead of failing every delivery until the DLQ', async () => {
    // 300 KB of log tail: under the read cap, over what EventBridge takes. Put as it is, PutEvents would refuse the
    // whole relay on every retry and the build's outcome would never reach the team.
    eventsFile(
      jsonl({ ...COMPLETED, detail: { ...COMPLETED.detail, logTail: 'x'.repeat(300_000) } }, PASSED),
    );
    const obs = quietObservability('build-state');
    const warn = vi.spyOn(obs.logger, 'warn');
    expect(await handler(obs)(sqsEvent(sqsRecord(FAILED)), lambdaContext())).toEqual({
      batchItemFailures: [],
    });
    expect(relayed().map((r) => [r.type, r.detail.stage])).toEqual([['Build Failed', 'build']]);
    const refusal = warn.mock.calls.find(([message]) => message === 'build events refused');
    expect(refusal?.[1]).toMatchObject({
      refused: 2,
      lines: [
        {
          line: 1,
          reason: expect.stringMatching(
            /^Build Completed is \d+ bytes on the wire; EventBridge takes at most 262144$/,
          ),
        },
        { line: 2, reason: 'Image Tested cannot follow the request' },
      ],
    });
  });

  it('skips malformed JSON lines and relays the valid ones', async () => {
    eventsFile(
      `${JSON.stringify(COMPLETED)}\n{"detail-type":\n\u0000\u0001garbage\n${JSON.stringify(PASSED)}\n${JSON.stringify(PUBLISHED)}`,
    );
    expect(await handler()(sqsEvent(sqsRecord(SUCCEEDED)), lambdaContext())).toEqual({
      batchItemFailures: [],
    });
    expect(relayed().map((r) => r.type)).toEqual(['Build Completed', 'Image Tested', 'Image Published']);
  });

  it('reads no more than its cap of a 50 MB events file', async () => {
    const line = Buffer.from(`${JSON.stringify({ pad: 'x'.repeat(4000) })}\n`);
    let pulled = 0;
    const fifty = Readable.from(
      (function* () {
        for (let sent = 0; sent < 50 * 1024 * 1024; sent += line.length) {
          pulled += line.length;
          yield line;
        }
      })(),
    );
    eventsFile(
      Object.assign(fifty, { transformToByteArray: () => Promise.reject(new Error('read whole')) }) as never,
    );
    expect(await handler()(sqsEvent(sqsRecord(SUCCEEDED)), lambdaContext())).toEqual({
      batchItemFailures: [],
    });
    const get = s3.commandCalls(GetObjectCommand).find((c) => c.args[0].input.Key?.endsWith('events.jsonl'));
    expect(get!.args[0].input.Range).toBe(`bytes=0-${BUILD_EVENTS_MAX_BYTES}`);
    expect(pulled).toBeLessThan(BUILD_EVENTS_MAX_BYTES + 2 * line.length);
    expect(relayed().map((r) => [r.type, r.detail.stage])).toEqual([['Build Failed', 'build']]);
  });

  it('dead-letters a build whose stored request is missing or not its own, and handles the others', async () => {
    const other = { ...FAILED, detail: { ...FAILED.detail, 'build-id': `${FAILED.detail['build-id']}x` } };
    cb.on(BatchGetBuildsCommand).resolves({ builds: [] });
    objects[`builds/${BUILD_ID}/request.json`] = JSON.stringify({
      ...REQUEST,
      detail: { ...REQUEST.detail, buildId: 'build-x' },
    });
    const response = await handler()(sqsEvent(sqsRecord(other, { messageId: 'not-ours' })), lambdaContext());
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'not-ours' }] });
    delete objects[`builds/${BUILD_ID}/request.json`];
    expect(await handler()(sqsEvent(sqsRecord(FAILED, { messageId: 'none' })), lambdaContext())).toEqual({
      batchItemFailures: [{ itemIdentifier: 'none' }],
    });
    expect(relayed()).toEqual([]);
  });

  it("never relays an earlier CodeBuild build's events file as the outcome of a later build of the same id", async () => {
    // The build id is the definition's at the commit: a later request for it (a re-gate, a redrive, RetryBuild)
    // runs another CodeBuild build with the same DRYDOCK_BUILD_ID. When that build stops before its steps upload
    // anything, builds/<id>/events.jsonl is still the earlier build's, whose Image Published is not this outcome.
    const startedAt = (iso: string) =>
      cb.on(BatchGetBuildsCommand).resolves({
        builds: BUILDS.builds.map((b: Record<string, unknown>) => ({ ...b, startTime: new Date(iso) })),
      });
    eventsFile(jsonl(COMPLETED, PASSED, PUBLISHED));
    startedAt('2025-03-14T11:00:00Z');
    const obs = quietObservability('build-state');
    const warn = vi.spyOn(obs.logger, 'warn');
    expect(await handler(obs)(sqsEvent(sqsRecord(FAILED)), lambdaContext())).toEqual({
      batchItemFailures: [],
    });
    expect(relayed().map((r) => [r.type, r.detail.stage])).toEqual([['Build Failed', 'build']]);
    const refusal = warn.mock.calls.find(([message]) => message === 'build events refused');
    expect(refusal?.[1]).toMatchObject({
      refused: 3,
      lines: [
        {
          line: 1,
          reason:
            "Build Completed of 2025-03-14T09:28:01.004Z is older than this CodeBuild build (started 2025-03-14T11:00:00.000Z): an earlier build's",
        },
        { line: 2 },
        { line: 3 },
      ],
    });

    // The build that did publish them: started before its events, within the clock skew allowed.
    eb.resetHistory();
    startedAt('2025-03-14T09:28:30Z');
    await handler()(sqsEvent(sqsRecord(SUCCEEDED)), lambdaContext());
    expect(relayed().map((r) => r.type)).toEqual(['Build Completed', 'Image Tested', 'Image Published']);
  });

  it('handles a redelivered state change once, and ignores a build in progress', async () => {
    eventsFile(jsonl(COMPLETED, PASSED, PUBLISHED));
    const h = handler();
    await h(sqsEvent(sqsRecord(SUCCEEDED)), lambdaContext());
    await h(sqsEvent(sqsRecord(SUCCEEDED, { receiveCount: 2 })), lambdaContext());
    expect(eb.commandCalls(PutEventsCommand)).toHaveLength(1);
    const running = { ...SUCCEEDED, detail: { ...SUCCEEDED.detail, 'build-status': 'IN_PROGRESS' } };
    expect(await h(sqsEvent(sqsRecord(running)), lambdaContext())).toEqual({ batchItemFailures: [] });
    expect(eb.commandCalls(PutEventsCommand)).toHaveLength(1);
  });
});

describe('what the build-state function relays, from the registry', () => {
  it('is what the CodeBuild steps emit, each after what its step consumes', () => {
    expect([...CODEBUILD_EMITS].sort()).toEqual([
      'Build Completed',
      'Build Failed',
      'Image Published',
      'Image Tested',
    ]);
    expect([...codebuildNext('Build Requested')].sort()).toEqual(['Build Completed', 'Build Failed']);
    expect([...codebuildNext('Build Completed')].sort()).toEqual(['Build Failed', 'Image Tested']);
    expect([...codebuildNext('Image Tested')].sort()).toEqual(['Build Failed', 'Image Published']);
    expect([...codebuildNext('Image Published')]).toEqual([]);
  });
});
