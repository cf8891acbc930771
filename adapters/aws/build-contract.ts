import { DrydockError } from '../../core/errors.js';

/**
 * The contract between the build starter, the CodeBuild build (`buildspecs/build.yml`, which runs `drydock step
 * build|test|publish`) and the build-state function: where the request and the events of one build are in the
 * snapshot bucket, and the environment StartBuild sets.
 *
 * The build reads the whole `Build Requested` event from {@link buildRequestKey} and uploads the events its
 * steps published, one wire-form event per line, to {@link buildEventsKey}; the build-state function relays them.
 */
export const BUILD_ENV = {
  /** The drydock build id; the build-state function reads back only events of this build. */
  buildId: 'DRYDOCK_BUILD_ID',
  /** Snapshot bucket key of the `Build Requested` event (wire form, JSON): {@link buildRequestKey}. */
  requestKey: 'DRYDOCK_REQUEST_KEY',
  /** Snapshot bucket key of the zipped build context: the definition's directory at the commit. */
  contextKey: 'DRYDOCK_CONTEXT_KEY',
} as const;

/** The S3 prefix (in `LOG_BUCKET`) under which CodeBuild writes each build's log as `<build uuid>.gz`. */
export const BUILD_LOG_PREFIX = 'codebuild/';

/** The snapshot bucket prefix of every build's request and events. */
export const BUILDS_PREFIX = 'builds/';

/** The name of a build's request file, the last segment of {@link buildRequestKey}. */
export const BUILD_REQUEST_FILE = 'request.json';

/** The name of a build's events file, the last segment of {@link buildEventsKey}. */
export const BUILD_EVENTS_FILE = 'events.jsonl';

/** A build id that cannot be one segment of a key: refused rather than let it reach another build's keys. */
export class BuildIdInvalidError extends DrydockError {
  override readonly name = 'BuildIdInvalidError';

  constructor(buildId: string) {
    super(`build id ${JSON.stringify(buildId.slice(0, 80))} is not a key segment ([A-Za-z0-9._-], ≤ 128)`, {
      code: 'BUILD_ID_INVALID',
    });
  }
}

// Build ids are drydock's own (`build-<hex>`), but the key of one build must never name another's.
const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const segment = (buildId: string) => {
  if (!SEGMENT.test(buildId) || buildId.includes('..')) throw new BuildIdInvalidError(buildId);
  return buildId;
};

/** The key of a build's request: `builds/<buildId>/request.json`, the `Build Requested` event in wire form. */
export const buildRequestKey = (buildId: string) =>
  `${BUILDS_PREFIX}${segment(buildId)}/${BUILD_REQUEST_FILE}`;

/** The key of a build's events: `builds/<buildId>/events.jsonl`, one wire-form event per line, in order. */
export const buildEventsKey = (buildId: string) => `${BUILDS_PREFIX}${segment(buildId)}/${BUILD_EVENTS_FILE}`;

/** The key prefixes of the snapshot bucket, as the stack grants them. */
export const SNAPSHOT_PREFIXES = {
  /** Written by webhook and submit: definition texts (read by the gate) and build contexts (read by CodeBuild). */
  contexts: 'contexts/',
  /**
   * Per build: `request.json`, written by the build starter and read by CodeBuild and the build-state function;
   * `events.jsonl`, written by CodeBuild and read by the build-state function (below).
   */
  builds: BUILDS_PREFIX,
} as const;
