import { join } from 'node:path';
import { ArnFormat, Aws, Duration, Stack } from 'aws-cdk-lib';
import type * as codebuild from 'aws-cdk-lib/aws-codebuild';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as ecr from 'aws-cdk-lib/aws-ecr';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
// The key schemes and prefixes the adapters use: the stack grants exactly these.
import {
  BUILD_EVENTS_FILE,
  BUILD_LOG_PREFIX,
  BUILD_REQUEST_FILE,
  BUILDS_PREFIX,
} from '../adapters/aws/build-contract.js';
import type { EnvName } from '../lambdas/shared/env.js';
import { ImageBuild } from './constructs/image-build.js';
import { ImageRegistry } from './constructs/image-registry.js';
import { formerUniqueId, keepLogicalIds } from './constructs/keep-logical-ids.js';
import { PipelineEvents } from './constructs/pipeline-events.js';
import type { PipelineFunction } from './constructs/pipeline-function.js';
import { PipelineFunctions } from './constructs/pipeline-functions.js';
import { PipelineStores } from './constructs/stores.js';
import { PipelineTopics } from './constructs/topics.js';
import type { WorkQueue } from './constructs/work-queue.js';
import { type FunctionName, functionSpecs } from './functions.js';
import { acknowledgeWildcardAction, acknowledgeWildcardResource, allow } from './nag.js';
import { busPolicyStatements } from './policies.js';
import { type PortResources, portGrants, snapshotObjects } from './port-grants.js';
import { deployedPattern, deployedRules } from './rule-targets.js';

export { BUILD_PROJECT_VARIABLES, IMAGE_TESTS_REPORT, renderBuildSpec } from './constructs/image-build.js';
export { lifecyclePolicy } from './constructs/image-registry.js';
export { toCdkPattern } from './constructs/pipeline-events.js';
export { INITIAL_POLICY, WEBHOOK_SECRET_KEY } from './constructs/stores.js';

/** The CodeBuild Build State Change statuses that end a build. */
export const FINAL_BUILD_STATUSES = ['SUCCEEDED', 'FAILED', 'FAULT', 'STOPPED', 'TIMED_OUT'] as const;

/** How each function URL authenticates: the webhook verifies signatures itself, submit needs SigV4. */
export const FUNCTION_URL_AUTH = {
  webhook: lambda.FunctionUrlAuthType.NONE,
  submit: lambda.FunctionUrlAuthType.AWS_IAM,
} as const;
/** Props of {@link DrydockPipeline}. */
export interface DrydockPipelineProps {
  /** IAM principals (role or user ARNs) allowed to put `Base Image Banned` on the bus; nobody else can. */
  readonly opsPrincipalArns: readonly string[];
  /** A role that may write and delete images besides the build role, for emergencies. @default - none */
  readonly breakGlassRoleArn?: string;
  /** Principals (e.g. team CI roles) allowed to call the `submit` function URL. @default - none */
  readonly submitPrincipalArns?: readonly string[];
  /** Prefix of names the pipeline chooses (SSM parameter, ECR repositories, report group). @default 'drydock' */
  readonly name?: string;
  /** SSM parameter holding the policy document. @default `/${name}/policy` */
  readonly policyParameterName?: string;
  /** ECR repository prefix: drydock pushes `<prefix>/apps/…` and `<prefix>/base/…`. @default name */
  readonly repositoryPrefix?: string;
  /** Builds CodeBuild runs at once; the build queue's consumer never starts more. @default 4 */
  readonly maxConcurrentBuilds?: number;
  /**
   * Time limit of one CodeBuild build: setup, the team's build, its tests, the push and the events upload. The team's
   * build gets what is left after 25 minutes for the rest (50 minutes by default, as before the steps ran there).
   * @default Duration.minutes(75)
   */
  readonly buildTimeout?: Duration;
  /** CodeBuild image; its architecture is the architecture of the images drydock builds. @default codebuild.LinuxBuildImage.STANDARD_7_0 */
  readonly buildImage?: codebuild.IBuildImage;
  /** @default codebuild.ComputeType.MEDIUM */
  readonly buildComputeType?: codebuild.ComputeType;
  /** Lambda runtime of every function. @default lambda.Runtime.NODEJS_24_X */
  readonly runtime?: lambda.Runtime;
  /** How long the bus archive keeps events for replay. @default Duration.days(90) */
  readonly archiveRetention?: Duration;
  /**
   * Whether the stack sets the account's ECR registry scanning configuration (basic scan on push for the
   * repository prefix). It is one per account and region: turn this off where something else manages it.
   * @default true
   */
  readonly manageRegistryScanning?: boolean;
  /** Images kept per repository; the oldest beyond this expire. @default 500 */
  readonly maxImagesPerRepository?: number;
  /** The repository root: package-lock.json, `lambdas/`, `buildspecs/`, `dist/`. @default the parent of infra/ */
  readonly projectRoot?: string;
}

/**
 * The deployed drydock push flow, composed of its parts and wired: the stores, the topics, the bus and its
 * rules (from the shared `EVENT_RULES`), the functions and their queues (from the step registry), the CodeBuild
 * build that runs the build, test and publish steps, and the registry only the build role can write to. The
 * grants between them are made here.
 */
export class DrydockPipeline extends Construct {
  readonly stores: PipelineStores;
  readonly topics: PipelineTopics;
  readonly events: PipelineEvents;
  readonly build: ImageBuild;
  readonly imageRegistry: ImageRegistry;
  readonly fleet: PipelineFunctions;
  readonly bus: events.EventBus;
  readonly archive: events.Archive;
  readonly key: kms.Key;
  readonly teamTopic: sns.Topic;
  readonly alarmTopic: sns.Topic;
  readonly snapshotBucket: s3.Bucket;
  readonly logBucket: s3.Bucket;
  readonly accessLogBucket: s3.Bucket;
  readonly lineageTable: dynamodb.Table;
  readonly idempotencyTable: dynamodb.Table;
  readonly policyParameter: ssm.StringParameter;
  readonly webhookSecret: secretsmanager.Secret;
  readonly buildRole: iam.Role;
  readonly buildProject: codebuild.Project;
  readonly reportGroup: codebuild.ReportGroup;
  /** The drydock CLI bundle each build downloads (`dist/`, zipped). */
  readonly cliAsset: s3assets.Asset;
  readonly repositoryTemplate: ecr.CfnRepositoryCreationTemplate;
  readonly functions: Record<FunctionName, PipelineFunction>;
  readonly queues: Partial<Record<FunctionName, WorkQueue>>;
  /** Where EventBridge puts events it could not deliver to a queue. */
  readonly ruleDeadLetters: WorkQueue;
  readonly webhookUrl: lambda.FunctionUrl;
  readonly submitUrl: lambda.FunctionUrl;
  /** The registry host, `<account>.dkr.ecr.<region>.amazonaws.com`. */
  readonly registry: string;
  readonly repositoryPrefix: string;

  constructor(scope: Construct, id: string, props: DrydockPipelineProps) {
    super(scope, id);
    // Grant S3 log delivery through the access-log bucket's policy, not an ACL (ACLs stay disabled).
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);
    if (props.opsPrincipalArns.length === 0) {
      throw new Error(
        'DrydockPipeline: opsPrincipalArns must name at least one principal allowed to ban bases',
      );
    }
    const name = props.name ?? 'drydock';
    const projectRoot = props.projectRoot ?? join(import.meta.dirname, '..');
    this.repositoryPrefix = props.repositoryPrefix ?? name;
    this.registry = `${Aws.ACCOUNT_ID}.dkr.ecr.${Aws.REGION}.${Aws.URL_SUFFIX}`;
    const maxConcurrentBuilds = props.maxConcurrentBuilds ?? 4;

    const stores = new PipelineStores(this, 'Stores', {
      name,
      ...(props.policyParameterName ? { policyParameterName: props.policyParameterName } : {}),
    });
    const topics = new PipelineTopics(this, 'Topics', { name, key: stores.key });
    const bus = new PipelineEvents(this, 'Events', {
      name,
      alarmAction: topics.alarmAction,
      // The name the bus got when it was a child of the pipeline: a new name would replace the bus.
      busName: formerUniqueId(this, 'Bus'),
      ...(props.archiveRetention ? { archiveRetention: props.archiveRetention } : {}),
    });
    const build = new ImageBuild(this, 'Build', {
      name,
      projectRoot,
      registry: this.registry,
      repositoryPrefix: this.repositoryPrefix,
      snapshotBucket: stores.snapshotBucket,
      logBucket: stores.logBucket,
      key: stores.key,
      maxConcurrentBuilds,
      buildTimeout: props.buildTimeout ?? Duration.minutes(75),
      ...(props.buildImage ? { buildImage: props.buildImage } : {}),
      ...(props.buildComputeType ? { buildComputeType: props.buildComputeType } : {}),
    });
    const imageRegistry = new ImageRegistry(this, 'Registry', {
      name,
      repositoryPrefix: this.repositoryPrefix,
      writers: [build.role.roleArn, ...(props.breakGlassRoleArn ? [props.breakGlassRoleArn] : [])],
      maxImagesPerRepository: props.maxImagesPerRepository ?? 500,
      manageScanning: props.manageRegistryScanning ?? true,
    });
    // The value of every variable a function may read; each function gets the names of its spec only.
    const environment: Partial<Record<EnvName, string>> = {
      BUS_NAME: bus.bus.eventBusName,
      POLICY_PARAMETER: stores.policyParameter.parameterName,
      SNAPSHOT_BUCKET: stores.snapshotBucket.bucketName,
      LOG_BUCKET: stores.logBucket.bucketName,
      IDEMPOTENCY_TABLE: stores.idempotencyTable.tableName,
      LINEAGE_TABLE: stores.lineageTable.tableName,
      BUILD_PROJECT: build.project.projectName,
      TOPIC_ARN: topics.teamTopic.topicArn,
      WEBHOOK_SECRET_ARN: stores.webhookSecret.secretArn,
    };
    const specs = functionSpecs(maxConcurrentBuilds);
    const fleet = new PipelineFunctions(this, 'Functions', {
      specs,
      environment,
      projectRoot,
      alarmAction: topics.alarmAction,
      ...(props.runtime ? { runtime: props.runtime } : {}),
    });

    // Rules: the shared ones, then the forwarded CodeBuild outcomes.
    for (const deployed of deployedRules()) {
      const queue = fleet.queues[deployed.consumer];
      if (!queue) throw new Error(`rule ${deployed.rule.name}: ${deployed.consumer} has no queue`);
      bus.deliver(
        `Rule${pascal(deployed.rule.name)}`,
        { description: deployed.rule.description, pattern: deployed.pattern },
        queue.queue,
      );
    }
    const buildOutcome = {
      source: ['aws.codebuild'],
      'detail-type': ['CodeBuild Build State Change'],
      detail: {
        'project-name': [build.project.projectName],
        'build-status': [...FINAL_BUILD_STATUSES],
      },
    };
    bus.forward('ForwardBuildOutcomes', {
      description: `${name}: forward the build project's final states from the default bus`,
      pattern: buildOutcome,
    });
    bus.deliver(
      'RuleBuildOutcomes',
      {
        description: "Relay each finished build's events, or its failure (never on replay).",
        pattern: deployedPattern(buildOutcome),
      },
      fleet.queues.buildState!.queue,
    );

    this.stores = stores;
    this.topics = topics;
    this.events = bus;
    this.build = build;
    this.imageRegistry = imageRegistry;
    this.fleet = fleet;
    this.key = stores.key;
    this.snapshotBucket = stores.snapshotBucket;
    this.logBucket = stores.logBucket;
    this.accessLogBucket = stores.accessLogBucket;
    this.lineageTable = stores.lineageTable;
    this.idempotencyTable = stores.idempotencyTable;
    this.policyParameter = stores.policyParameter;
    this.webhookSecret = stores.webhookSecret;
    this.teamTopic = topics.teamTopic;
    this.alarmTopic = topics.alarmTopic;
    this.bus = bus.bus;
    this.archive = bus.archive;
    this.ruleDeadLetters = bus.ruleDeadLetters;
    this.buildRole = build.role;
    this.buildProject = build.project;
    this.reportGroup = build.reportGroup;
    this.cliAsset = build.cliAsset;
    this.repositoryTemplate = imageRegistry.repositoryTemplate;
    this.functions = fleet.functions;
    this.queues = fleet.queues;

    // Before the grants: cdk-nag acknowledgements name resources by the logical ids they resolve to.
    this.keepLogicalIds();
    this.grantBuild();
    this.grantFunctions(specs);

    for (const statement of busPolicyStatements({
      busArn: this.bus.eventBusArn,
      opsPrincipalArns: props.opsPrincipalArns,
      pipelineRoleArns: Object.values(this.functions).map((f) => f.roleArn),
    })) {
      this.bus.addToResourcePolicy(statement);
    }

    // Function URLs.
    this.webhookUrl = this.functions.webhook.function.addFunctionUrl({
      // GitHub and GitLab cannot sign AWS requests; the handler verifies the HMAC / token and answers 401.
      authType: FUNCTION_URL_AUTH.webhook,
    });
    this.submitUrl = this.functions.submit.function.addFunctionUrl({ authType: FUNCTION_URL_AUTH.submit });
    for (const arn of props.submitPrincipalArns ?? []) {
      this.submitUrl.grantInvokeUrl(new iam.ArnPrincipal(arn));
    }
    // Again for what was added since: bus, queue, bucket and topic policies, permissions, URLs.
    this.keepLogicalIds();
  }

  /**
   * Keeps every logical id the stack had before it was split into constructs (when all of them were children
   * of the pipeline). CloudFormation replaces a resource whose logical id changes: a RETAIN bucket or table
   * would be orphaned and an empty one created, a replaced bucket, queue or bus policy would delete the
   * statements of its successor, and a function's log group would be dropped.
   */
  private keepLogicalIds(): void {
    keepLogicalIds(this, [this.stores, this.topics, this.events, this.build, this.imageRegistry, this.fleet]);
  }

  private grantBuild(): void {
    const role = this.buildRole;
    const cli = this.cliAsset;
    allow(role, {
      sid: 'ReadTheCli',
      actions: ['s3:GetObject'],
      resources: [cli.bucket.arnForObjects(cli.s3ObjectKey)],
    });
    allow(role, {
      sid: 'ReadContextsAndRequests',
      actions: ['s3:GetObject'],
      resources: [snapshotObjects(this.snapshotBucket, 'contexts'), this.buildObjects(BUILD_REQUEST_FILE)],
      wildcardReason:
        'Contexts and build requests are keyed per build; each build reads the keys its StartBuild names.',
    });
    allow(role, {
      sid: 'WriteBuildEvents',
      actions: ['s3:PutObject'],
      resources: [this.buildObjects(BUILD_EVENTS_FILE)],
      wildcardReason: 'Each build writes the events its steps published under its own build id.',
    });
    allow(role, {
      sid: 'WriteBuildLogs',
      actions: ['s3:PutObject'],
      resources: [this.logBucket.arnForObjects(`${BUILD_LOG_PREFIX}*`)],
      wildcardReason: 'CodeBuild names each log object after the build id.',
    });
    allow(role, {
      sid: 'ReportImageTests',
      actions: ['codebuild:CreateReport', 'codebuild:UpdateReport', 'codebuild:BatchPutTestCases'],
      resources: [this.reportGroup.reportGroupArn],
    });
    allow(role, {
      sid: 'RegistryLogin',
      actions: ['ecr:GetAuthorizationToken'],
      resources: ['*'],
      wildcardReason: 'ecr:GetAuthorizationToken supports no resource-level permissions.',
    });
    allow(role, {
      sid: 'PullBasesPushImages',
      actions: [
        'ecr:CreateRepository',
        'ecr:BatchCheckLayerAvailability',
        'ecr:GetDownloadUrlForLayer',
        'ecr:BatchGetImage',
        'ecr:DescribeImages',
        'ecr:InitiateLayerUpload',
        'ecr:UploadLayerPart',
        'ecr:CompleteLayerUpload',
        'ecr:PutImage',
      ],
      resources: [this.repositoryArns()],
      wildcardReason:
        'One repository per definition, created on its first push from the template; all live under the pipeline prefix.',
    });
    // What aws-codebuild's Project adds by itself: its default log group (unused: logs go to our group) and
    // the data-key actions of its encryption key.
    acknowledgeWildcardResource(
      role,
      `${Stack.of(this).formatArn({
        service: 'logs',
        resource: 'log-group',
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        resourceName: `/aws/codebuild/${this.buildProject.projectName}`,
      })}:*`,
      "CDK's Project always grants its default log group /aws/codebuild/<project>; log streams are named per build.",
    );
    for (const action of ['kms:ReEncrypt*', 'kms:GenerateDataKey*']) {
      acknowledgeWildcardAction(
        role,
        action,
        "CDK's Project grants these data-key actions on the project's own encryption key only.",
      );
    }
  }

  private grantFunctions(specs: ReturnType<typeof functionSpecs>): void {
    const f = this.functions;
    const resources: PortResources = {
      busArn: this.bus.eventBusArn,
      policyParameterArn: this.policyParameter.parameterArn,
      snapshotBucket: this.snapshotBucket,
      lineageTableArn: this.lineageTable.tableArn,
      teamTopicArn: this.teamTopic.topicArn,
      keyArn: this.key.keyArn,
    };
    for (const [fnName, fn] of Object.entries(f) as [FunctionName, PipelineFunction][]) {
      const spec = specs[fnName];
      allow(fn.role, {
        sid: 'Idempotency',
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
        resources: [this.idempotencyTable.tableArn],
      });
      // A step function gets the grants of its step's ports; an AWS-only function its bus grant and the
      // explicit ones below.
      const ports = spec.ports.length > 0 ? spec.ports : (['bus'] as const);
      for (const statement of portGrants(ports, resources, spec)) allow(fn.role, statement);
    }

    // webhook and submit fetch the pushed definitions and contexts from GitHub/GitLab into the snapshot bucket.
    for (const fn of [f.webhook, f.submit]) {
      allow(fn.role, {
        sid: 'ReadProviderSecrets',
        actions: ['secretsmanager:GetSecretValue'],
        resources: [this.webhookSecret.secretArn],
      });
      allow(fn.role, {
        sid: 'WriteSnapshots',
        actions: ['s3:PutObject'],
        resources: [snapshotObjects(this.snapshotBucket, 'contexts')],
        wildcardReason: 'Snapshots are keyed per repository and commit, under contexts/.',
      });
    }

    allow(f.buildStarter.role, {
      sid: 'StartBuilds',
      actions: ['codebuild:StartBuild'],
      resources: [this.buildProject.projectArn],
    });
    allow(f.buildStarter.role, {
      sid: 'WriteBuildRequests',
      actions: ['s3:PutObject'],
      resources: [this.buildObjects(BUILD_REQUEST_FILE)],
      wildcardReason: 'The Build Requested event each build runs is keyed by its build id, under builds/.',
    });

    allow(f.buildState.role, {
      sid: 'ReadBuilds',
      actions: ['codebuild:BatchGetBuilds'],
      resources: [this.buildProject.projectArn],
    });
    allow(f.buildState.role, {
      sid: 'ReadBuildEvents',
      actions: ['s3:GetObject'],
      // The request names the build's subject, which every relayed event must match.
      resources: [this.buildObjects(BUILD_REQUEST_FILE), this.buildObjects(BUILD_EVENTS_FILE)],
      wildcardReason: 'Each build has its request and the events its steps published under its own build id.',
    });
    // A build that stopped before its steps ran uploads no events: only with s3:ListBucket does S3 answer that
    // with NoSuchKey (a build failure to report) instead of AccessDenied (retried until dead-lettered). As for
    // the gate, a prefix condition would not apply to the GetObject.
    allow(f.buildState.role, {
      sid: 'ListBuildEvents',
      actions: ['s3:ListBucket'],
      resources: [this.snapshotBucket.bucketArn],
    });
    allow(f.buildState.role, {
      sid: 'ReadBuildLogs',
      actions: ['s3:GetObject'],
      resources: [this.logBucket.arnForObjects(`${BUILD_LOG_PREFIX}*`)],
      wildcardReason: 'CodeBuild names each log object after the build; the failure event carries its tail.',
    });
    allow(f.buildState.role, {
      sid: 'ListBuildLogs',
      actions: ['s3:ListBucket'],
      resources: [this.logBucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': [`${BUILD_LOG_PREFIX}*`] } },
    });
    // CodeBuild encrypts the S3 logs with the project's key.
    allow(f.buildState.role, {
      sid: 'DecryptBuildLogs',
      actions: ['kms:Decrypt'],
      resources: [this.key.keyArn],
    });
  }

  /** The ARN pattern of one file of every build under `builds/` of the snapshot bucket. */
  private buildObjects(file: typeof BUILD_REQUEST_FILE | typeof BUILD_EVENTS_FILE): string {
    return this.snapshotBucket.arnForObjects(`${BUILDS_PREFIX}*/${file}`);
  }

  /** The ARN pattern of every repository under the pipeline's prefix. */
  private repositoryArns(): string {
    return Stack.of(this).formatArn({
      service: 'ecr',
      resource: 'repository',
      resourceName: `${this.repositoryPrefix}/*`,
    });
  }
}

function pascal(text: string): string {
  return text
    .replace(/(^|[-_\s]+)([a-z])/g, (_, __, c: string) => c.toUpperCase())
    .replace(/^[a-z]/, (c) => c.toUpperCase());
}
