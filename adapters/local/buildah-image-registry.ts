import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DrydockError } from '../../core/errors.js';
import { TAG } from '../../core/image-ref/grammar.js';
import {
  type ImageDetails,
  ImageNotFoundError,
  type ImageRegistry,
  type ImageTarget,
  InvalidImageTargetError,
  isRegistryRepository,
  type PushedImage,
  type PushOptions,
  RegistryUnauthorizedError,
  RegistryUnavailableError,
  splitRegistryReference,
} from '../../core/ports/image-registry.js';
import type { ContainerEnv } from './container-env.js';
import type { PipelineCredential } from './registry-push-guard.js';
import { runTool } from './run-tool.js';

/** Options of `BuildahImageRegistry`. */
export interface BuildahImageRegistryProps {
  /** The push guard's `host:port`, the registry's public address. */
  readonly host: string;
  readonly credential: PipelineCredential;
  /** The state dir's container configuration (storage holding the local images). */
  readonly containerEnv: ContainerEnv;
  /** The buildah binary. @default 'buildah' */
  readonly buildah?: string;
  /** Timeout of one registry HTTP request. @default 30000 */
  readonly requestTimeoutMs?: number;
}

const MANIFEST_TYPES = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
];
const INDEX_TYPES = new Set([MANIFEST_TYPES[2], MANIFEST_TYPES[3]]);
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const PAGE_SIZE = 1000;

/** How long one `buildah push` may take: a 4 GiB image over loopback takes about a minute. */
const PUSH_TIMEOUT_MS = 15 * 60_000;

/**
 * The local `ImageRegistry`: pushes with buildah under the pipeline credential through the push guard, reads
 * through the registry HTTP API (anonymously, as anyone may).
 */
export class BuildahImageRegistry implements ImageRegistry {
  readonly host: string;
  private readonly props: BuildahImageRegistryProps;

  constructor(props: BuildahImageRegistryProps) {
    this.props = props;
    this.host = props.host;
  }

  async push(localImage: string, target: ImageTarget, opts: PushOptions = {}): Promise<PushedImage> {
    if (!isRegistryRepository(target.repository)) {
      throw new InvalidImageTargetError(`invalid repository ${JSON.stringify(target.repository)}`);
    }
    if (!TAG.test(target.tag)) throw new InvalidImageTargetError(`invalid tag ${JSON.stringify(target.tag)}`);
    if (localImage === '' || localImage.startsWith('-')) {
      throw new InvalidImageTargetError(`invalid local image ${JSON.stringify(localImage)}`);
    }
    const ref = `${this.host}/${target.repository}:${target.tag}`;
    const { env, root } = this.props.containerEnv;
    // The secret goes in a 0600 auth file, not in argv where `ps` would show it to every local user.
    const work = await mkdtemp(join(env.TMPDIR ?? root, 'push-'));
    try {
      const authFile = join(work, 'auth.json');
      const { username, secret } = this.props.credential;
      const auth = Buffer.from(`${username}:${secret}`).toString('base64');
      await writeFile(authFile, JSON.stringify({ auths: { [this.host]: { auth } } }), { mode: 0o600 });
      const digestFile = join(work, 'digest');
      await this.buildah(
        [
          'push',
          '--tls-verify=false',
          '--authfile',
          authFile,
          '--digestfile',
          digestFile,
          localImage,
          `docker://${ref}`,
        ],
        localImage,
        opts.signal,
      );
      const digest = (await readFile(digestFile, 'utf8')).trim();
      if (!DIGEST.test(digest)) {
        throw new DrydockError(`buildah push wrote no digest for ${ref}: ${JSON.stringify(digest)}`, {
          code: 'IMAGE_PUSH_FAILED',
        });
      }
      return { ref, digest };
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }

  async inspect(ref: string): Promise<ImageDetails | undefined> {
    const { repository, reference } = this.split(ref);
    const manifestPath = `/v2/${repository}/manifests/${reference}`;
    const first = await this.get(manifestPath, MANIFEST_TYPES.join(', '));
    if (first.status === 404) return undefined;
    const digest = first.headers.get('docker-content-digest') ?? '';
    let manifest = (await first.json()) as {
      mediaType?: string;
      config?: { digest?: string };
      manifests?: { digest?: string }[];
    };
    const type = first.headers.get('content-type') ?? manifest.mediaType ?? '';
    if (INDEX_TYPES.has(type)) {
      // An index has no config of its own; the first image stands for it (drydock pushes single images).
      const child = manifest.manifests?.[0]?.digest;
      if (child === undefined) return undefined;
      const answer = await this.get(`/v2/${repository}/manifests/${child}`, MANIFEST_TYPES.join(', '));
      if (answer.status === 404) return undefined;
      manifest = (await answer.json()) as typeof manifest;
    }
    const configDigest = manifest.config?.digest;
    if (configDigest === undefined || !DIGEST.test(digest)) {
      throw new DrydockError(`unexpected manifest for ${ref} (media type ${type || 'unknown'})`, {
        code: 'IMAGE_MANIFEST_INVALID',
      });
    }
    const blob = await this.get(`/v2/${repository}/blobs/${configDigest}`, '*/*');
    if (blob.status === 404) return undefined;
    const config = (await blob.json()) as {
      created?: string;
      config?: { Labels?: Record<string, string> | null };
    };
    return {
      digest,
      configDigest,
      labels: { ...(config.config?.Labels ?? {}) },
      ...(config.created === undefined ? {} : { created: config.created }),
    };
  }

  async tags(repository: string): Promise<readonly string[]> {
    if (!isRegistryRepository(repository))
      throw new InvalidImageTargetError(`invalid repository ${JSON.stringify(repository)}`);
    const tags = await this.pages<{ tags?: string[] | null }>(
      `/v2/${repository}/tags/list?n=${PAGE_SIZE}`,
      (b) => b.tags,
    );
    return tags.sort();
  }

  async repositories(): Promise<readonly string[]> {
    const names = await this.pages<{ repositories?: string[] }>(
      `/v2/_catalog?n=${PAGE_SIZE}`,
      (b) => b.repositories,
    );
    return names.sort();
  }

  private split(ref: string): { repository: string; reference: string } {
    return splitRegistryReference(ref, this.host);
  }

  /** Follows the registry's `Link: <…>; rel="next"` pagination and concatenates the pages. */
  private async pages<T>(first: string, items: (body: T) => string[] | null | undefined): Promise<string[]> {
    const all: string[] = [];
    let path: string | undefined = first;
    while (path !== undefined) {
      const answer = await this.get(path, 'application/json');
      if (answer.status === 404) return all;
      all.push(...(items((await answer.json()) as T) ?? []));
      const next = /<([^>]+)>;\s*rel="next"/.exec(answer.headers.get('link') ?? '')?.[1];
      // Only the path and query are kept: the next page is always fetched from this registry.
      const url = next === undefined ? undefined : new URL(next, `http://${this.host}`);
      path = url === undefined ? undefined : `${url.pathname}${url.search}`;
    }
    return all;
  }

  /** A GET through the guard; 200 and 404 come back, everything else becomes a typed error. */
  private async get(path: string, accept: string): Promise<Response> {
    let answer: Response;
    try {
      answer = await fetch(`http://${this.host}${path}`, {
        headers: { accept },
        signal: AbortSignal.timeout(this.props.requestTimeoutMs ?? 30_000),
      });
    } catch (error) {
      throw new RegistryUnavailableError(
        `registry ${this.host} is not answering: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    if (answer.status === 200) return answer;
    const body = await answer.text().catch(() => '');
    if (answer.status === 404) return new Response(body, { status: 404 });
    if (answer.status === 401 || answer.status === 403) {
      throw new RegistryUnauthorizedError(
        `registry ${this.host} refused GET ${path}: ${answer.status} ${body}`,
      );
    }
    if (answer.status >= 500 || answer.status === 429) {
      throw new RegistryUnavailableError(
        `registry ${this.host} answered GET ${path} with ${answer.status}: ${body}`,
      );
    }
    throw new DrydockError(`registry ${this.host} answered GET ${path} with ${answer.status}: ${body}`, {
      code: 'REGISTRY_REQUEST_FAILED',
    });
  }

  // Through runTool: under a parent-death signal like every buildah the pipeline runs, so a push does not outlive
  // a killed daemon, and with a time limit, so a registry that stops answering does not hold the publish step.
  private async buildah(
    args: string[],
    localImage: string,
    signal: AbortSignal | undefined,
  ): Promise<string> {
    const run = await runTool({
      command: this.props.buildah ?? 'buildah',
      args,
      env: this.props.containerEnv.env,
      timeoutMs: PUSH_TIMEOUT_MS,
      ...(signal ? { signal } : {}),
      debianPackage: 'buildah',
      maxOutputBytes: 16 * 1024 * 1024,
    });
    if (run.exitCode === 0) return run.stdout;
    const why = run.timedOut
      ? `timed out after ${PUSH_TIMEOUT_MS} ms`
      : run.aborted
        ? 'stopped: the pipeline is stopping'
        : `exited with ${run.exitCode ?? `signal ${run.signal}`}`;
    throw classifyPushFailure(run.stderr, localImage, this.host, new Error(`buildah push ${why}`));
  }
}

function classifyPushFailure(stderr: string, localImage: string, host: string, cause: Error): Error {
  const text = stderr.trim();
  if (/unauthorized|authentication required|\b401\b/i.test(text)) {
    return new RegistryUnauthorizedError(`registry ${host} refused the pipeline credential: ${text}`, {
      cause,
    });
  }
  if (/image not known|no such image|does not resolve to an image|identifier is not an image/i.test(text)) {
    return new ImageNotFoundError(localImage, { cause });
  }
  if (/connection refused|no such host|i\/o timeout|connection reset|\b50[234]\b/i.test(text)) {
    return new RegistryUnavailableError(`registry ${host} is not answering: ${text}`, { cause });
  }
  return new DrydockError(`buildah push of ${localImage} failed: ${text || cause.message}`, {
    code: 'IMAGE_PUSH_FAILED',
    cause,
  });
}
