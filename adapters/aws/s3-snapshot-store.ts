import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { DrydockError } from '../../core/errors.js';
import type { DefinitionSource } from '../../core/ports/definition-source.js';
import { awsCall, hasAwsName } from './aws-service-error.js';

/** The key prefixes of the snapshot bucket, for the stack's grants: who reads and writes what. */
export const SNAPSHOT_PREFIXES = {
  /** `definitions/<repository>/<commit>/<path>`: definition texts, written by webhook and submit, read by the gate. */
  definitions: 'definitions/',
  /** `contexts/<repository>/<commit>.zip`: repository archives, written by the build starter, read by CodeBuild. */
  contexts: 'contexts/',
  /** `builds/<build id>/Dockerfile`: the substituted definition a build runs, written by the build starter. */
  builds: 'builds/',
} as const;

// The repository id holds slashes; encoded, it is one key segment and keys cannot collide.
const repo = (repository: string) => encodeURIComponent(repository);

/** The key of a definition's text at a commit. */
export const definitionKey = (repository: string, commit: string, path: string) =>
  `${SNAPSHOT_PREFIXES.definitions}${repo(repository)}/${commit}/${path}`;

/** The key of a repository's archive at a commit. */
export const archiveKey = (repository: string, commit: string) =>
  `${SNAPSHOT_PREFIXES.contexts}${repo(repository)}/${commit}.zip`;

/** The key of the Dockerfile one build runs. */
export const buildDockerfileKey = (buildId: string) => `${SNAPSHOT_PREFIXES.builds}${buildId}/Dockerfile`;

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
      if (hasAwsName(err, 'NoSuchKey')) throw new SnapshotMissingError(key, this.bucket, { cause: err });
      throw err;
    }
  }

  /** Stores a definition's text at a commit. */
  async putDefinition(repository: string, commit: string, path: string, text: string): Promise<void> {
    await this.put(definitionKey(repository, commit, path), text, 'text/plain; charset=utf-8');
  }

  /** True when the repository's archive at the commit is stored. */
  async hasArchive(repository: string, commit: string): Promise<boolean> {
    try {
      await awsCall('s3:HeadObject', () =>
        this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: archiveKey(repository, commit) })),
      );
      return true;
    } catch (err) {
      if (hasAwsName(err, 'NotFound', 'NoSuchKey')) return false;
      throw err;
    }
  }

  /** Stores the repository's archive at the commit; returns its `s3://` URI. */
  async putArchive(repository: string, commit: string, zip: Uint8Array): Promise<string> {
    const key = archiveKey(repository, commit);
    await this.put(key, zip, 'application/zip');
    return this.uri(key);
  }

  /** Stores the Dockerfile a build runs; returns its `s3://` URI. */
  async putBuildDockerfile(buildId: string, text: string): Promise<string> {
    const key = buildDockerfileKey(buildId);
    await this.put(key, text, 'text/plain; charset=utf-8');
    return this.uri(key);
  }

  /** The `s3://` URI of a key in this bucket. */
  uri(key: string): string {
    return `s3://${this.bucket}/${key}`;
  }

  private async put(key: string, body: string | Uint8Array, contentType: string): Promise<void> {
    await awsCall('s3:PutObject', () =>
      this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType })),
    );
  }
}
