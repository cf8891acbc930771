/**
 * What the build-starter Lambda hands a CodeBuild build, and what the build hands back through the
 * `CodeBuild Build State Change` event: shared by the Lambdas, the CDK stack and `buildspecs/build.yml`.
 *
 * In: every value is a PLAINTEXT environment override (correlation data, never a secret). Out: the buildspec
 * lists the `exported-variables` below; CodeBuild copies them into the state change event.
 */
export const BUILD_ENV = {
  /** The drydock build id (`build-<hex>`), stable per (repository, commit, definition). */
  buildId: 'DRYDOCK_BUILD_ID',
  /** The id of the `Build Requested` event that started the build. */
  eventId: 'DRYDOCK_EVENT_ID',
  /** The id of the push this build belongs to. */
  correlationId: 'DRYDOCK_CORRELATION_ID',
  /** `<host>/<project>`, like `github.com/acme/payments`. */
  repository: 'DRYDOCK_REPOSITORY',
  commit: 'DRYDOCK_COMMIT',
  /** Path of the definition in the repository, like `api/Dockerfile`. */
  definition: 'DRYDOCK_DEFINITION',
  /** `s3://…` of the Dockerfile to build: the definition after the policy's substitutions. */
  dockerfile: 'DRYDOCK_DOCKERFILE_S3',
  /** `s3://…` of the repository's zip archive at the commit; it holds one top-level directory. */
  contextArchive: 'DRYDOCK_CONTEXT_S3',
  /** The ECR registry host, like `123456789012.dkr.ecr.eu-west-1.amazonaws.com`. */
  registry: 'DRYDOCK_REGISTRY',
  /** The ECR repository to push to, like `drydock/apps/github.com/acme/payments/api`. */
  imageRepository: 'DRYDOCK_IMAGE_REPOSITORY',
  /** The tag to push: the first 12 characters of the commit. */
  imageTag: 'DRYDOCK_IMAGE_TAG',
  /** JSON array of `{ from, to, rule }`: the bases the policy replaced, for the image's labels and the log. */
  substitutions: 'DRYDOCK_SUBSTITUTIONS',
} as const;

/** Variables the buildspec exports (`env.exported-variables`), read back from the state change event. */
export const BUILD_EXPORTS = {
  /** Manifest digest of the pushed image (`sha256:…`). */
  imageDigest: 'DRYDOCK_IMAGE_DIGEST',
  /** Config digest (image ID) of the pushed image. */
  configDigest: 'DRYDOCK_CONFIG_DIGEST',
  /** JSON array of `{ name, digest }`: every base the build resolved, in stage order. */
  bases: 'DRYDOCK_BASES',
  /** The step the build was in when it stopped: `build`, `test` or `push`. */
  stage: 'DRYDOCK_STAGE',
} as const;

/** The S3 prefix (in `LOG_BUCKET`) under which CodeBuild writes each build's log as `<build uuid>.gz`. */
export const BUILD_LOG_PREFIX = 'codebuild/';
