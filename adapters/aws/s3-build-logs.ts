import { gunzipSync } from 'node:zlib';
// Static, not import(): a Lambda bundle holds the module either way, and import() keeps all of it (no tree-shaking).
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { awsCall, hasAwsName } from './aws-service-error.js';
import { BUILD_LOG_PREFIX } from './build-contract.js';

/** Options of the build log reader. */
export interface S3BuildLogsOptions {
  /** The S3 client, made when the first failed build's log is read. */
  readonly client: () => S3Client | Promise<S3Client>;
  readonly bucket: string;
  /** @default BUILD_LOG_PREFIX */
  readonly prefix?: string;
  /** Lines kept from the end. @default 30 */
  readonly lines?: number;
  /** Characters kept from the end, so that an event stays small. @default 4000 */
  readonly maxChars?: number;
  /** Logs larger than this are not read. @default 32 MiB */
  readonly maxBytes?: number;
}

/** The S3 key CodeBuild writes a build's log to: `<prefix><build uuid>.gz`, the uuid being the ARN's last part. */
export function buildLogKey(buildArn: string, prefix = BUILD_LOG_PREFIX): string {
  return `${prefix}${buildArn.slice(buildArn.lastIndexOf(':') + 1)}.gz`;
}

/** The last lines of a text, at most `maxChars` characters, cut at a line start when it can be. */
export function tailOf(text: string, lines: number, maxChars: number): string {
  const all = text.replace(/\r\n/g, '\n').replace(/\n+$/, '').split('\n');
  let tail = all.slice(-lines).join('\n');
  if (tail.length > maxChars) {
    tail = tail.slice(-maxChars);
    const cut = tail.indexOf('\n');
    if (cut >= 0 && cut < tail.length - 1) tail = tail.slice(cut + 1);
  }
  return tail;
}

/** Reads the end of a build's log from the log bucket; undefined when there is no log (yet) to read. */
export class S3BuildLogs {
  constructor(private readonly options: S3BuildLogsOptions) {}

  async tail(buildArn: string): Promise<string | undefined> {
    const o = this.options;
    const key = buildLogKey(buildArn, o.prefix);
    let bytes: Uint8Array;
    const client = await o.client();
    try {
      const out = await awsCall('s3:GetObject', () =>
        client.send(new GetObjectCommand({ Bucket: o.bucket, Key: key })),
      );
      if ((out.ContentLength ?? 0) > (o.maxBytes ?? 32 << 20)) return undefined;
      bytes = (await out.Body?.transformToByteArray()) ?? new Uint8Array();
    } catch (err) {
      if (hasAwsName(err, 'NoSuchKey')) return undefined;
      throw err;
    }
    // CodeBuild gzips its S3 logs; an uncompressed log (encryption or compression off) is read as it is.
    const gzipped = bytes[0] === 0x1f && bytes[1] === 0x8b;
    const text = Buffer.from(gzipped ? gunzipSync(bytes) : bytes).toString('utf8');
    return tailOf(text, o.lines ?? 30, o.maxChars ?? 4000);
  }
}
