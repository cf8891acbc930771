import { DrydockError, quoteInput } from '../errors.js';
import { EVENT_SOURCE } from '../events/envelope.js';
import { stableId } from '../events/ids.js';
import { type BaseImage, IMAGE_PUBLISHED, type ImagePublishedEvent } from '../events/image-published.js';
import type { ImageTestedEvent } from '../events/image-tested.js';
import type { RebuildName } from '../events/rebuild-ids.js';
import { rebuildIdParts, withRebuild } from '../events/rebuild-ids.js';
import { isDigest } from '../image-ref/digest.js';
import { formatImageRef } from '../image-ref/format-image-ref.js';
import { NAME_MAX_LENGTH, PATH_COMPONENT, TAG } from '../image-ref/grammar.js';
import { parseImageRef } from '../image-ref/parse-image-ref.js';
import { type BuildRecords, isTerminal } from '../ports/build-records.js';
import type { Clock } from '../ports/clock.js';
import {
  type ImageDetails,
  InvalidImageTargetError,
  type PipelineRegistry,
} from '../ports/image-registry.js';

/** The OCI labels the build step sets on every image, naming the base of its final stage. */
export const BASE_NAME_LABEL = 'org.opencontainers.image.base.name';
export const BASE_DIGEST_LABEL = 'org.opencontainers.image.base.digest';

/** What the publish step needs: the guarded registry, the build records, and how images are named. */
export interface PublishImageDeps {
  readonly registry: PipelineRegistry;
  readonly records: BuildRecords;
  readonly clock: Clock;
  /** The registry repository of a definition. @default {@link repositoryForDefinition} */
  readonly repositoryFor?: (definition: string, repository: string) => string;
  /** The tag of an image built at a commit. @default {@link shortCommitTag} */
  readonly tagFor?: (commit: string) => string;
  /**
   * The bases the image was built on (the `Build Completed` event's `bases`). `Image Tested` does not carry
   * them yet; without this lookup they are read from the image's `org.opencontainers.image.base.*` labels.
   */
  readonly basesOf?: (event: ImageTestedEvent) => Promise<readonly BaseImage[]>;
}

/** An event that is not a passed test run was sent to publishing: a routing fault, never retried. */
export class ImageNotPassedError extends DrydockError {
  override readonly name = 'ImageNotPassedError';

  constructor(buildId: string) {
    super(`build ${buildId} did not pass its image tests and cannot be published`, {
      code: 'IMAGE_NOT_PASSED',
    });
  }
}

/** The tag of this (definition, commit) already holds a different image; nothing is overwritten. */
export class ImageTagConflictError extends DrydockError {
  override readonly name = 'ImageTagConflictError';
  readonly ref: string;

  constructor(ref: string, existing: string, built: string) {
    super(`${ref} already holds image ${existing}, not the built ${built}; refusing to overwrite it`, {
      code: 'IMAGE_TAG_CONFLICT',
    });
    this.ref = ref;
  }
}

// A run of characters a path component cannot hold, or of separators it cannot hold in a row.
const INVALID_RUN = /[^a-z0-9._-]+/g;
const SEPARATOR_RUN = /[._-]{2,}/g;
const DEFINITION_FILE = /^(?:dockerfile|containerfile)$/i;

/**
 * One path component of the distribution grammar from free text: lower-cased, each run of other characters
 * made `-`, each run of separators that the grammar refuses (`._`, `-.`, `___`) made `-`, separators trimmed
 * from the ends. `My App` → `my-app`, `web__ui` stays, `a._b` → `a-b`.
 */
export function toPathComponent(text: string): string {
  return text
    .toLowerCase()
    .replace(INVALID_RUN, '-')
    .replace(SEPARATOR_RUN, (run) => (run === '__' || /^-+$/.test(run) ? run : '-'))
    .replace(/^[._-]+|[._-]+$/g, '');
}

/**
 * The registry repository of a definition: `apps/<repository path>/<definition directory>`, each component
 * made valid by {@link toPathComponent}. A git URL keeps only its path (`git@host:payments/api.git` →
 * `payments/api`); the definition's file name is dropped when it is `Dockerfile`/`Containerfile`, and its
 * other parts kept (`web/Dockerfile.worker` → `web/dockerfile.worker`). A definition at the root gets
 * `apps/<repository>`. Two definitions that normalise alike share a repository; the tag conflict check
 * then refuses to overwrite one with the other.
 */
export function repositoryForDefinition(definition: string, repository: string): string {
  const repoPath = repository
    .replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*\//i, '')
    .replace(/^[^/@:]+@[^/:]+:/, '')
    .replace(/\.git\/?$/, '');
  const defParts = definition.split('/');
  if (DEFINITION_FILE.test(defParts.at(-1) ?? '')) defParts.pop();
  const components = ['apps', ...repoPath.split('/'), ...defParts].map(toPathComponent).filter((c) => c);
  const name = components.join('/');
  if (components.length < 2 || name.length > NAME_MAX_LENGTH) {
    throw new InvalidImageTargetError(
      `cannot name a repository for definition ${quoteInput(definition)} of ${quoteInput(repository)}`,
    );
  }
  return name;
}

/** The tag of an image built at a commit: its first 12 hex characters. */
export function shortCommitTag(commit: string): string {
  return commit.slice(0, 12);
}

/**
 * The tag a build is published under: `tag` (the commit's, {@link shortCommitTag} by default) for a push, and
 * `<tag>-r<number>` for a ban's rebuild, so that a rebuild never touches the push's tag, which already holds the
 * image the rebuild replaces.
 */
export function publishedTag(tag: string, rebuild: RebuildName | undefined): string {
  return rebuild === undefined ? tag : `${tag}-r${rebuild.number}`;
}

/** Reads the base of an image from its `org.opencontainers.image.base.*` labels; none when they are absent or bad. */
export function basesFromLabels(labels: Readonly<Record<string, string>>): BaseImage[] {
  const name = labels[BASE_NAME_LABEL];
  const digest = labels[BASE_DIGEST_LABEL];
  if (!name || !digest || !isDigest(digest)) return [];
  const parsed = parseImageRef(name);
  return [{ name: parsed.ok ? formatImageRef(parsed.ref) : name, digest }];
}

/**
 * Pushes a tested image to the guarded registry as `[<namespace>/]<repositoryFor>:<tagFor>` (`<tagFor>-r<number>`
 * for a ban's rebuild, see {@link publishedTag}) and reports it as `Image Published`, which carries the `rebuild` on.
 * Exactly one image per (definition, commit, rebuild): when the tag already holds the same image
 * (same config digest) nothing is pushed and the same event comes back; a different image under the tag is
 * refused with `ImageTagConflictError`. Registry faults are thrown as the registry port throws them.
 */
export async function publishImage(
  event: ImageTestedEvent,
  deps: PublishImageDeps,
): Promise<ImagePublishedEvent> {
  const tested = event.detail;
  if (!tested.passed) throw new ImageNotPassedError(tested.buildId);
  const repository = namespaced(
    deps.registry.namespace,
    (deps.repositoryFor ?? repositoryForDefinition)(tested.definition, tested.repository),
  );
  const tag = publishedTag((deps.tagFor ?? shortCommitTag)(tested.commit), tested.rebuild);
  if (!TAG.test(tag)) throw new InvalidImageTargetError(`invalid tag ${quoteInput(tag)}`);
  const ref = `${deps.registry.host}/${repository}:${tag}`;

  let details = await deps.registry.inspect(ref);
  if (details) checkSameImage(ref, details, tested.configDigest);
  const record = await deps.records.get(tested.buildId);
  const finished = record !== undefined && isTerminal(record.state);
  // testing → pushing → published even when the image is already there (a crash after the push).
  if (!finished) await deps.records.transition(tested.buildId, 'pushing');
  if (details === undefined) {
    const pushed = await deps.registry.push(tested.imageRef, { repository, tag });
    details = await deps.registry.inspect(pushed.ref);
    if (details === undefined || details.digest !== pushed.digest) {
      throw new DrydockError(`${pushed.ref} does not read back as the pushed ${pushed.digest}`, {
        code: 'IMAGE_PUSH_UNVERIFIED',
        retryable: true,
      });
    }
    checkSameImage(ref, details, tested.configDigest);
  }

  // Every base the build resolved travels with the events; labels hold only the final stage's.
  const bases =
    event.detail.bases ?? (deps.basesOf ? await deps.basesOf(event) : basesFromLabels(details.labels));
  if (!finished) {
    await deps.records.transition(tested.buildId, 'published', { imageDigest: details.digest });
  }
  return {
    id: stableId(
      'image-published',
      tested.repository,
      tested.commit,
      tested.definition,
      details.digest,
      ...rebuildIdParts(tested.rebuild),
    ),
    source: EVENT_SOURCE,
    detailType: IMAGE_PUBLISHED,
    time: deps.clock.now().toISOString(),
    detail: {
      buildId: tested.buildId,
      ref,
      digest: details.digest,
      configDigest: details.configDigest,
      bases: [...bases],
      definition: tested.definition,
      repository: tested.repository,
      commit: tested.commit,
      correlationId: tested.correlationId,
      ...withRebuild(tested.rebuild),
    },
  };
}

// The ref, the push target and every read name the same repository: the namespace is added here, once, and no
// adapter rewrites a reference behind the event's back.
function namespaced(namespace: string | undefined, repository: string): string {
  if (namespace === undefined || namespace === '') return repository;
  const name = `${namespace}/${repository}`;
  if (!namespace.split('/').every((c) => PATH_COMPONENT.test(c)) || name.length > NAME_MAX_LENGTH) {
    throw new InvalidImageTargetError(
      `cannot publish ${quoteInput(repository)} under the registry namespace ${quoteInput(namespace)}`,
    );
  }
  return name;
}

function checkSameImage(ref: string, details: ImageDetails, configDigest: string): void {
  if (details.configDigest !== configDigest) {
    throw new ImageTagConflictError(ref, details.configDigest, configDigest);
  }
}
