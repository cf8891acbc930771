import {
  GetObjectCommand,
  type GetObjectCommandOutput,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { DrydockError } from '../../core/errors.js';
import type { BuildRequestedEvent } from '../../core/events/build-requested.js';
import { toEventBridge } from '../../core/events/index.js';
import { isTeamConfigPath } from '../../core/gate/team-config-paths.js';
import type { DefinitionSource } from '../../core/ports/definition-source.js';
import { awsCall, hasAwsName } from './aws-service-error.js';
import { buildEventsKey, buildRequestKey, SNAPSHOT_PREFIXES } from './build-contract.js';

// The repository id holds slashes; encoded, it is one key segment and keys cannot collide.
const at = (repository: string, commit: string) =>
  `${SNAPSHOT_PREFIXES.contexts}${encodeURIComponent(repository)}/${commit}`;

/** The key of a definition's text at a commit: `contexts/<repository>/<commit>/text/<path>`. */
export const definitionKey = (repository: string, commit: string, path: string) =>
  `${at(repository, commit)}/text/${path}`;

/** The key of the build-context files one definition copies, as JSON `{path: text}`: `contexts/<repository>/<commit>/files/<path>.json`. */
export const contextFilesKey = (repository: string, commit: string, definition: string) =>
  `${at(repository, commit)}/files/${definition}.json`;

/** The key of a directory's zipped tree at a commit: `contexts/<repository>/<commit>/tree/<dir>/context.zip`. */
export const contextKey = (repository: string, commit: string, dir: string) =>
  `${at(repository, commit)}/tree/${dir === '' ? '' : `${dir}/`}context.zip`;

/** The directory of a definition: its build context. */
export const contextDirOf = (definition: string) => {
  const i = definition.lastIndexOf('/');
  return i < 0 ? '' : definition.slice(0, i);
};

/** The beginning of an object read up to a cap, and whether the object was longer. */
export interface CappedText {
  readonly text: string;
  readonly truncated: boolean;
}

// A Build Requested is at most an EventBridge entry (256 KiB).
const REQUEST_MAX_BYTES = 256 * 1024;

async function readAtMost(body: unknown, max: number): Promise<Uint8Array> {
  if (body === undefined || body === null) return new Uint8Array();
  if (typeof (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === 'function') {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of body as AsyncIterable<Uint8Array>) {
      chunks.push(Buffer.from(chunk));
      size += chunk.length;
      if (size >= max) {
        (body as { destroy?: () => void }).destroy?.();
        break;
      }
    }
    return Buffer.concat(chunks).subarray(0, max);
  }
  const all = await (body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray();
  return all.subarray(0, max);
}

/** A definition the gate was asked about has no snapshot: the push was recorded without it. */
export class SnapshotMissingError extends DrydockError {
  override readonly name = 'SnapshotMissingError';

  constructor(key: string, bucket: string, options: { cause?: unknown } = {}) {
    super(`no snapshot s3://${bucket}/${key}; the push must be submitted again`, {
      code: 'SNAPSHOT_MISSING',
      ...options,
    });
  }
}

/** Options of the snapshot store. */
export interface S3SnapshotStoreOptions {
  readonly client: S3Client;
  readonly bucket: string;
}

/**
 * Snapshots of pushed definitions and build contexts in S3: what the webhook fetched from GitHub or GitLab is
 * what the gate checks and CodeBuild builds, even if the branch moves on. As a `DefinitionSource` it reads the
 * definition texts; a missing snapshot is an error, never an absent definition, so nothing is skipped silently.
 */
export class S3SnapshotStore implements DefinitionSource {
  readonly bucket: string;
  private readonly client: S3Client;

  constructor(options: S3SnapshotStoreOptions) {
    this.client = options.client;
    this.bucket = options.bucket;
  }

  async read(repository: string, commit: string, path: string): Promise<string | undefined> {
    const key = definitionKey(repository, commit, path);
    try {
      const out = await awsCall('s3:GetObject', () =>
        this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key })),
      );
      return (await out.Body?.transformToString('utf-8')) ?? '';
    } catch (err) {
      // A push snapshot holds only the team configurations that exist; a definition it lacks is a fault.
      if (hasAwsName(err, 'NoSuchKey') && isTeamConfigPath(path)) return undefined;
      if (hasAwsName(err, 'NoSuchKey')) throw new SnapshotMissingError(key, this.bucket, { cause: err });
      throw err;
    }
  }

  /**
   * The build-context files capture stored for `definition` (chosen there with the same `pickContextFiles`, so
   * `pick` is not asked again); none when capture stored none.
   */
  async contextFiles(
    repository: string,
    commit: string,
    definition: string,
    _pick: (listing: readonly string[]) => readonly string[],
  ): Promise<ReadonlyMap<string, string>> {
    const key = contextFilesKey(repository, commit, definition);
    try {
      const out = await awsCall('s3:GetObject', () =>
        this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key })),
      );
      const parsed: unknown = JSON.parse((await out.Body?.transformToString('utf-8')) ?? '{}');
      const files = new Map<string, string>();
      if (parsed && typeof parsed === 'object') {
        for (const [path, text] of Object.entries(parsed))
          if (typeof text === 'string') files.set(path, text);
      }
      return files;
    } catch (err) {
      // Pushes captured before context files were stored have none: the gate checks names and destinations only.
      if (hasAwsName(err, 'NoSuchKey')) return new Map();
      throw err;
    }
  }

  /** Stores the build-context files one definition copies (context-relative path → text). */
  async putContextFiles(
    repository: string,
    commit: string,
    definition: string,
    files: ReadonlyMap<string, string>,
  ): Promise<void> {
    await this.put(
      contextFilesKey(repository, commit, definition),
      JSON.stringify(Object.fromEntries(files)),
      'application/json',
    );
  }

  /** Stores a definition's text at a commit. */
  async putDefinition(repository: string, commit: string, path: string, text: string): Promise<void> {
    await this.put(definitionKey(repository, commit, path), text, 'text/plain; charset=utf-8');
  }

  /** Stores the zipped build context of a directory at a commit; returns its key. */
  async putContext(repository: string, commit: string, dir: string, zip: Uint8Array): Promise<string> {
    const key = contextKey(repository, commit, dir);
    await this.put(key, zip, 'application/zip');
    return key;
  }

  /** Stores the `Build Requested` event a CodeBuild build runs, in wire form; returns its key. */
  async putBuildRequest(event: BuildRequestedEvent): Promise<string> {
    const key = buildRequestKey(event.detail.buildId);
    await this.put(key, JSON.stringify(toEventBridge(event)), 'application/json');
    return key;
  }

  /** The stored request of a build as JSON (validated by the caller), or undefined when none was stored. */
  async buildRequest(buildId: string): Promise<unknown> {
    const text = await this.readCapped(buildRequestKey(buildId), REQUEST_MAX_BYTES);
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text.text);
    } catch (err) {
      throw new DrydockError(`${this.uri(buildRequestKey(buildId))} is not JSON`, {
        code: 'BUILD_REQUEST_INVALID',
        cause: err,
      });
    }
  }

  /**
   * The first `maxBytes` of a build's events file, and whether there was more; undefined when the build uploaded
   * none (it never ran its steps). The build writes this file, so its size is not trusted: only the cap is read.
   */
  async buildEvents(buildId: string, maxBytes: number): Promise<CappedText | undefined> {
    return this.readCapped(buildEventsKey(buildId), maxBytes);
  }

  // A ranged read, and the body read no further than the cap either, in case the range was not honoured.
  private async readCapped(key: string, maxBytes: number): Promise<CappedText | undefined> {
    let out: GetObjectCommandOutput;
    try {
      out = await awsCall('s3:GetObject', () =>
        this.client.send(
          new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: `bytes=0-${maxBytes}` }),
        ),
      );
    } catch (err) {
      if (hasAwsName(err, 'NoSuchKey')) return undefined;
      // An empty object has no byte 0: S3 answers 416 to the range.
      if (hasAwsName(err, 'InvalidRange')) return { text: '', truncated: false };
      throw err;
    }
    const bytes = await readAtMost(out.Body, maxBytes + 1);
    const truncated = bytes.length > maxBytes;
    return { text: Buffer.from(bytes.subarray(0, maxBytes)).toString('utf8'), truncated };
  }

  /** The `s3://` URI of a key in this bucket. */
  uri(key: string): string {
    return `s3://${this.bucket}/${key}`;
  }

  private async put(key: string, body: string | Uint8Array, contentType: string): Promise<void> {
    await awsCall('s3:PutObject', () =>
      this.client.send(
        new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType }),
      ),
    );
  }
}
