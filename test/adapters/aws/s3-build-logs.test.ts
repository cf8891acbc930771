import { gzipSync } from 'node:zlib';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildLogKey, S3BuildLogs, tailOf } from '../../../adapters/aws/s3-build-logs.js';

const s3 = mockClient(S3Client);
const ARN =
  'arn:aws:codebuild:eu-west-1:111111111111:build/drydock-image-build:8745a7a9-c340-456a-9166-edf953571bea';
// The two methods of the SDK's stream mixin the adapter uses.
const body = (data: Buffer) => ({
  transformToByteArray: async () => new Uint8Array(data),
  transformToString: async () => data.toString('utf8'),
});
const logs = (options: { lines?: number; maxChars?: number } = {}) =>
  new S3BuildLogs({
    client: () => new S3Client({ region: 'eu-west-1' }),
    bucket: 'drydock-build-logs',
    ...options,
  });

beforeEach(() => s3.reset());
afterEach(() => s3.reset());

describe('S3BuildLogs', () => {
  it('reads the gzipped log CodeBuild wrote for the build and keeps its last lines', async () => {
    const log = Array.from({ length: 100 }, (_, i) => `line ${i + 1}`).join('\n');
    s3.on(GetObjectCommand).resolves({ Body: body(gzipSync(`${log}\n`)) as never, ContentLength: 500 });
    expect(await logs({ lines: 3 }).tail(ARN)).toBe('line 98\nline 99\nline 100');
    expect(s3.commandCalls(GetObjectCommand)[0]!.args[0].input).toEqual({
      Bucket: 'drydock-build-logs',
      Key: 'codebuild/8745a7a9-c340-456a-9166-edf953571bea.gz',
    });
  });

  it('reads an uncompressed log as it is', async () => {
    s3.on(GetObjectCommand).resolves({ Body: body(Buffer.from('a\nb\n')) as never });
    expect(await logs().tail(ARN)).toBe('a\nb');
  });

  it('answers undefined when the log is not there', async () => {
    s3.on(GetObjectCommand).rejects(
      Object.assign(new Error('no'), { name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } }),
    );
    expect(await logs().tail(ARN)).toBeUndefined();
  });

  it('cuts a long tail at a line start', () => {
    expect(tailOf('aaaa\nbbbb\ncccc\n', 10, 7)).toBe('cccc');
    expect(buildLogKey('arn:aws:codebuild:r:1:build/p:uuid-1', 'logs/')).toBe('logs/uuid-1.gz');
  });
});
