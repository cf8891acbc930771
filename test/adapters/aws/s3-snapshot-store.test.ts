import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEventsKey, buildRequestKey } from '../../../adapters/aws/build-contract.js';
import {
  contextDirOf,
  contextKey,
  definitionKey,
  S3SnapshotStore,
  SnapshotMissingError,
} from '../../../adapters/aws/s3-snapshot-store.js';
import { parseEvent } from '../../../core/events/index.js';
import { buildRequested } from '../../contracts/sample-events.js';
import { FAUXQS_CLIENT, type Fauxqs, startFauxqs } from './fauxqs.js';

const BUCKET = 'drydock-snapshots';
const COMMIT = '405906c9d5be6ae5393ca65fb0e7c38e0d585ecb';

describe('snapshot keys', () => {
  it.each([
    [
      definitionKey('github.com/acme/payments', COMMIT, 'services/api/Dockerfile'),
      `contexts/github.com%2Facme%2Fpayments/${COMMIT}/text/services/api/Dockerfile`,
    ],
    [
      contextKey('github.com/acme/payments', COMMIT, 'services/api'),
      `contexts/github.com%2Facme%2Fpayments/${COMMIT}/tree/services/api/context.zip`,
    ],
    [
      contextKey('github.com/acme/payments', COMMIT, ''),
      `contexts/github.com%2Facme%2Fpayments/${COMMIT}/tree/context.zip`,
    ],
    [buildRequestKey('build-abc'), 'builds/build-abc/request.json'],
    [buildEventsKey('build-abc'), 'builds/build-abc/events.jsonl'],
  ])('%s', (key, expected) => {
    expect(key).toBe(expected);
  });

  it('takes the directory of a definition as its context', () => {
    expect([contextDirOf('Dockerfile'), contextDirOf('a/b/Dockerfile.prod')]).toEqual(['', 'a/b']);
  });

  it.each(['build-a/../build-b', 'build-a/x', '..', '', 'build a', `b${'x'.repeat(200)}`])(
    'refuses a build id that is not one key segment: %j',
    (id) => {
      expect(() => buildEventsKey(id)).toThrow(expect.objectContaining({ code: 'BUILD_ID_INVALID' }));
      expect(() => buildRequestKey(id)).toThrow(expect.objectContaining({ code: 'BUILD_ID_INVALID' }));
    },
  );
});

describe('S3SnapshotStore against fauxqs S3 over HTTP', () => {
  let fauxqs: Fauxqs;
  let client: S3Client;
  let store: S3SnapshotStore;

  beforeAll(async () => {
    fauxqs = await startFauxqs();
    client = new S3Client({ ...FAUXQS_CLIENT, endpoint: fauxqs.endpoint, forcePathStyle: true });
    await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
    store = new S3SnapshotStore({ client, bucket: BUCKET });
  }, 30_000);
  afterAll(async () => {
    client?.destroy();
    await fauxqs?.stop();
  });

  it('reads back a definition text byte for byte', async () => {
    const text = 'FROM docker.io/library/node:20\r\n# café ☕\nRUN true\n';
    await store.putDefinition('github.com/acme/payments', COMMIT, 'services/api/Dockerfile', text);
    expect(await store.read('github.com/acme/payments', COMMIT, 'services/api/Dockerfile')).toBe(text);
  });

  it('refuses a definition that was never snapshotted instead of calling it absent', async () => {
    const error = await store
      .read('github.com/acme/payments', COMMIT, 'nope/Dockerfile')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SnapshotMissingError);
    expect((error as Error).message).toContain(
      `s3://${BUCKET}/contexts/github.com%2Facme%2Fpayments/${COMMIT}/text/nope/Dockerfile`,
    );
  });

  it('calls a team configuration the snapshot does not hold absent: only existing ones are stored', async () => {
    expect(
      await store.read('github.com/acme/payments', COMMIT, 'services/api/.drydock.yaml'),
    ).toBeUndefined();
    await store.putDefinition('github.com/acme/payments', COMMIT, '.hadolint.yaml', 'ignored: []\n');
    expect(await store.read('github.com/acme/payments', COMMIT, '.hadolint.yaml')).toBe('ignored: []\n');
  });

  it('stores a context zip under the key it returns', async () => {
    const zip = Buffer.from([0x50, 0x4b, 0x05, 0x06, ...new Array(18).fill(0)]);
    const key = await store.putContext('github.com/acme/payments', COMMIT, 'services/api', zip);
    expect(key).toBe(contextKey('github.com/acme/payments', COMMIT, 'services/api'));
    const got = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(Buffer.from(await got.Body!.transformToByteArray())).toEqual(zip);
    expect(got.ContentType).toBe('application/zip');
  });

  it('stores a build request as the wire-form event the build reads, and reads it back', async () => {
    const event = buildRequested('r1');
    const key = await store.putBuildRequest(event);
    expect(key).toBe('builds/build-r1/request.json');
    const got = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    const stored = JSON.parse(await got.Body!.transformToString());
    expect(stored['detail-type']).toBe('Build Requested');
    expect(parseEvent(stored)).toEqual({ ok: true, event });
    expect(await store.buildRequest('build-r1')).toEqual(stored);
    expect(await store.buildRequest('build-never')).toBeUndefined();
  });

  it('reads a build events file, none when the build uploaded none, and an empty one as empty', async () => {
    const put = (id: string, body: string) =>
      client.send(new PutObjectCommand({ Bucket: BUCKET, Key: buildEventsKey(id), Body: body }));
    await put('build-e1', '{"a":1}\n{"b":2}\n');
    await put('build-e2', '');
    expect(await store.buildEvents('build-e1', 1024)).toEqual({
      text: '{"a":1}\n{"b":2}\n',
      truncated: false,
    });
    expect(await store.buildEvents('build-e2', 1024)).toEqual({ text: '', truncated: false });
    expect(await store.buildEvents('build-none', 1024)).toBeUndefined();
  });

  it('reads no more than the cap of an events file the build made large', async () => {
    const line = `${JSON.stringify({ pad: 'x'.repeat(1000) })}\n`;
    await client.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: buildEventsKey('build-huge'),
        Body: Buffer.from(line.repeat(Math.ceil((3 * 1024 * 1024) / line.length))),
      }),
    );
    const read = await store.buildEvents('build-huge', 4096);
    expect(read?.truncated).toBe(true);
    expect(Buffer.byteLength(read!.text)).toBe(4096);
    expect(read!.text.startsWith(line)).toBe(true);
  }, 60_000);

  it('reads back the context files capture stored for a definition, and none for a push captured without them', async () => {
    const files = new Map([['etc/ssh/sshd_config', 'PermitRootLogin yes\n']]);
    await store.putContextFiles('github.com/acme/payments', COMMIT, 'services/api/Dockerfile', files);
    const pick = () => [];
    expect(
      await store.contextFiles('github.com/acme/payments', COMMIT, 'services/api/Dockerfile', pick),
    ).toEqual(files);
    expect(await store.contextFiles('github.com/acme/payments', COMMIT, 'old/Dockerfile', pick)).toEqual(
      new Map(),
    );
  });
});
