import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventBridgeEventBus } from '../../adapters/aws/eventbridge-event-bus.js';
import type { ProviderSecrets } from '../../adapters/aws/provider-secrets.js';
import { capturePush } from '../../adapters/aws/push-snapshots.js';
import { definitionKey, S3SnapshotStore } from '../../adapters/aws/s3-snapshot-store.js';
import { makeWebhookHandler } from '../../lambdas/handlers/webhook.js';
import { FakeDynamoDb } from '../adapters/aws/fake-dynamodb.js';
import { FakeGitProvider } from '../adapters/aws/fake-git-provider.js';
import { ManualClock } from '../contracts/manual-clock.js';
import { functionUrlEvent, lambdaContext, putDetail, quietObservability } from './helpers.js';

const SECRET = 'w3bh00k-s3cr3t-0123456789abcdef';
const GITHUB_PUSH = readFileSync(join(import.meta.dirname, 'fixtures/github-push.json'), 'utf8');
const GITLAB_PUSH = readFileSync(join(import.meta.dirname, 'fixtures/gitlab-push.json'), 'utf8');
const sign = (body: string, secret = SECRET) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
const github = (body: string, headers: Record<string, string> = {}) =>
  functionUrlEvent({
    body,
    headers: {
      'x-github-event': 'push',
      'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958',
      'x-hub-signature-256': sign(body),
      ...headers,
    },
  });

const eb = mockClient(EventBridgeClient);
const s3 = mockClient(S3Client);
let ddb: FakeDynamoDb;
let providers: FakeGitProvider[];

const handler = (secrets: ProviderSecrets = { webhookSecret: SECRET }) => {
  const store = new S3SnapshotStore({ client: new S3Client({ region: 'eu-west-1' }), bucket: 'snapshots' });
  return makeWebhookHandler({
    obs: quietObservability('webhook'),
    secrets: async () => secrets,
    capture: (push) =>
      capturePush(push, { providers: async () => providers, store, clock: new ManualClock() }),
    bus: new EventBridgeEventBus({
      client: new EventBridgeClient({ region: 'eu-west-1' }),
      busName: 'drydock',
    }),
    idempotency: {
      persistenceStore: new DynamoDBPersistenceLayer({
        tableName: 'idempotency',
        awsSdkV3Client: new DynamoDBClient({ region: 'eu-west-1' }),
      }),
    },
  });
};
const call = async (h: ReturnType<typeof handler>, event: ReturnType<typeof functionUrlEvent>) =>
  (await h(event, lambdaContext())) as APIGatewayProxyStructuredResultV2;
const pushed = () =>
  eb
    .commandCalls(PutEventsCommand)
    .flatMap((c) =>
      (c.args[0].input.Entries ?? []).map((e) => ({ type: e.DetailType, detail: putDetail(e) })),
    );

beforeEach(() => {
  ddb = new FakeDynamoDb();
  eb.reset();
  s3.reset();
  eb.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'x' }] });
  s3.on(PutObjectCommand).resolves({});
  providers = [
    new FakeGitProvider([{ status: 'M', path: 'services/api/Dockerfile' }], 'github'),
    new FakeGitProvider([{ status: 'M', path: 'services/api/Dockerfile' }], 'gitlab'),
  ];
});
afterEach(() => {
  ddb.restore();
  eb.reset();
  s3.reset();
});

describe('webhook handler: GitHub', () => {
  it('accepts a signed push: snapshots the changed definition and puts Definition Pushed with its path', async () => {
    const response = await call(handler(), github(GITHUB_PUSH));
    expect(response.statusCode).toBe(202);
    expect(JSON.parse(response.body!)).toEqual({ message: 'accepted', definitions: 1 });
    expect(pushed()).toEqual([
      {
        type: 'Definition Pushed',
        detail: {
          repository: 'github.com/acme/payments',
          ref: 'refs/heads/main',
          before: '51de2b835bd35a67eb32dbcd3d77d4b96e5aa39d',
          after: '405906c9d5be6ae5393ca65fb0e7c38e0d585ecb',
          pusher: 'alice',
          definitions: [{ path: 'services/api/Dockerfile', change: 'modified' }],
        },
      },
    ]);
    const keys = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input.Key);
    expect(keys).toContain(
      definitionKey(
        'github.com/acme/payments',
        '405906c9d5be6ae5393ca65fb0e7c38e0d585ecb',
        'services/api/Dockerfile',
      ),
    );
  });

  it('accepts the body base64-encoded by the function URL, verifying the raw bytes', async () => {
    const event = functionUrlEvent({
      body: GITHUB_PUSH,
      base64: true,
      headers: {
        'x-github-event': 'push',
        'x-github-delivery': 'd-b64',
        'x-hub-signature-256': sign(GITHUB_PUSH),
      },
    });
    expect((await call(handler(), event)).statusCode).toBe(202);
  });

  it.each([
    ['a missing signature', { 'x-hub-signature-256': '' }],
    [
      'a signature made with another secret',
      { 'x-hub-signature-256': sign(GITHUB_PUSH, 'another-secret-0123456789') },
    ],
    [
      'a SHA-1 signature only',
      {
        'x-hub-signature-256': '',
        'x-hub-signature': `sha1=${createHmac('sha1', SECRET).update(GITHUB_PUSH).digest('hex')}`,
      },
    ],
  ])('answers 401 to %s and does nothing', async (_name, headers) => {
    const event = github(GITHUB_PUSH, headers);
    if (!headers['x-hub-signature-256'])
      delete (event.headers as Record<string, string>)['x-hub-signature-256'];
    const response = await call(handler(), event);
    expect(response.statusCode).toBe(401);
    expect(eb.commandCalls(PutEventsCommand)).toHaveLength(0);
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
    expect(providers[0]!.calls).toEqual([]);
  });

  it('answers 401 to a tampered body signed for the original', async () => {
    const tampered = GITHUB_PUSH.replace('refs/heads/main', 'refs/heads/evil');
    const response = await call(handler(), github(tampered, { 'x-hub-signature-256': sign(GITHUB_PUSH) }));
    expect(response.statusCode).toBe(401);
    expect(eb.commandCalls(PutEventsCommand)).toHaveLength(0);
  });

  it('puts one event for a redelivery with the same delivery id, and gives the same answer', async () => {
    const h = handler();
    const first = await call(h, github(GITHUB_PUSH));
    const again = await call(h, github(GITHUB_PUSH));
    expect(again).toEqual(first);
    expect(eb.commandCalls(PutEventsCommand)).toHaveLength(1);
    const other = await call(h, github(GITHUB_PUSH, { 'x-github-delivery': 'another-delivery' }));
    expect(other.statusCode).toBe(202);
    expect(eb.commandCalls(PutEventsCommand)).toHaveLength(2);
  });

  it('answers a ping and ignores other events, after checking their signature', async () => {
    const ping = JSON.stringify({ zen: 'Keep it logically awesome.', hook_id: 1 });
    expect((await call(handler(), github(ping, { 'x-github-event': 'ping' }))).statusCode).toBe(200);
    const issue = await call(handler(), github('{"action":"opened"}', { 'x-github-event': 'issues' }));
    expect(JSON.parse(issue.body!)).toEqual({ message: 'ignored: issues is not a push' });
    expect(eb.commandCalls(PutEventsCommand)).toHaveLength(0);
  });

  it('ignores a tag push and answers 400 to a push payload without its fields', async () => {
    const tag = GITHUB_PUSH.replace('"ref": "refs/heads/main"', '"ref": "refs/tags/v1.0.0"');
    expect(JSON.parse((await call(handler(), github(tag, { 'x-github-delivery': 'tag' }))).body!)).toEqual({
      message: 'ignored: refs/tags/v1.0.0 is not a branch',
    });
    const response = await call(
      handler(),
      github('{"ref":"refs/heads/main"}', { 'x-github-delivery': 'bad' }),
    );
    expect(response.statusCode).toBe(400);
    expect(eb.commandCalls(PutEventsCommand)).toHaveLength(0);
  });

  it('answers 503 when the provider cannot be reached, so GitHub shows a failed delivery to redeliver', async () => {
    providers[0]!.listFiles = async () => {
      const { GitProviderError } = await import('../../adapters/aws/git-provider.js');
      throw new GitProviderError('GitHub tree: cannot reach api.github.com', { retryable: true });
    };
    expect((await call(handler(), github(GITHUB_PUSH))).statusCode).toBe(503);
    // The failure left no idempotency record: the redelivery does the work.
    providers[0] = new FakeGitProvider([{ status: 'M', path: 'services/api/Dockerfile' }], 'github');
    expect((await call(handler(), github(GITHUB_PUSH))).statusCode).toBe(202);
  });
});

describe('webhook handler: GitLab', () => {
  const gitlab = (token: string | undefined, body = GITLAB_PUSH) =>
    functionUrlEvent({
      body,
      headers: {
        'x-gitlab-event': 'Push Hook',
        'x-gitlab-event-uuid': '13792a34-cac6-4fda-95a8-c58e00a3954e',
        ...(token === undefined ? {} : { 'x-gitlab-token': token }),
      },
    });

  it('accepts a push with the right token', async () => {
    const response = await call(handler(), gitlab(SECRET));
    expect(response.statusCode).toBe(202);
    expect(pushed()[0]?.detail).toMatchObject({ repository: 'gitlab.com/acme/payments', pusher: 'alice' });
  });

  it.each([
    ['a wrong token', 'not-the-secret-0123456789'],
    ['a missing token', undefined],
  ])('answers 401 to %s', async (_name, token) => {
    expect((await call(handler(), gitlab(token))).statusCode).toBe(401);
    expect(eb.commandCalls(PutEventsCommand)).toHaveLength(0);
  });

  it('checks each provider against its own key when the secret names one', async () => {
    const secrets = { webhookSecret: SECRET, gitlab: { webhookToken: 'gitlab-only-token-0123456789' } };
    expect((await call(handler(secrets), gitlab(SECRET))).statusCode).toBe(401);
    expect((await call(handler(secrets), gitlab('gitlab-only-token-0123456789'))).statusCode).toBe(202);
    expect((await call(handler(secrets), github(GITHUB_PUSH))).statusCode).toBe(202);
  });

  it('refuses every delivery while no key is configured', async () => {
    expect((await call(handler({}), github(GITHUB_PUSH))).statusCode).toBe(401);
    expect((await call(handler({}), gitlab(SECRET))).statusCode).toBe(401);
  });

  it('answers 401 to a request that is neither GitHub nor GitLab', async () => {
    expect((await call(handler(), functionUrlEvent({ body: GITHUB_PUSH }))).statusCode).toBe(401);
  });
});
