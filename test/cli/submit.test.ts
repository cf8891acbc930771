// drydock submit through main() against a local node:http server that plays the IAM-authenticated function URL:
// it recomputes the SigV4 signature of every request with the test's credentials (403 on a mismatch, as AWS
// answers), then runs the real submit handler (lambdas/handlers/submit.ts) on it with in-memory ports, and
// answers what the handler returns.
import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { capturePush } from '../../adapters/aws/push-snapshots.js';
import { S3SnapshotStore } from '../../adapters/aws/s3-snapshot-store.js';
import { functionUrlRegion } from '../../cli/commands/submit.js';
import type { DrydockEvent } from '../../core/events/index.js';
import { makeSubmitHandler, SubmitRequest } from '../../lambdas/handlers/submit.js';
import { FakeDynamoDb } from '../adapters/aws/fake-dynamodb.js';
import { FakeGitProvider } from '../adapters/aws/fake-git-provider.js';
import { ManualClock } from '../contracts/manual-clock.js';
import { runCli } from '../helpers/cli.js';
import { drydock } from '../helpers/drydock-process.js';
import { functionUrlEvent, lambdaContext, quietObservability } from '../lambdas/helpers.js';

const REGION = 'eu-west-1';
const CREDENTIALS = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'FwoGZXIvYXdzEXAMPLESESSIONTOKEN',
};
/** Who AWS says signed with {@link CREDENTIALS}: the team's CI role. */
const CI_ROLE = 'arn:aws:sts::111111111111:assumed-role/payments-ci/build-42';
const COMMIT = '405906c9d5be6ae5393ca65fb0e7c38e0d585ecb';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

const s3 = mockClient(S3Client);
let ddb: FakeDynamoDb;
let published: DrydockEvent[];
let received: Received[];
let server: Server;
let url: string;

const submitHandler = () =>
  makeSubmitHandler({
    obs: quietObservability('submit'),
    capture: (push) =>
      capturePush(push, {
        providers: async () => [new FakeGitProvider()],
        store: new S3SnapshotStore({ client: new S3Client({ region: REGION }), bucket: 'snapshots' }),
        clock: new ManualClock(),
      }),
    bus: {
      publish: async (events) => {
        published.push(...events);
      },
    },
    idempotency: {
      persistenceStore: new DynamoDBPersistenceLayer({
        tableName: 'idempotency',
        awsSdkV3Client: new DynamoDBClient({ region: REGION }),
      }),
    },
  });

const readBody = async (req: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/\d{8}\/[^/]+\/[^/]+\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=[0-9a-f]{64}$/;

/** True when the request carries the signature {@link CREDENTIALS} give for service lambda in {@link REGION}. */
async function signedByTheCi(req: IncomingMessage, body: string): Promise<boolean> {
  const authorization = req.headers.authorization ?? '';
  const match = AUTHORIZATION.exec(authorization);
  const date = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(String(req.headers['x-amz-date']));
  if (!match || match[1] !== CREDENTIALS.accessKeyId || !date) return false;
  const contentHash = req.headers['x-amz-content-sha256'];
  if (contentHash !== undefined && contentHash !== sha256(body)) return false;
  const signedNames = match[2]!.split(';');
  const target = new URL(req.url ?? '/', `http://${req.headers.host}`);
  const signer = new SignatureV4({
    credentials: CREDENTIALS,
    region: REGION,
    service: 'lambda',
    sha256: Sha256,
  });
  const expected = await signer.sign(
    {
      method: req.method ?? 'GET',
      protocol: 'http:',
      hostname: target.hostname,
      port: Number(target.port),
      path: target.pathname,
      query: Object.fromEntries(target.searchParams),
      headers: Object.fromEntries(signedNames.map((name) => [name, String(req.headers[name] ?? '')])),
      body,
    },
    { signingDate: new Date(`${date[1]}-${date[2]}-${date[3]}T${date[4]}:${date[5]}:${date[6]}Z`) },
  );
  return expected.headers.authorization === authorization;
}

/** The function URL: AWS_IAM auth in front of the submit handler. */
function functionUrl(): Server {
  const handler = submitHandler();
  return createServer(async (req, res) => {
    const body = await readBody(req);
    received.push({ headers: req.headers, body });
    let answer: APIGatewayProxyStructuredResultV2;
    if (!(await signedByTheCi(req, body))) {
      answer = {
        statusCode: 403,
        headers: { 'content-type': 'application/json' },
        body: '{"Message":"Forbidden"}',
      };
    } else {
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      const event = functionUrlEvent({ body, headers, method: req.method ?? 'GET', iamUserArn: CI_ROLE });
      answer = (await handler(event, lambdaContext())) as APIGatewayProxyStructuredResultV2;
    }
    res.writeHead(answer.statusCode ?? 200, answer.headers as Record<string, string>);
    res.end(answer.body);
  });
}

const args = (...extra: string[]) => [
  'submit',
  '--url',
  url,
  '--region',
  REGION,
  '--repository',
  'github.com/acme/payments',
  '--commit',
  COMMIT,
  '--definition',
  'services/api/Dockerfile',
  ...extra,
];

beforeAll(async () => {
  server = functionUrl();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  received = [];
  published = [];
  ddb = new FakeDynamoDb();
  s3.reset();
  s3.on(PutObjectCommand).resolves({});
  // The SDK's credential chain reads process.env, not the CLI's io.env: give it the CI's variables and
  // nothing else to find (no profile files, no metadata service).
  for (const name of [
    'AWS_PROFILE',
    'AWS_ROLE_ARN',
    'AWS_WEB_IDENTITY_TOKEN_FILE',
    'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
    'AWS_CONTAINER_CREDENTIALS_FULL_URI',
    'AWS_CREDENTIAL_EXPIRATION',
  ])
    vi.stubEnv(name, undefined);
  vi.stubEnv('AWS_CONFIG_FILE', '/nonexistent/drydock-test/config');
  vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', '/nonexistent/drydock-test/credentials');
  vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
  vi.stubEnv('AWS_ACCESS_KEY_ID', CREDENTIALS.accessKeyId);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', CREDENTIALS.secretAccessKey);
  vi.stubEnv('AWS_SESSION_TOKEN', CREDENTIALS.sessionToken);
});
afterEach(() => {
  vi.unstubAllEnvs();
  ddb.restore();
  s3.reset();
});

describe('drydock submit', () => {
  it('sends a SigV4-signed request the function URL accepts, and prints what the pipeline answered', async () => {
    const { code, stdout, stderr } = await runCli(args('--definition', './services/worker/Dockerfile'));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toBe(`github.com/acme/payments@${COMMIT} (refs/heads/main): accepted, 2 definitions\n`);
    expect(received).toHaveLength(1);
    const { headers, body } = received[0]!;
    expect(headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20261127\/eu-west-1\/lambda\/aws4_request, SignedHeaders=content-length;content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token, Signature=[0-9a-f]{64}$/,
    );
    expect(headers['x-amz-date']).toBe('20261127T120000Z');
    expect(headers['x-amz-security-token']).toBe(CREDENTIALS.sessionToken);
    expect(headers['x-amz-content-sha256']).toBe(sha256(body));
    expect(headers['content-type']).toBe('application/json');
    expect(published.map((e) => e.detail)).toEqual([
      {
        repository: 'github.com/acme/payments',
        ref: 'refs/heads/main',
        before: '0'.repeat(40),
        after: COMMIT,
        pusher: CI_ROLE,
        definitions: [
          { path: 'services/api/Dockerfile', change: 'modified' },
          { path: 'services/worker/Dockerfile', change: 'modified' },
        ],
      },
    ]);
  });

  it('signs from the bundle too, where the SDK is loaded from its chunks', async () => {
    const { code, stdout, stderr } = await drydock(args(), {
      env: {
        PATH: process.env.PATH,
        AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
        AWS_SESSION_TOKEN: CREDENTIALS.sessionToken,
        AWS_CONFIG_FILE: '/nonexistent/drydock-test/config',
        AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/drydock-test/credentials',
        AWS_EC2_METADATA_DISABLED: 'true',
      },
    });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toBe(`github.com/acme/payments@${COMMIT} (refs/heads/main): accepted, 1 definition\n`);
    expect(published).toHaveLength(1);
  });

  it("sends a body the handler's schema accepts as it is", async () => {
    const { code } = await runCli(args('--ref', 'release', '--commit', COMMIT.toUpperCase()));
    expect(code).toBe(0);
    expect(SubmitRequest.parse(JSON.parse(received[0]!.body))).toEqual({
      repository: 'github.com/acme/payments',
      ref: 'refs/heads/release',
      commit: COMMIT,
      definitions: ['services/api/Dockerfile'],
    });
  });

  it('prints the answer and the request as JSON with --format json', async () => {
    const { code, stdout } = await runCli(args('--format', 'json'));
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      status: 202,
      response: { message: 'accepted', definitions: 1 },
      request: {
        repository: 'github.com/acme/payments',
        ref: 'refs/heads/main',
        commit: COMMIT,
        definitions: ['services/api/Dockerfile'],
      },
    });
  });

  it('takes the URL from DRYDOCK_SUBMIT_URL and the region from AWS_REGION', async () => {
    const { code } = await runCli(
      ['submit', '-r', 'github.com/acme/payments', '-c', COMMIT, '-d', 'services/api/Dockerfile'],
      { env: { DRYDOCK_SUBMIT_URL: url, AWS_REGION: REGION } },
    );
    expect(code).toBe(0);
    expect(published).toHaveLength(1);
  });

  it('exits 2 on a 403 and says the role must be in submitPrincipals', async () => {
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', `${CREDENTIALS.secretAccessKey}tampered`);
    const { code, stdout, stderr } = await runCli(args());
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('the function URL refused the request (403: Forbidden)');
    expect(stderr).toContain('access key AKIDEXAMPLE, region eu-west-1');
    expect(stderr).toContain("add its role ARN to the stack's submitPrincipals");
    // Function URLs made since October 2025 authorize both actions; a cross-account role needs both in its policy.
    expect(stderr).toContain('lambda:InvokeFunctionUrl and lambda:InvokeFunction');
    expect(received).toHaveLength(1);
    expect(published).toHaveLength(0);
  });

  it('exits 2 on a 403 when signed for another region', async () => {
    const { code, stderr } = await runCli(args('--region', 'us-east-1'));
    expect(code).toBe(2);
    expect(stderr).toContain('region us-east-1');
    expect(published).toHaveLength(0);
  });

  it("exits 2 with the pipeline's own message when it refuses the submission", async () => {
    const { code, stdout, stderr } = await runCli(
      args('--definition', 'gone/Dockerfile', '--format', 'json'),
    );
    expect(code).toBe(2);
    expect(stderr).toBe(
      `drydock: the pipeline refused the submission (422 DEFINITIONS_NOT_FOUND): github.com/acme/payments@${COMMIT} has no "gone/Dockerfile"\n`,
    );
    expect(JSON.parse(stdout)).toMatchObject({ status: 422, response: { code: 'DEFINITIONS_NOT_FOUND' } });
    expect(published).toHaveLength(0);
  });

  it('exits 2 when nothing answers at the URL', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const argv = args();
    argv[argv.indexOf('--url') + 1] = `http://127.0.0.1:${port}/`;
    const { code, stderr } = await runCli(argv);
    expect(code).toBe(2);
    expect(stderr).toContain(`drydock: cannot reach http://127.0.0.1:${port}: connect ECONNREFUSED`);
  });

  it('exits 2 naming where it looked when there are no credentials, before any request', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', undefined);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', undefined);
    vi.stubEnv('AWS_SESSION_TOKEN', undefined);
    const { code, stderr } = await runCli(args());
    expect(code).toBe(2);
    expect(stderr).toContain('drydock: no AWS credentials to sign the request with');
    for (const name of [
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_PROFILE',
      'AWS_WEB_IDENTITY_TOKEN_FILE',
    ])
      expect(stderr).toContain(name);
    expect(received).toHaveLength(0);
  });

  it.each([
    ['no URL', ['--url', ''], '--url is required (or $DRYDOCK_SUBMIT_URL)'],
    [
      'a plain-http URL off this machine',
      ['--url', 'http://abc.lambda-url.eu-west-1.on.aws/'],
      'must be https://',
    ],
    ['a URL that is not one', ['--url', 'lambda-url'], 'is not a URL'],
    ['no repository', ['--repository', ' '], '--repository is required'],
    [
      'a repository given as a clone URL',
      ['--repository', 'https://github.com/acme/payments.git'],
      'without scheme',
    ],
    ['a repository without a host', ['--repository', 'acme/payments'], 'is not <host>/<owner>/<project>'],
    ['a short commit', ['--commit', '405906c'], 'is not a full commit id'],
    ['the zero commit', ['--commit', '0'.repeat(40)], 'the zero commit'],
    ['a tag', ['--ref', 'refs/tags/v1'], 'is not a branch'],
    [
      'a path that climbs',
      ['--definition', '../etc/Dockerfile'],
      'is not a relative path inside the repository',
    ],
    ['a bad region', ['--region', 'Europe'], 'is not an AWS region'],
    ['an unknown format', ['--format', 'yaml'], 'unknown --format "yaml"'],
  ])('exits 2 before any request on %s', async (_name, over, message) => {
    const argv = args();
    for (let i = 0; i < over.length; i += 2) {
      const at = argv.indexOf(over[i]!);
      if (at < 0) argv.push(over[i]!, over[i + 1]!);
      else argv[at + 1] = over[i + 1]!;
    }
    const { code, stderr } = await runCli(argv);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(received).toHaveLength(0);
  });

  it('exits 2 before any request without a definition, naming every missing flag at once', async () => {
    const { code, stderr } = await runCli(['submit', '--url', url, '--commit', 'abc']);
    expect(code).toBe(2);
    expect(stderr).toContain('--repository is required');
    expect(stderr).toContain('is not a full commit id');
    expect(stderr).toContain('--definition is required');
    expect(stderr).toContain('--region is required: 127.0.0.1');
    expect(received).toHaveLength(0);
  });
});

describe('functionUrlRegion', () => {
  it.each([
    ['abcdefgh1234.lambda-url.eu-west-1.on.aws', 'eu-west-1'],
    ['ABCDEFGH1234.lambda-url.us-gov-west-1.on.aws', 'us-gov-west-1'],
    ['submit.drydock.example.com', undefined],
    ['127.0.0.1', undefined],
  ])('reads the region of %s', (host, region) => expect(functionUrlRegion(host)).toBe(region));
});
