import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildDockerfileKey,
  contextDirOf,
  contextKey,
  definitionKey,
  S3SnapshotStore,
  SnapshotMissingError,
} from '../../../adapters/aws/s3-snapshot-store.js';
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
    [buildDockerfileKey('build-abc'), 'builds/build-abc/Dockerfile'],
  ])('%s', (key, expected) => {
    expect(key).toBe(expected);
  });

  it('takes the directory of a definition as its context', () => {
    expect([contextDirOf('Dockerfile'), contextDirOf('a/b/Dockerfile.prod')]).toEqual(['', 'a/b']);
  });
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

  it('stores a context zip and a build Dockerfile under the keys it returns', async () => {
    const zip = Buffer.from([0x50, 0x4b, 0x05, 0x06, ...new Array(18).fill(0)]);
    const key = await store.putContext('github.com/acme/payments', COMMIT, 'services/api', zip);
    const dockerfile = await store.putBuildDockerfile('build-abc', 'FROM scratch\n');
    expect(key).toBe(contextKey('github.com/acme/payments', COMMIT, 'services/api'));
    const got = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(Buffer.from(await got.Body!.transformToByteArray())).toEqual(zip);
    expect(got.ContentType).toBe('application/zip');
    const df = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: dockerfile }));
    expect(await df.Body!.transformToString()).toBe('FROM scratch\n');
  });

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
