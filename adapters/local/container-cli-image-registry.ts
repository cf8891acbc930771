import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DrydockError, quoteInput } from '../../core/errors.js';
import { PATH_COMPONENT, TAG } from '../../core/image-ref/grammar.js';
import { formatImageRef, parseImageRef } from '../../core/image-ref/index.js';
import {
  type ImageDetails,
  type ImageTarget,
  InvalidImageTargetError,
  type PipelineRegistry,
  type PushedImage,
  type PushOptions,
  RegistryUnauthorizedError,
  RegistryUnavailableError,
} from '../../core/ports/image-registry.js';
import { type ContainerCli, repoDigestOf } from './container-cli.js';
import type { ToolResult } from './run-tool.js';

/** Options of the container CLI registry. */
export interface ContainerCliImageRegistryProps {
  /** The engine's command line, logged in to the registry already (`docker login`). */
  readonly cli: ContainerCli;
  /** Registry host (and port): ECR_REGISTRY in CodeBuild. */
  readonly host: string;
  /**
   * Path prefix every repository of the pipeline lives under (REPOSITORY_PREFIX, like `drydock`): the registry's
   * `namespace`, which pushes must be under; references are never rewritten into it. @default none
   */
  readonly repositoryPrefix?: string;
  /** Time limit of each pull, tag, push and inspect. @default 600000 */
  readonly timeoutMs?: number;
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;
const DOCKER_PUSH_LINE = /^(\S+): digest: (sha256:[0-9a-f]{64}) size: \d+$/;
const NOT_FOUND = /manifest unknown|name unknown|not found|does not exist|no such image|image not known/i;
const UNAUTHORIZED = /unauthorized|denied|authentication required|no basic auth credentials|forbidden/i;

/**
 * The manifest digest `docker push` printed for `tag` (its line `<tag>: digest: sha256:… size: N`); undefined
 * when no such line is there. Lines of other tags, and look-alikes in a layer's progress, are not taken.
 */
export function parseDockerPushDigest(stdout: string, tag: string): string | undefined {
  for (const raw of stdout.split(/\r?\n/)) {
    const m = DOCKER_PUSH_LINE.exec(raw.trim());
    if (m && m[1] === tag) return m[2];
  }
  return undefined;
}

/**
 * ImageRegistry over the Docker or podman command line (CodeBuild's Docker with ECR): `inspect` pulls the
 * reference and reads `image inspect` (manifest digest from the pull, config digest, labels, created); `push`
 * tags the local image and pushes it, taking the manifest digest from the push itself (`--digestfile` with
 * podman, the `digest:` line with Docker), never from a later read that another push may have changed.
 */
export class ContainerCliImageRegistry implements PipelineRegistry {
  readonly host: string;
  readonly namespace?: string;
  readonly #cli: ContainerCli;
  readonly #timeoutMs: number;

  constructor(props: ContainerCliImageRegistryProps) {
    this.host = props.host;
    this.#cli = props.cli;
    const prefix = (props.repositoryPrefix ?? '').replace(/^\/+|\/+$/g, '');
    if (prefix !== '' && !prefix.split('/').every((c) => PATH_COMPONENT.test(c))) {
      throw new InvalidImageTargetError(`invalid repository prefix ${quoteInput(prefix)}`);
    }
    if (prefix !== '') this.namespace = prefix;
    this.#timeoutMs = props.timeoutMs ?? 600_000;
  }

  async push(localImage: string, target: ImageTarget, _opts: PushOptions = {}): Promise<PushedImage> {
    const repository = target.repository;
    if (!repository.split('/').every((c) => PATH_COMPONENT.test(c))) {
      throw new InvalidImageTargetError(`invalid repository ${quoteInput(target.repository)}`);
    }
    // The pipeline publishes only under its namespace (ECR lets the build role push nowhere else); a push elsewhere
    // is refused here, by name, rather than moved into the namespace where no event would say it is.
    if (this.namespace !== undefined && !repository.startsWith(`${this.namespace}/`)) {
      throw new InvalidImageTargetError(
        `repository ${quoteInput(repository)} is not under the namespace ${quoteInput(this.namespace)}`,
      );
    }
    if (!TAG.test(target.tag)) throw new InvalidImageTargetError(`invalid tag ${quoteInput(target.tag)}`);
    const ref = `${this.host}/${repository}:${target.tag}`;
    await this.#check(['tag', localImage, ref], `tag ${localImage} as ${ref}`);
    if (this.#cli.engine === 'podman') {
      const scratch = await mkdtemp(join(tmpdir(), 'drydock-push-'));
      try {
        const file = join(scratch, 'digest');
        await this.#check(['push', '--digestfile', file, ref], `push ${ref}`);
        return { ref, digest: pushedDigest((await readFile(file, 'utf8')).trim(), ref) };
      } finally {
        await rm(scratch, { recursive: true, force: true });
      }
    }
    const stdout = await this.#check(['push', ref], `push ${ref}`);
    return { ref, digest: pushedDigest(parseDockerPushDigest(stdout, target.tag) ?? '', ref) };
  }

  async inspect(ref: string): Promise<ImageDetails | undefined> {
    const name = this.#qualify(ref);
    const args = ['pull', '--quiet', name];
    const pulled = await this.#cli.run(args, this.#timeoutMs);
    if (pulled.exitCode !== 0) {
      if (!pulled.timedOut && NOT_FOUND.test(pulled.stderr) && !UNAUTHORIZED.test(pulled.stderr))
        return undefined;
      throw this.#registryError(`pull ${name}`, pulled);
    }
    const image = await this.#cli.inspectImage(name, this.#timeoutMs);
    if (!image) return undefined;
    const parsed = parseImageRef(name);
    if (!parsed.ok) throw new InvalidImageTargetError(`invalid image reference ${quoteInput(ref)}`);
    const digest = parsed.ref.digest ?? repoDigestOf(image, parsed.ref.name);
    if (digest === undefined) {
      throw new RegistryUnavailableError(
        `${name} was pulled but ${this.#cli.engine} recorded no digest for it`,
      );
    }
    const created = (image as { Created?: unknown }).Created;
    return {
      digest,
      configDigest: image.Id.startsWith('sha256:') ? image.Id : `sha256:${image.Id}`,
      labels: { ...(image.Config?.Labels ?? {}) },
      ...(typeof created === 'string' && created !== '' ? { created } : {}),
    };
  }

  // A reference of this registry, fully qualified as written; another registry's is refused.
  #qualify(ref: string): string {
    // As Docker reads a name: a first component with a dot or a port, or `localhost`, is a registry host.
    const first = ref.split('/', 1)[0] ?? '';
    const named = ref.includes('/') && (/[.:]/.test(first) || first === 'localhost');
    if (named && first !== this.host) {
      throw new InvalidImageTargetError(`${quoteInput(ref)} is not an image of the registry ${this.host}`);
    }
    const qualified = named ? ref : `${this.host}/${ref}`;
    const parsed = parseImageRef(qualified);
    if (!parsed.ok || parsed.ref.registry !== this.host) {
      throw new InvalidImageTargetError(`${quoteInput(ref)} is not an image of the registry ${this.host}`);
    }
    return formatImageRef(parsed.ref);
  }

  async #check(args: readonly string[], what: string): Promise<string> {
    const result = await this.#cli.run(args, this.#timeoutMs);
    if (result.exitCode !== 0) throw this.#registryError(what, result);
    return result.stdout;
  }

  #registryError(what: string, result: ToolResult): DrydockError {
    const reason = result.timedOut
      ? 'timed out'
      : result.stderr.trim().split('\n').at(-1)?.trim() || 'no message';
    const message = `${this.#cli.binary} could not ${what}: ${reason}`;
    return !result.timedOut && UNAUTHORIZED.test(result.stderr)
      ? new RegistryUnauthorizedError(message)
      : new RegistryUnavailableError(message);
  }
}

function pushedDigest(digest: string, ref: string): string {
  if (!DIGEST.test(digest)) {
    throw new RegistryUnavailableError(
      `the push of ${ref} reported no manifest digest (${quoteInput(digest)})`,
    );
  }
  return digest;
}
