import { DrydockError } from '../errors.js';

/** One image build: the definition's text (already substituted by the policy), its context and the result's tag. */
export interface BuildRequest {
  /** Identifies the build in logs and errors (the `BuildRequested` event's id). */
  readonly buildId: string;
  /** Directory sent as the build context; never written to. */
  readonly contextDir: string;
  /** The Dockerfile to build, which may differ from the one in the context (a substituted base). */
  readonly dockerfileText: string;
  /** Local tag of the built image, like `localhost/apps/hello:build-42`. */
  readonly tag: string;
  /** Labels set on the image, like the `org.opencontainers.image.base.*` lineage labels. */
  readonly labels?: Readonly<Record<string, string>>;
  /** `ARG` values (`--build-arg`). */
  readonly buildArgs?: Readonly<Record<string, string>>;
  /** The build is stopped and fails with `BuildTimedOutError` after this long. */
  readonly timeoutMs: number;
  /** Receives every line the build prints, stdout and stderr interleaved, without the newline. */
  readonly log: (line: string) => void;
  /** Stops the build early; it then fails with `BuildCancelledError`. */
  readonly signal?: AbortSignal;
}

/** A built image in the builder's local store. */
export interface BuiltImage {
  /** Digest of the image configuration (`sha256:<hex>`), the image ID, stable across stores and registries. */
  readonly imageId: string;
  readonly tag: string;
  readonly durationMs: number;
}

/** Builds images from Dockerfiles (buildah locally, CodeBuild on AWS). */
export interface BuildService {
  /** Builds the image and tags it; throws `BuildFailedError`, `BuildTimedOutError` or `ToolMissingError`. */
  build(request: BuildRequest): Promise<BuiltImage>;
}

/** The build ran and failed (a RUN step exited non-zero, a base image could not be pulled…). */
export class BuildFailedError extends DrydockError {
  override readonly name = 'BuildFailedError';
  readonly buildId: string;
  /** The last lines of the build log, where the reason is. */
  readonly logTail: readonly string[];

  constructor(
    buildId: string,
    reason: string,
    logTail: readonly string[],
    options: { cause?: unknown } = {},
  ) {
    const tail = logTail.length > 0 ? `\n${logTail.map((l) => `  | ${l}`).join('\n')}` : '';
    super(`build ${buildId} failed: ${reason}${tail}`, { code: 'BUILD_FAILED', ...options });
    this.buildId = buildId;
    this.logTail = logTail;
  }
}

/** The build ran longer than its time limit and was stopped; a retry may succeed on a less busy builder. */
export class BuildTimedOutError extends DrydockError {
  override readonly name = 'BuildTimedOutError';
  readonly buildId: string;
  readonly timeoutMs: number;
  readonly logTail: readonly string[];

  constructor(buildId: string, timeoutMs: number, logTail: readonly string[]) {
    super(`build ${buildId} timed out after ${timeoutMs} ms and was stopped`, {
      code: 'BUILD_TIMED_OUT',
      retryable: true,
    });
    this.buildId = buildId;
    this.timeoutMs = timeoutMs;
    this.logTail = logTail;
  }
}

/** The build was stopped through its abort signal. */
export class BuildCancelledError extends DrydockError {
  override readonly name = 'BuildCancelledError';
  readonly buildId: string;

  constructor(buildId: string, options: { cause?: unknown } = {}) {
    super(`build ${buildId} was cancelled`, { code: 'BUILD_CANCELLED', ...options });
    this.buildId = buildId;
  }
}

export { ToolMissingError } from '../errors.js';
