import { Duration } from 'aws-cdk-lib';
import { BUILD_FAILED, DEFINITION_PUSHED, type DetailType } from '../core/events/index.js';
import { STEP_DECLARATIONS } from '../core/steps/declarations.js';
// The environment each function reads, as the Lambda entries read it: one table, used by both (data only: the
// CDK app loads no adapter).
import {
  AWS_ONLY_FUNCTION_ENV,
  type AwsPortName,
  PORT_ENV,
  STEP_FUNCTIONS,
  type StepFunctionName,
  stepFunctionEnv,
  TARGET_ROUTES,
} from '../lambdas/shared/deployment.js';
import type { EnvName } from '../lambdas/shared/env.js';

/** How a queue-fed function consumes its queue. */
export interface QueueSettings {
  /** Messages per invocation. */
  readonly batchSize: number;
  /** Receives before a message moves to the dead-letter queue. */
  readonly maxReceiveCount: number;
  /** Invocations the event source mapping runs at once (at least 2). */
  readonly maxConcurrency: number;
}

/** The sizing of one function and of the queue it consumes. */
export interface FunctionSettings {
  readonly timeout: Duration;
  readonly memorySize: number;
}

/** Everything the stack needs to deploy one function. */
export interface FunctionSpec extends FunctionSettings {
  /** The CDK id of the function (and, with `Queue`, of its queue). */
  readonly constructId: string;
  /** The handler module, relative to the repository root. */
  readonly entry: string;
  readonly description: string;
  /** The environment variables it reads (`IDEMPOTENCY_TABLE` included); every function also gets `POWERTOOLS_*`. */
  readonly env: readonly EnvName[];
  /** The detail-types it may put on the bus: its `events:PutEvents` condition. */
  readonly emits: readonly DetailType[];
  /** The ports of its step, whose grants it gets (`infra/port-grants.ts`); AWS-only functions have explicit grants. */
  readonly ports: readonly AwsPortName[];
  /** Its queue; none for functions invoked through a URL. */
  readonly queue?: QueueSettings;
}

/** The per-step sizing of the step functions; everything else about them comes from the step registry. */
export const STEP_FUNCTION_SETTINGS = {
  gate: {
    timeout: Duration.seconds(60),
    memorySize: 1024,
    queue: { batchSize: 5, maxReceiveCount: 5, maxConcurrency: 5 },
  },
  lineage: {
    timeout: Duration.seconds(30),
    memorySize: 512,
    queue: { batchSize: 5, maxReceiveCount: 5, maxConcurrency: 5 },
  },
  notify: {
    timeout: Duration.seconds(30),
    memorySize: 512,
    queue: { batchSize: 10, maxReceiveCount: 5, maxConcurrency: 5 },
  },
} as const satisfies Record<StepFunctionName, FunctionSettings & { queue: QueueSettings }>;

/** The functions that serve AWS only (webhooks, submit, and the two halves of a CodeBuild build). */
export type AwsOnlyFunctionName = 'webhook' | 'submit' | 'buildStarter' | 'buildState';

/** Every function of the deployed pipeline. */
export type FunctionName = StepFunctionName | AwsOnlyFunctionName;

/** The step function of a registry step: entry, description, emits and environment come from the step. */
export function stepFunctionSpec(name: StepFunctionName): FunctionSpec {
  const step = STEP_DECLARATIONS[name];
  const ports = step.ports.filter((p): p is AwsPortName => p in PORT_ENV);
  if (ports.length !== step.ports.length) {
    throw new Error(`step ${name} needs ports AWS cannot assemble: ${step.ports.join(', ')}`);
  }
  return {
    constructId: TARGET_ROUTES[name].constructId,
    entry: `lambdas/steps/${name}.ts`,
    description: step.description,
    env: stepFunctionEnv({ ports }),
    emits: step.emits,
    ports,
    ...STEP_FUNCTION_SETTINGS[name],
  };
}

/** What the steps of the CodeBuild build may emit: the build-state function relays exactly these. */
export function codebuildEmits(): DetailType[] {
  const emitted = TARGET_ROUTES.build.steps.flatMap((name) => STEP_DECLARATIONS[name].emits);
  return [...new Set(emitted)];
}

/** The AWS-only functions; `maxConcurrentBuilds` caps the build starter's consumer. */
export function awsOnlyFunctionSpecs(maxConcurrentBuilds: number): Record<AwsOnlyFunctionName, FunctionSpec> {
  return {
    webhook: {
      constructId: 'Webhook',
      entry: 'lambdas/webhook.ts',
      description: 'Verifies GitHub/GitLab webhooks, snapshots the definitions, puts Definition Pushed.',
      env: AWS_ONLY_FUNCTION_ENV.webhook,
      emits: [DEFINITION_PUSHED],
      ports: [],
      timeout: Duration.seconds(30),
      memorySize: 512,
    },
    submit: {
      constructId: 'Submit',
      entry: 'lambdas/submit.ts',
      description: 'drydock submit: a team CI asks for a build (IAM-authenticated).',
      env: AWS_ONLY_FUNCTION_ENV.submit,
      emits: [DEFINITION_PUSHED],
      ports: [],
      timeout: Duration.seconds(30),
      memorySize: 512,
    },
    buildStarter: {
      constructId: 'BuildStarter',
      entry: 'lambdas/build-starter.ts',
      description: 'Starts one CodeBuild build per Build Requested.',
      env: AWS_ONLY_FUNCTION_ENV['build-starter'],
      emits: [BUILD_FAILED],
      ports: [],
      timeout: Duration.seconds(30),
      memorySize: 512,
      // One request per invocation; the high receive count lets the starter wait out CodeBuild's concurrency cap
      // (AccountLimitExceeded is retried through the queue, not dropped). The consumer's cap keeps StartBuild
      // calls within the project's concurrent-build limit.
      queue: {
        batchSize: 1,
        maxReceiveCount: 30,
        maxConcurrency: Math.max(2, Math.min(maxConcurrentBuilds, 1000)),
      },
    },
    buildState: {
      constructId: 'BuildState',
      entry: 'lambdas/build-state.ts',
      description: "Relays the events a finished CodeBuild build's steps published, or its failure.",
      env: AWS_ONLY_FUNCTION_ENV['build-state'],
      emits: codebuildEmits(),
      ports: [],
      timeout: Duration.seconds(60),
      memorySize: 512,
      queue: { batchSize: 5, maxReceiveCount: 5, maxConcurrency: 5 },
    },
  };
}

/** Every function of the deployed pipeline: the step functions from the registry, then the AWS-only ones. */
export function functionSpecs(maxConcurrentBuilds: number): Record<FunctionName, FunctionSpec> {
  const steps = Object.fromEntries(STEP_FUNCTIONS.map((name) => [name, stepFunctionSpec(name)])) as Record<
    StepFunctionName,
    FunctionSpec
  >;
  return { ...awsOnlyFunctionSpecs(maxConcurrentBuilds), ...steps };
}
