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
  splitRegistryReference,
} from '../../core/ports/image-registry.js';
import { sha256Of } from './digests.js';
import type { FakeImageStore } from './image-store.js';

const DIGEST = /^sha256:[a-f0-9]{64}$/;

interface Repository {
  readonly tags: Map<string, string>;
  readonly manifests: Map<string, ImageDetails>;
}

/** One push the fake registry took. */
export interface RecordedPush {
  readonly localImage: string;
  readonly target: ImageTarget;
  readonly ref: string;
  readonly digest: string;
}

/**
 * A registry in memory with the semantics of the local one: pushes come from the builder's local store (a missing
 * image is `ImageNotFoundError`), references are relative (`apps/hello:1`, `apps/hello@sha256:…`) or qualified
 * with `host`, `name:tag@digest` is read by its digest, and invalid targets or another registry's references are
 * `InvalidImageTargetError`. The manifest digest derives from the config digest, so the same image pushes to the
 * same digest. `seed` publishes an image directly (a base ops imported); `failNext` makes the next call throw.
 * With a `namespace`, a push outside it is refused as ContainerCliImageRegistry refuses it; nothing is rewritten.
 */
export class FakeImageRegistry implements ImageRegistry {
  readonly host: string;
  readonly namespace?: string;
  readonly pushes: RecordedPush[] = [];
  readonly #store: FakeImageStore;
  readonly #repos = new Map<string, Repository>();
  readonly #failures: { op: 'push' | 'inspect'; error: Error }[] = [];

  constructor(props: {
    readonly store: FakeImageStore;
    readonly host?: string;
    readonly namespace?: string;
  }) {
    this.#store = props.store;
    this.host = props.host ?? '127.0.0.1:5000';
    if (props.namespace !== undefined) this.namespace = props.namespace;
  }

  /** Publishes an image under `repository:tag` without a local image, as ops publish a base. */
  seed(
    repository: string,
    tag: string,
    image: { readonly labels?: Record<string, string>; readonly configDigest?: string } = {},
  ): PushedImage {
    const configDigest = image.configDigest ?? sha256Of(`config of ${repository}:${tag}`);
    return this.store(repository, tag, {
      configDigest,
      labels: image.labels ?? {},
      created: '2025-01-01T00:00:00Z',
    });
  }

  /** Makes the next `push` or `inspect` throw the error (a registry outage, a refused credential). */
  failNext(op: 'push' | 'inspect', error: Error): this {
    this.#failures.push({ op, error });
    return this;
  }

  async push(localImage: string, target: ImageTarget, opts: PushOptions = {}): Promise<PushedImage> {
    this.fail('push');
    if (!isRegistryRepository(target.repository)) {
      throw new InvalidImageTargetError(`invalid repository ${JSON.stringify(target.repository)}`);
    }
    if (!TAG.test(target.tag)) throw new InvalidImageTargetError(`invalid tag ${JSON.stringify(target.tag)}`);
    if (this.namespace !== undefined && !target.repository.startsWith(`${this.namespace}/`)) {
      throw new InvalidImageTargetError(
        `repository ${JSON.stringify(target.repository)} is not under the namespace ${JSON.stringify(this.namespace)}`,
      );
    }
    if (localImage === '' || localImage.startsWith('-')) {
      throw new InvalidImageTargetError(`invalid local image ${JSON.stringify(localImage)}`);
    }
    opts.signal?.throwIfAborted();
    const image = this.#store.get(localImage);
    if (!image) throw new ImageNotFoundError(localImage);
    const pushed = this.store(target.repository, target.tag, {
      configDigest: image.imageId,
      labels: { ...image.labels },
      created: image.created,
    });
    this.pushes.push({ localImage, target, ...pushed });
    return pushed;
  }

  async inspect(ref: string): Promise<ImageDetails | undefined> {
    this.fail('inspect');
    const { repository, reference } = this.split(ref);
    const repo = this.#repos.get(repository);
    const digest = DIGEST.test(reference) ? reference : repo?.tags.get(reference);
    const details = digest === undefined ? undefined : repo?.manifests.get(digest);
    return details && { ...details, labels: { ...details.labels } };
  }

  async tags(repository: string): Promise<readonly string[]> {
    if (!isRegistryRepository(repository)) {
      throw new InvalidImageTargetError(`invalid repository ${JSON.stringify(repository)}`);
    }
    return [...(this.#repos.get(repository)?.tags.keys() ?? [])].sort();
  }

  async repositories(): Promise<readonly string[]> {
    return [...this.#repos.keys()].sort();
  }

  private store(repository: string, tag: string, image: Omit<ImageDetails, 'digest'>): PushedImage {
    const digest = sha256Of(`manifest of ${image.configDigest}`);
    let repo = this.#repos.get(repository);
    if (!repo) {
      repo = { tags: new Map(), manifests: new Map() };
      this.#repos.set(repository, repo);
    }
    repo.manifests.set(digest, { digest, ...image });
    repo.tags.set(tag, digest);
    return { ref: `${this.host}/${repository}:${tag}`, digest };
  }

  private fail(op: 'push' | 'inspect'): void {
    const i = this.#failures.findIndex((f) => f.op === op);
    if (i >= 0) throw this.#failures.splice(i, 1)[0]!.error;
  }

  private split(ref: string): { repository: string; reference: string } {
    return splitRegistryReference(ref, this.host);
  }
}
