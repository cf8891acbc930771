import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ArnFormat, Aws, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { parse } from 'yaml';
// The key schemes and prefixes the adapters use: the stack grants exactly these.
import { BUILD_LOG_PREFIX } from '../adapters/aws/build-contract.js';
import { IDEMPOTENCY_TABLE_KEYS, LINEAGE_TABLE_KEYS } from '../adapters/aws/lineage-keys.js';
import { SNAPSHOT_PREFIXES } from '../adapters/aws/s3-snapshot-store.js';
import {
  BUILD_FAILED,
  BUILD_REQUESTED,
  DEFINITION_PUSHED,
  DEFINITION_VERDICT,
  type DetailType,
  EVENT_SOURCE,
  IMAGE_PUBLISHED,
} from '../core/events/index.js';
import { DEFAULT_ENFORCED_RULES } from '../core/policy/default-enforced.js';
import { PipelineFunction } from './constructs/pipeline-function.js';
import { WorkQueue } from './constructs/work-queue.js';
import { acknowledgeWildcardAction, acknowledgeWildcardResource, allow } from './nag.js';
import { busPolicyStatements, repositoryPolicy } from './policies.js';
import { deployedPattern, deployedRules, type PipelineFunctionName } from './rule-targets.js';

/** The buildspec's report key that the stack points at its JUnit report group. */
export const IMAGE_TESTS_REPORT = 'image-tests';

/** The key of the generated webhook secret in the provider secrets JSON (adapters/aws/provider-secrets.ts). */
export const WEBHOOK_SECRET_KEY = 'webhookSecret';

/** The environment the project gives every build; StartBuild adds the per-build variables. */
export const BUILD_PROJECT_VARIABLES = [
  'ECR_REGISTRY',
  'SNAPSHOT_BUCKET',
  'REPOSITORY_PREFIX',
  'DRYDOCK_CLI_URL',
  'DRYDOCK_BUILD_TIMEOUT_SECONDS',
] as const;

/**
 * A minimal valid policy document: whitelists nothing, so every base is denied until ops write the policy, and
 * enforces every security rule, as the local first start does.
 */
export const INITIAL_POLICY = `# drydock base-image policy (ops-owned). Replace this with your policy; see docs/aws.md.
version: 1
allowed: []
# Security rules no team config, pragma or override can silence.
gate:
  failureThreshold: warning
  enforce: [${DEFAULT_ENFORCED_RULES.join(', ')}]
`;

/** The CodeBuild Build State Change statuses that end a build. */
export const FINAL_BUILD_STATUSES = ['SUCCEEDED', 'FAILED', 'FAULT', 'STOPPED', 'TIMED_OUT'] as const;

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
  /** Time limit of one build, tests and push included. @default Duration.minutes(60) */
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

interface FunctionSpec {
  readonly entry: string;
  readonly description: string;
  readonly timeout: Duration;
  readonly memorySize: number;
  /** The detail-types the function puts on the bus; its identity policy allows these only. */
  readonly emits: readonly DetailType[];
}

const FUNCTIONS: Record<PipelineFunctionName, FunctionSpec> = {
  webhook: {
    entry: 'lambdas/webhook.ts',
    description: 'Verifies GitHub/GitLab webhooks, snapshots the definitions, puts Definition Pushed.',
    timeout: Duration.seconds(30),
    memorySize: 512,
    emits: [DEFINITION_PUSHED],
  },
  submit: {
    entry: 'lambdas/submit.ts',
    description: 'drydock submit: a team CI asks for a build (IAM-authenticated).',
    timeout: Duration.seconds(30),
    memorySize: 512,
    emits: [DEFINITION_PUSHED],
  },
  gate: {
    entry: 'lambdas/gate.ts',
    description: 'Lints and policy-checks pushed definitions; puts verdicts and Build Requested.',
    timeout: Duration.seconds(60),
    memorySize: 1024,
    emits: [DEFINITION_VERDICT, BUILD_REQUESTED],
  },
  buildStarter: {
    entry: 'lambdas/build-starter.ts',
    description: 'Starts one CodeBuild build per Build Requested.',
    timeout: Duration.seconds(30),
    memorySize: 512,
    emits: [BUILD_FAILED],
  },
  buildState: {
    entry: 'lambdas/build-state.ts',
    description: 'Turns CodeBuild build outcomes into drydock events and records lineage.',
    timeout: Duration.seconds(60),
    memorySize: 512,
    // A failed test fails the build (DRYDOCK_STAGE=test): Build Failed, never Image Tested or Build Completed.
    emits: [BUILD_FAILED, IMAGE_PUBLISHED],
  },
  notifier: {
    entry: 'lambdas/notifier.ts',
    description: 'Tells teams about failed verdicts, builds and tests.',
    timeout: Duration.seconds(30),
    memorySize: 512,
    emits: [],
  },
};

/** The queue-fed functions: their batch size, how many run at once, and receives before dead-lettering. */
const CONSUMERS: Partial<Record<PipelineFunctionName, { batchSize: number; maxReceiveCount: number }>> = {
  gate: { batchSize: 5, maxReceiveCount: 5 },
  // One request per invocation; the high receive count lets the starter wait out CodeBuild's concurrency cap
  // (AccountLimitExceeded is retried through the queue, not dropped).
  buildStarter: { batchSize: 1, maxReceiveCount: 30 },
  buildState: { batchSize: 5, maxReceiveCount: 5 },
  notifier: { batchSize: 10, maxReceiveCount: 5 },
};

/**
 * The deployed drydock push flow: an EventBridge bus whose rules come from the shared `EVENT_RULES`, SQS work
 * queues with dead-letter queues and alarms, one Lambda per step, a CodeBuild project that builds, tests and
 * pushes, an ECR registry prefix that only the build role can write to, and the stores behind them.
 */
export class DrydockPipeline extends Construct {
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
  readonly functions: Record<PipelineFunctionName, PipelineFunction>;
  readonly queues: Partial<Record<PipelineFunctionName, WorkQueue>>;
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
    const stack = Stack.of(this);
    this.repositoryPrefix = props.repositoryPrefix ?? name;
    this.registry = `${Aws.ACCOUNT_ID}.dkr.ecr.${Aws.REGION}.${Aws.URL_SUFFIX}`;
    const maxConcurrentBuilds = props.maxConcurrentBuilds ?? 4;
    const buildTimeout = props.buildTimeout ?? Duration.minutes(60);

    // Keys, topics, buckets, tables, parameter, secret.
    this.key = new kms.Key(this, 'Key', {
      description: `${name}: SNS topics and CodeBuild output`,
      enableKeyRotation: true,
    });
    // CloudWatch alarms publish to the encrypted alarm topic.
    this.key.grant(
      new iam.ServicePrincipal('cloudwatch.amazonaws.com'),
      'kms:Decrypt',
      'kms:GenerateDataKey',
    );
    this.teamTopic = new sns.Topic(this, 'TeamNotifications', {
      displayName: `${name}: verdicts, failed builds and failed tests`,
      masterKey: this.key,
      enforceSSL: true,
    });
    this.alarmTopic = new sns.Topic(this, 'OpsAlarms', {
      displayName: `${name}: dead-lettered messages`,
      masterKey: this.key,
      enforceSSL: true,
    });
    const alarmAction = new cloudwatchActions.SnsAction(this.alarmTopic);

    this.accessLogBucket = new s3.Bucket(this, 'AccessLogs', {
      ...privateBucket(),
      lifecycleRules: [{ expiration: Duration.days(365) }],
    });
    Validations.of(this.accessLogBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This bucket receives the server access logs of the other buckets; logging it into itself would loop.',
    });
    this.snapshotBucket = new s3.Bucket(this, 'Snapshots', {
      ...privateBucket(),
      serverAccessLogsBucket: this.accessLogBucket,
      serverAccessLogsPrefix: 'snapshots/',
      lifecycleRules: [{ expiration: Duration.days(90) }],
    });
    this.logBucket = new s3.Bucket(this, 'BuildLogs', {
      ...privateBucket(),
      serverAccessLogsBucket: this.accessLogBucket,
      serverAccessLogsPrefix: 'build-logs/',
      lifecycleRules: [{ expiration: Duration.days(365) }],
    });

    this.lineageTable = new dynamodb.Table(this, 'Lineage', {
      partitionKey: { name: LINEAGE_TABLE_KEYS.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: LINEAGE_TABLE_KEYS.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.idempotencyTable = new dynamodb.Table(this, 'Idempotency', {
      partitionKey: { name: IDEMPOTENCY_TABLE_KEYS.partitionKey, type: dynamodb.AttributeType.STRING },
      timeToLiveAttribute: IDEMPOTENCY_TABLE_KEYS.ttlAttribute,
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.policyParameter = new ssm.StringParameter(this, 'Policy', {
      parameterName: props.policyParameterName ?? `/${name}/policy`,
      description: `${name} base-image policy (YAML); ops edit it, the gate reads it`,
      stringValue: INITIAL_POLICY,
      // Policies outgrow the 4 KB of a standard parameter; intelligent tiering switches to advanced when needed.
      tier: ssm.ParameterTier.INTELLIGENT_TIERING,
    });
    this.webhookSecret = new secretsmanager.Secret(this, 'WebhookSecret', {
      description: `${name}: webhook secret (GitHub HMAC key / GitLab token) and provider API tokens, as JSON`,
      // A random webhook secret for both providers; ops paste it into GitHub/GitLab and add API tokens beside it.
      generateSecretString: {
        secretStringTemplate: '{}',
        generateStringKey: WEBHOOK_SECRET_KEY,
        passwordLength: 48,
        excludePunctuation: true,
      },
    });
    Validations.of(this.webhookSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The webhook secret is shared with GitHub/GitLab, which cannot fetch it; rotation is a manual, coordinated change (docs/aws.md).',
    });

    // Bus, archive, rule dead letters.
    this.bus = new events.EventBus(this, 'Bus', { description: `${name}: drydock events` });
    this.archive = this.bus.archive('Archive', {
      description: `${name}: every drydock and forwarded CodeBuild event, for replay`,
      eventPattern: { source: [EVENT_SOURCE, 'aws.codebuild'] },
      retention: props.archiveRetention ?? Duration.days(90),
    });
    this.ruleDeadLetters = new WorkQueue(this, 'RuleDeadLetters', {
      purpose: 'events EventBridge could not deliver',
      visibilityTimeout: Duration.minutes(5),
      alarmAction,
    });
    // This queue is itself a dead-letter target; its own DLQ only catches messages someone receives and fails.

    // CodeBuild: role, report group, project.
    this.buildRole = new iam.Role(this, 'BuildRole', {
      assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com'),
      description: `${name}: the only principal that may push images`,
    });
    this.reportGroup = new codebuild.ReportGroup(this, 'ImageTests', {
      reportGroupName: `${name}-${IMAGE_TESTS_REPORT}`,
      type: codebuild.ReportGroupType.TEST,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // The CLI bundle is split (dist/drydock.mjs imports dist/chunks/…): ship the directory, zipped, without maps.
    const cli = new s3assets.Asset(this, 'Cli', { path: join(projectRoot, 'dist'), exclude: ['*.map'] });
    this.cliAsset = cli;
    const buildLogs = new logs.LogGroup(this, 'BuildLogGroup', {
      retention: logs.RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.buildProject = new codebuild.Project(this, 'ImageBuild', {
      description: `${name}: build, black-box test and push one definition`,
      role: this.buildRole,
      buildSpec: codebuild.BuildSpec.fromObjectToYaml(
        renderBuildSpec(join(projectRoot, 'buildspecs/build.yml'), this.reportGroup.reportGroupArn),
      ),
      environment: {
        buildImage: props.buildImage ?? codebuild.LinuxBuildImage.STANDARD_7_0,
        computeType: props.buildComputeType ?? codebuild.ComputeType.MEDIUM,
        // docker build needs the Docker daemon, which CodeBuild runs only in privileged mode.
        privileged: true,
        environmentVariables: {
          ECR_REGISTRY: { value: this.registry },
          SNAPSHOT_BUCKET: { value: this.snapshotBucket.bucketName },
          REPOSITORY_PREFIX: { value: this.repositoryPrefix },
          DRYDOCK_CLI_URL: { value: cli.s3ObjectUrl },
          // Leave the build's own limit ten minutes for the tests and the push.
          DRYDOCK_BUILD_TIMEOUT_SECONDS: { value: String(Math.max(60, buildTimeout.toSeconds() - 600)) },
        } satisfies Record<(typeof BUILD_PROJECT_VARIABLES)[number], codebuild.BuildEnvironmentVariable>,
      },
      timeout: buildTimeout,
      queuedTimeout: Duration.hours(8),
      concurrentBuildLimit: maxConcurrentBuilds,
      encryptionKey: this.key,
      grantReportGroupPermissions: false,
      logging: { cloudWatch: { logGroup: buildLogs } },
    });
    // S3 logs are set on the resource: the construct's own S3 logging grants write and delete on the bucket.
    (this.buildProject.node.defaultChild as codebuild.CfnProject).addPropertyOverride('LogsConfig.S3Logs', {
      Status: 'ENABLED',
      Location: `${this.logBucket.bucketName}/${BUILD_LOG_PREFIX.replace(/\/$/, '')}`,
    });
    Validations.of(this.buildProject).acknowledge({
      id: 'AwsSolutions-CB3',
      reason:
        'The build runs docker build, docker run and docker push, which need the Docker daemon of privileged mode.',
    });
    this.grantBuild(cli);

    // ECR: repositories are created on the build's first push, from this template.
    const writers = [this.buildRole.roleArn, ...(props.breakGlassRoleArn ? [props.breakGlassRoleArn] : [])];
    this.repositoryTemplate = new ecr.CfnRepositoryCreationTemplate(this, 'Repositories', {
      prefix: this.repositoryPrefix,
      description: `${name}: images only the pipeline pushes`,
      appliedFor: ['CREATE_ON_PUSH'],
      // Tags stay immutable except drydock's support-marker tags, which a ban or an unban replaces.
      imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
      imageTagMutabilityExclusionFilters: [
        {
          imageTagMutabilityExclusionFilterType: 'WILDCARD',
          imageTagMutabilityExclusionFilterValue: 'sha256-*.unsupported',
        },
      ],
      encryptionConfiguration: { encryptionType: 'AES256' },
      repositoryPolicy: stack.toJsonString(repositoryPolicy(writers).toJSON()),
      lifecyclePolicy: JSON.stringify(lifecyclePolicy(props.maxImagesPerRepository ?? 500)),
    });
    if (props.manageRegistryScanning ?? true) {
      new ecr.CfnRegistryScanningConfiguration(this, 'ScanOnPush', {
        scanType: 'BASIC',
        rules: [
          {
            scanFrequency: 'SCAN_ON_PUSH',
            repositoryFilters: [{ filter: `${this.repositoryPrefix}/*`, filterType: 'WILDCARD' }],
          },
        ],
      });
    }

    // Functions.
    const environment: Record<string, string> = {
      BUS_NAME: this.bus.eventBusName,
      POLICY_PARAMETER: this.policyParameter.parameterName,
      SNAPSHOT_BUCKET: this.snapshotBucket.bucketName,
      LOG_BUCKET: this.logBucket.bucketName,
      IDEMPOTENCY_TABLE: this.idempotencyTable.tableName,
      LINEAGE_TABLE: this.lineageTable.tableName,
      BUILD_PROJECT: this.buildProject.projectName,
      TOPIC_ARN: this.teamTopic.topicArn,
      WEBHOOK_SECRET_ARN: this.webhookSecret.secretArn,
      ECR_REGISTRY: this.registry,
      REPOSITORY_PREFIX: this.repositoryPrefix,
    };
    const fns: Partial<Record<PipelineFunctionName, PipelineFunction>> = {};
    for (const [fnName, spec] of Object.entries(FUNCTIONS) as [PipelineFunctionName, FunctionSpec][]) {
      fns[fnName] = new PipelineFunction(this, pascal(fnName), {
        entry: spec.entry,
        description: spec.description,
        projectRoot,
        environment,
        serviceName: kebab(fnName),
        metricsNamespace: 'drydock',
        timeout: spec.timeout,
        memorySize: spec.memorySize,
        ...(props.runtime ? { runtime: props.runtime } : {}),
      });
    }
    this.functions = fns as Record<PipelineFunctionName, PipelineFunction>;
    this.grantFunctions();

    // Queues and their consumers.
    const queues: Partial<Record<PipelineFunctionName, WorkQueue>> = {};
    for (const [fnName, consumer] of Object.entries(CONSUMERS) as [
      PipelineFunctionName,
      { batchSize: number; maxReceiveCount: number },
    ][]) {
      const fn = this.functions[fnName];
      const queue = new WorkQueue(this, `${pascal(fnName)}Queue`, {
        purpose: `the ${fnName} function`,
        visibilityTimeout: Duration.seconds(FUNCTIONS[fnName].timeout.toSeconds() * 6),
        maxReceiveCount: consumer.maxReceiveCount,
        alarmAction,
      });
      fn.function.addEventSource(
        new SqsEventSource(queue.queue, {
          batchSize: consumer.batchSize,
          reportBatchItemFailures: true,
          // The build starter's cap keeps StartBuild calls within the project's concurrent-build limit.
          maxConcurrency: fnName === 'buildStarter' ? Math.max(2, Math.min(maxConcurrentBuilds, 1000)) : 5,
        }),
      );
      queues[fnName] = queue;
    }
    this.queues = queues;

    // Rules: the shared ones, then the forwarded CodeBuild outcomes.
    for (const deployed of deployedRules()) {
      const queue = queues[deployed.consumer];
      if (!queue) throw new Error(`rule ${deployed.rule.name}: ${deployed.consumer} has no queue`);
      new events.Rule(this, `Rule${pascal(deployed.rule.name)}`, {
        eventBus: this.bus,
        description: deployed.rule.description,
        eventPattern: toCdkPattern(deployed.pattern),
        targets: [new targets.SqsQueue(queue.queue, { deadLetterQueue: this.ruleDeadLetters.queue })],
      });
    }
    const buildOutcome = {
      source: ['aws.codebuild'],
      'detail-type': ['CodeBuild Build State Change'],
      detail: {
        'project-name': [this.buildProject.projectName],
        'build-status': [...FINAL_BUILD_STATUSES],
      },
    };
    new events.Rule(this, 'ForwardBuildOutcomes', {
      description: `${name}: forward the build project's final states from the default bus`,
      eventPattern: toCdkPattern(buildOutcome),
      targets: [new targets.EventBus(this.bus, { deadLetterQueue: this.ruleDeadLetters.queue })],
    });
    new events.Rule(this, 'RuleBuildOutcomes', {
      eventBus: this.bus,
      description: 'Turn each finished build into drydock events and lineage (never on replay).',
      eventPattern: toCdkPattern(deployedPattern(buildOutcome)),
      targets: [
        new targets.SqsQueue(queues.buildState!.queue, { deadLetterQueue: this.ruleDeadLetters.queue }),
      ],
    });

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
  }

  private grantBuild(cli: s3assets.Asset): void {
    const role = this.buildRole;
    allow(role, {
      sid: 'ReadTheCli',
      actions: ['s3:GetObject'],
      resources: [cli.bucket.arnForObjects(cli.s3ObjectKey)],
    });
    allow(role, {
      sid: 'ReadContextsAndDockerfiles',
      actions: ['s3:GetObject'],
      resources: [this.snapshotObjects('contexts'), this.snapshotObjects('builds')],
      wildcardReason:
        'Contexts and Dockerfiles are keyed per build; each build reads the keys its StartBuild names.',
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

  private grantFunctions(): void {
    const f = this.functions;
    for (const [fnName, fn] of Object.entries(f) as [PipelineFunctionName, PipelineFunction][]) {
      allow(fn.role, {
        sid: 'Idempotency',
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
        resources: [this.idempotencyTable.tableArn],
      });
      const emits = FUNCTIONS[fnName].emits;
      if (emits.length > 0) {
        allow(fn.role, {
          sid: 'PutOwnEvents',
          actions: ['events:PutEvents'],
          resources: [this.bus.eventBusArn],
          conditions: { StringEquals: { 'events:source': EVENT_SOURCE, 'events:detail-type': [...emits] } },
        });
      }
    }
    const contexts = this.snapshotObjects('contexts');
    const perCommit = 'Snapshots are keyed per repository and commit, under contexts/.';

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
        resources: [contexts],
        wildcardReason: perCommit,
      });
    }

    allow(f.gate.role, {
      sid: 'ReadPolicy',
      actions: ['ssm:GetParameter'],
      resources: [this.policyParameter.parameterArn],
    });
    allow(f.gate.role, {
      sid: 'ReadDefinitions',
      actions: ['s3:GetObject'],
      resources: [contexts],
      wildcardReason: perCommit,
    });
    // Without s3:ListBucket a missing key answers AccessDenied, not NoSuchKey, and the gate looks up team
    // configurations that usually do not exist. No s3:prefix condition: a GetObject carries no prefix, so a
    // conditioned ListBucket would not turn its 403 into the 404 the gate needs.
    allow(f.gate.role, {
      sid: 'ListDefinitions',
      actions: ['s3:ListBucket'],
      resources: [this.snapshotBucket.bucketArn],
    });

    allow(f.buildStarter.role, {
      sid: 'StartBuilds',
      actions: ['codebuild:StartBuild'],
      resources: [this.buildProject.projectArn],
    });
    allow(f.buildStarter.role, {
      sid: 'WriteBuildDockerfiles',
      actions: ['s3:PutObject'],
      resources: [this.snapshotObjects('builds')],
      wildcardReason: 'The Dockerfile each build runs is keyed by its build id, under builds/.',
    });

    allow(f.buildState.role, {
      sid: 'ReadBuilds',
      actions: ['codebuild:BatchGetBuilds'],
      resources: [this.buildProject.projectArn],
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
    allow(f.buildState.role, {
      sid: 'RecordLineage',
      // TransactWriteItems is authorized per item (conditional PutItems); UpdateItem draws list sequence numbers.
      actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'],
      resources: [this.lineageTable.tableArn],
    });

    allow(f.notifier.role, {
      sid: 'NotifyTeams',
      actions: ['sns:Publish'],
      resources: [this.teamTopic.topicArn],
    });
    allow(f.notifier.role, {
      sid: 'EncryptNotifications',
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resources: [this.key.keyArn],
    });
  }

  private snapshotObjects(prefix: keyof typeof SNAPSHOT_PREFIXES): string {
    return this.snapshotBucket.arnForObjects(`${SNAPSHOT_PREFIXES[prefix]}*`);
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

/** How each function URL authenticates: the webhook verifies signatures itself, submit needs SigV4. */
export const FUNCTION_URL_AUTH = {
  webhook: lambda.FunctionUrlAuthType.NONE,
  submit: lambda.FunctionUrlAuthType.AWS_IAM,
} as const;

function privateBucket(): s3.BucketProps {
  return {
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    removalPolicy: RemovalPolicy.RETAIN,
  };
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

/** ECR lifecycle: drop untagged manifests after a week, and the oldest images beyond `keep`. */
export function lifecyclePolicy(keep: number) {
  return {
    rules: [
      {
        rulePriority: 1,
        description: 'Untagged manifests left by interrupted pushes',
        selection: {
          tagStatus: 'untagged',
          countType: 'sinceImagePushed',
          countUnit: 'days',
          countNumber: 7,
        },
        action: { type: 'expire' },
      },
      {
        rulePriority: 2,
        description: `Keep the newest ${keep} images per repository`,
        selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: keep },
        action: { type: 'expire' },
      },
    ],
  };
}

/** The CDK form of a pattern: CDK renders its own `detailType` key as `detail-type` and passes others through. */
export function toCdkPattern(pattern: object): events.EventPattern {
  return pattern as events.EventPattern;
}

function kebab(text: string): string {
  return text.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function pascal(text: string): string {
  return text
    .replace(/(^|[-_\s]+)([a-z])/g, (_, __, c: string) => c.toUpperCase())
    .replace(/^[a-z]/, (c) => c.toUpperCase());
}
