import { DrydockError } from '../errors.js';
import { PATH_COMPONENT, TAG } from '../image-ref/grammar.js';

/** Where a pushed image goes inside a registry: `apps/hello` and `1` for `<registry>/apps/hello:1`. */
export interface ImageTarget {
  readonly repository: string;
  readonly tag: string;
}

/** Options of one push. */
export interface PushOptions {
  /** Aborts the push (the child process or request is stopped). */
  readonly signal?: AbortSignal;
}

/** A pushed image: its fully qualified tagged reference and the manifest digest the registry stores. */
export interface PushedImage {
  /** `<registry host>/<repository>:<tag>`. */
  readonly ref: string;
  /** The manifest digest in the registry (`sha256:<hex>`), the one to pin with `ref@digest`. */
  readonly digest: string;
}

/** What the registry knows about one image. */
export interface ImageDetails {
  /** Manifest digest as the registry serves it. */
  readonly digest: string;
  /** Digest of the image configuration (the image ID), stable across registries and local stores. */
  readonly configDigest: string;
  /** The image configuration's labels (`org.opencontainers.image.*` and others); empty when none. */
  readonly labels: Readonly<Record<string, string>>;
  /** Creation time from the image configuration (RFC 3339), when the image has one. */
  readonly created?: string;
}

/**
 * The registry images are published to; only the pipeline's own identity can push, anyone can read.
 *
 * References passed to `inspect` are either relative to the registry (`apps/hello:1`, `apps/hello@sha256:…`)
 * or fully qualified with the registry's own `host`.
 */
export interface ImageRegistry {
  /** Registry host (and port) clients pull from, like `127.0.0.1:5000` or `<account>.dkr.ecr.<region>.amazonaws.com`. */
  readonly host: string;
  /**
   * The repository path every repository the pipeline publishes lives under, e.g. `drydock` (ECR's
   * REPOSITORY_PREFIX); references are never rewritten into it. @default none
   */
  readonly namespace?: string;
  /** Pushes a locally built image under the pipeline's identity. */
  push(localImage: string, target: ImageTarget, opts?: PushOptions): Promise<PushedImage>;
  /** Digest, config digest, labels and creation time of an image, or undefined when there is no such image. */
  inspect(ref: string): Promise<ImageDetails | undefined>;
  /** The tags of a repository, sorted; empty when the repository does not exist. */
  tags(repository: string): Promise<readonly string[]>;
  /** Every repository in the registry, sorted. */
  repositories(): Promise<readonly string[]>;
}

/** What building and publishing use of a registry: where it is, resolving references, and the push. */
export type PipelineRegistry = Pick<ImageRegistry, 'host' | 'namespace' | 'push' | 'inspect'>;

/** An image (local or in the registry) that does not exist. */
export class ImageNotFoundError extends DrydockError {
  override readonly name = 'ImageNotFoundError';
  readonly ref: string;

  constructor(ref: string, options: { cause?: unknown } = {}) {
    super(`image not found: ${ref}`, { code: 'IMAGE_NOT_FOUND', ...options });
    this.ref = ref;
  }
}

/** The registry refused the pipeline's identity (a wrong or missing pipeline credential). */
export class RegistryUnauthorizedError extends DrydockError {
  override readonly name = 'RegistryUnauthorizedError';

  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { code: 'REGISTRY_UNAUTHORIZED', ...options });
  }
}

/** The registry cannot be reached or answered with a server error; a retry may help. */
export class RegistryUnavailableError extends DrydockError {
  override readonly name = 'RegistryUnavailableError';

  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { code: 'REGISTRY_UNAVAILABLE', retryable: true, ...options });
  }
}

/** An image target or reference that is not valid for this registry. */
export class InvalidImageTargetError extends DrydockError {
  override readonly name = 'InvalidImageTargetError';

  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { code: 'IMAGE_TARGET_INVALID', ...options });
  }
}

const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** True when the repository is a valid path (`apps/hello`) of lower-case components, at most 255 characters. */
export function isRegistryRepository(repository: string): boolean {
  return (
    repository.length > 0 &&
    repository.length <= 255 &&
    repository.split('/').every((c) => PATH_COMPONENT.test(c))
  );
}

/**
 * Splits a reference of the registry at `host` (`[host/]repository(:tag|@digest)`, `latest` when neither) into its
 * repository and reference; `name:tag@digest` is read by its digest. Throws `InvalidImageTargetError` for a bad
 * tag or digest, or a repository that is not a path of this registry.
 */
export function splitRegistryReference(ref: string, host: string): { repository: string; reference: string } {
  const local = ref.startsWith(`${host}/`) ? ref.slice(host.length + 1) : ref;
  const at = local.indexOf('@');
  let repository: string;
  let reference: string;
  if (at >= 0) {
    repository = local.slice(0, at);
    reference = local.slice(at + 1);
    // `name:tag@digest`: the digest decides.
    const colon = repository.lastIndexOf(':');
    if (colon > repository.lastIndexOf('/')) repository = repository.slice(0, colon);
    if (!DIGEST.test(reference))
      throw new InvalidImageTargetError(`invalid digest in ${JSON.stringify(ref)}`);
  } else {
    const colon = local.lastIndexOf(':');
    const hasTag = colon > local.lastIndexOf('/');
    repository = hasTag ? local.slice(0, colon) : local;
    reference = hasTag ? local.slice(colon + 1) : 'latest';
    if (!TAG.test(reference)) throw new InvalidImageTargetError(`invalid tag in ${JSON.stringify(ref)}`);
  }
  if (!isRegistryRepository(repository)) {
    throw new InvalidImageTargetError(
      `${JSON.stringify(ref)} is not an image of this registry (${host}/<repository>[:tag|@digest])`,
    );
  }
  return { repository, reference };
}
