/**
 * What the build-starter Lambda hands a CodeBuild build and what the build hands back, as `buildspecs/build.yml`
 * names them: shared by the Lambdas and the buildspec.
 *
 * In: every value is a PLAINTEXT environment override (ids, names and keys, never a secret). Out: the buildspec's
 * `exported-variables`, read back with BatchGetBuilds (or from the state change event when it carries them).
 */
export const BUILD_ENV = {
  /** The drydock build id (`build-<hex>`), stable per (repository, commit, definition). */
  buildId: 'DRYDOCK_BUILD_ID',
  /** The id of the push this build belongs to. */
  correlationId: 'DRYDOCK_CORRELATION_ID',
  /** The id of the `Build Requested` event that started the build. */
  eventId: 'DRYDOCK_EVENT_ID',
  /** `<host>/<project>`, like `github.com/acme/payments`. */
  repository: 'DRYDOCK_REPOSITORY',
  commit: 'DRYDOCK_COMMIT',
  /** Path of the definition in the repository, like `api/Dockerfile`. */
  definition: 'DRYDOCK_DEFINITION',
  /** Snapshot bucket key of the zipped build context: the definition's directory at the commit. */
  contextKey: 'DRYDOCK_CONTEXT_KEY',
  /** Snapshot bucket key of the Dockerfile to build: the definition after the policy's substitutions. */
  dockerfileKey: 'DRYDOCK_DOCKERFILE_KEY',
  /** The ECR repository to push to, like `drydock/apps/github.com/acme/payments/api`. */
  image: 'DRYDOCK_IMAGE',
  /** The tag to push: the first 12 characters of the commit. */
  tag: 'DRYDOCK_TAG',
  /** The `org.opencontainers.image.source` label: the repository's web address. */
  source: 'DRYDOCK_SOURCE',
  /** The final stage's base and the digest it resolved to, when known before the build; empty otherwise. */
  baseName: 'DRYDOCK_BASE_NAME',
  baseDigest: 'DRYDOCK_BASE_DIGEST',
  /** JSON array of `{ from, to, rule }`: the bases the policy replaced. */
  substitutions: 'DRYDOCK_SUBSTITUTIONS',
} as const;

/** Variables the buildspec exports (`env.exported-variables`). */
export const BUILD_EXPORTS = {
  /** `<registry>/<image>:<tag>` of the built image. */
  imageRef: 'IMAGE_REF',
  /** Manifest digest of the pushed image (`sha256:…`). */
  imageDigest: 'IMAGE_DIGEST',
  /** Config digest (image ID) of the built image. */
  configDigest: 'CONFIG_DIGEST',
  /** The step the build was in when it stopped: `build`, `test`, `push`, or `published` when all passed. */
  stage: 'DRYDOCK_STAGE',
  /** JSON array of `{ name, digest }`: every base the build resolved, in stage order (optional). */
  bases: 'DRYDOCK_BASES',
} as const;

/** The S3 prefix (in `LOG_BUCKET`) under which CodeBuild writes each build's log as `<build uuid>.gz`. */
export const BUILD_LOG_PREFIX = 'codebuild/';
