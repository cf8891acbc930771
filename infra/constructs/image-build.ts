import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { Construct } from 'constructs';
import { parse } from 'yaml';
import { BUILD_LOG_PREFIX } from '../../adapters/aws/build-contract.js';

/** The buildspec's report key that the stack points at its JUnit report group. */
export const IMAGE_TESTS_REPORT = 'image-tests';

/** The environment the project gives every build; StartBuild adds the per-build variables. */
export const BUILD_PROJECT_VARIABLES = [
  'ECR_REGISTRY',
  'SNAPSHOT_BUCKET',
  'REPOSITORY_PREFIX',
  'DRYDOCK_CLI_URL',
  'DRYDOCK_BUILD_TIMEOUT_SECONDS',
] as const;

/** The test step's time limit (the buildspec's DRYDOCK_TEST_TIMEOUT_SECONDS). */
export const TEST_TIME_LIMIT_SECONDS = 600;

/** The push's own time limit (ContainerCliImageRegistry's default) plus the events upload. */
export const PUBLISH_TIME_LIMIT_SECONDS = 600;

/** The install and pre_build phases: the CLI, request and context downloads, the registry login. */
export const SETUP_TIME_LIMIT_SECONDS = 300;

// CodeBuild stops a timed-out build without the build phase's `finally`: no events file is uploaded, and an image
// pushed just before would have no Image Published. The build's limit leaves every later step its own.
const AFTER_BUILD_SECONDS = SETUP_TIME_LIMIT_SECONDS + TEST_TIME_LIMIT_SECONDS + PUBLISH_TIME_LIMIT_SECONDS;

/** Props of {@link ImageBuild}. */
export interface ImageBuildProps {
  readonly name: string;
  /** The repository root: `buildspecs/build.yml` and the CLI bundle in `dist/`. */
  readonly projectRoot: string;
  /** The registry host builds push to. */
  readonly registry: string;
  readonly repositoryPrefix: string;
  /** Where builds read their requests and contexts and write their events. */
  readonly snapshotBucket: s3.IBucket;
  /** Where CodeBuild writes each build's log. */
  readonly logBucket: s3.IBucket;
  /** Encrypts the build output. */
  readonly key: kms.IKey;
  /** Builds CodeBuild runs at once. */
  readonly maxConcurrentBuilds: number;
  /** Time limit of one build, tests and push included. */
  readonly buildTimeout: Duration;
  /** @default codebuild.LinuxBuildImage.STANDARD_7_0 */
  readonly buildImage?: codebuild.IBuildImage;
  /** @default codebuild.ComputeType.MEDIUM */
  readonly buildComputeType?: codebuild.ComputeType;
}

/**
 * The CodeBuild side of the push flow: the build role (the only principal that may push images), the project
 * whose buildspec runs `drydock step build|test|publish`, the CLI bundle it downloads, its JUnit report group
 * and its log group.
 */
export class ImageBuild extends Construct {
  readonly role: iam.Role;
  readonly project: codebuild.Project;
  readonly reportGroup: codebuild.ReportGroup;
  /** The drydock CLI bundle each build downloads (`dist/`, zipped). */
  readonly cliAsset: s3assets.Asset;

  constructor(scope: Construct, id: string, props: ImageBuildProps) {
    super(scope, id);
    const { name } = props;
    this.role = new iam.Role(this, 'BuildRole', {
      assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com'),
      description: `${name}: the only principal that may push images`,
    });
    this.reportGroup = new codebuild.ReportGroup(this, 'ImageTests', {
      reportGroupName: `${name}-${IMAGE_TESTS_REPORT}`,
      type: codebuild.ReportGroupType.TEST,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // The CLI bundle is split (dist/drydock.mjs imports dist/chunks/…): ship the directory, zipped, without maps.
    this.cliAsset = new s3assets.Asset(this, 'Cli', {
      path: join(props.projectRoot, 'dist'),
      exclude: ['*.map'],
    });
    const buildLogs = new logs.LogGroup(this, 'BuildLogGroup', {
      retention: logs.RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.project = new codebuild.Project(this, 'ImageBuild', {
      description: `${name}: build, black-box test and push one definition`,
      role: this.role,
      buildSpec: codebuild.BuildSpec.fromObjectToYaml(
        renderBuildSpec(join(props.projectRoot, 'buildspecs/build.yml'), this.reportGroup.reportGroupArn),
      ),
      environment: {
        buildImage: props.buildImage ?? codebuild.LinuxBuildImage.STANDARD_7_0,
        computeType: props.buildComputeType ?? codebuild.ComputeType.MEDIUM,
        // docker build needs the Docker daemon, which CodeBuild runs only in privileged mode.
        privileged: true,
        environmentVariables: {
          ECR_REGISTRY: { value: props.registry },
          SNAPSHOT_BUCKET: { value: props.snapshotBucket.bucketName },
          REPOSITORY_PREFIX: { value: props.repositoryPrefix },
          DRYDOCK_CLI_URL: { value: this.cliAsset.s3ObjectUrl },
          // The build's own limit leaves the setup, the tests, the push and the upload their time.
          DRYDOCK_BUILD_TIMEOUT_SECONDS: { value: String(buildSeconds(props.buildTimeout)) },
        } satisfies Record<(typeof BUILD_PROJECT_VARIABLES)[number], codebuild.BuildEnvironmentVariable>,
      },
      timeout: props.buildTimeout,
      queuedTimeout: Duration.hours(8),
      concurrentBuildLimit: props.maxConcurrentBuilds,
      encryptionKey: props.key,
      grantReportGroupPermissions: false,
      logging: { cloudWatch: { logGroup: buildLogs } },
    });
    // S3 logs are set on the resource: the construct's own S3 logging grants write and delete on the bucket.
    (this.project.node.defaultChild as codebuild.CfnProject).addPropertyOverride('LogsConfig.S3Logs', {
      Status: 'ENABLED',
      Location: `${props.logBucket.bucketName}/${BUILD_LOG_PREFIX.replace(/\/$/, '')}`,
    });
    Validations.of(this.project).acknowledge({
      id: 'AwsSolutions-CB3',
      reason:
        'The build runs docker build, docker run and docker push, which need the Docker daemon of privileged mode.',
    });
  }
}

/** The build step's time limit within the project timeout; a timeout that leaves it under a minute is refused. */
function buildSeconds(timeout: Duration): number {
  const seconds = timeout.toSeconds() - AFTER_BUILD_SECONDS;
  if (seconds < 60) {
    throw new Error(
      `buildTimeout of ${timeout.toMinutes()} minutes leaves the build no time: the setup, tests, push and upload ` +
        `take up to ${AFTER_BUILD_SECONDS / 60} minutes, and the build needs one more`,
    );
  }
  return seconds;
}

/** Reads the buildspec and points its report at the report group's ARN (a bare name would make a new group). */
export function renderBuildSpec(path: string, reportGroupArn: string): Record<string, unknown> {
  const spec = parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  const reports = spec.reports as Record<string, unknown> | undefined;
  if (!reports || !(IMAGE_TESTS_REPORT in reports)) {
    throw new Error(`${path} has no reports.${IMAGE_TESTS_REPORT}`);
  }
  const { [IMAGE_TESTS_REPORT]: imageTests, ...rest } = reports;
  return { ...spec, reports: { ...rest, [reportGroupArn]: imageTests } };
}
