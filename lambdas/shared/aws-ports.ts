import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { CodeBuildClient } from '@aws-sdk/client-codebuild';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import { CodeBuildBuildStarter } from '../../adapters/aws/codebuild-build-starter.js';
import { CodeBuildBuildReader, factsFromEvent, withBuild } from '../../adapters/aws/codebuild-build-state.js';
import { DynamoDbLineageStore } from '../../adapters/aws/dynamodb-lineage-store.js';
import { EventBridgeEventBus } from '../../adapters/aws/eventbridge-event-bus.js';
import { lazy } from '../../adapters/aws/lazy.js';
import { capturePush } from '../../adapters/aws/push-snapshots.js';
import { S3BuildLogs } from '../../adapters/aws/s3-build-logs.js';
import { S3SnapshotStore } from '../../adapters/aws/s3-snapshot-store.js';
import { SnsNotifier } from '../../adapters/aws/sns-notifier.js';
import { QueueBackoff } from '../../adapters/aws/sqs-backoff.js';
import { SsmPolicySource } from '../../adapters/aws/ssm-policy-source.js';
import { BUILDKIT } from '../../core/dockerfile/builder-profile.js';
import type { DetailType } from '../../core/events/index.js';
import { systemClock } from '../../core/ports/clock.js';
import type { Step } from '../../core/steps/step.js';
import type { PublishedEvents, StepPorts } from '../../core/steps/step-ports.js';
import type { BuildStarterDeps } from '../handlers/build-starter.js';
import type { BuildStateDeps } from '../handlers/build-state.js';
import type { SubmitDeps } from '../handlers/submit.js';
import type { WebhookDeps } from '../handlers/webhook.js';
import { providerAccess, traced } from './aws.js';
import { type AwsPortName, PORT_ENV, type StepFunctionName } from './deployment.js';
import { type EnvName, readEnv } from './env.js';
import { type Observability, observability } from './observability.js';
import type { StepHandlerDeps } from './step-function.js';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The variables each function that is not a step reads, besides those of its ports: the one table of their
 * environment (the stack sets it, the entry tests check each is required).
 */
export const AWS_ONLY_FUNCTION_ENV = {
  webhook: ['BUS_NAME', 'SNAPSHOT_BUCKET', 'IDEMPOTENCY_TABLE', 'WEBHOOK_SECRET_ARN'],
  submit: ['BUS_NAME', 'SNAPSHOT_BUCKET', 'IDEMPOTENCY_TABLE', 'WEBHOOK_SECRET_ARN'],
  'build-starter': ['BUS_NAME', 'BUILD_PROJECT', 'SNAPSHOT_BUCKET', 'IDEMPOTENCY_TABLE'],
  'build-state': ['BUS_NAME', 'SNAPSHOT_BUCKET', 'LOG_BUCKET', 'IDEMPOTENCY_TABLE'],
} as const satisfies Record<string, readonly EnvName[]>;

/** A function the AWS deployment runs that is not a step of the registry. */
export type AwsOnlyFunctionName = keyof typeof AWS_ONLY_FUNCTION_ENV;

/** The variables a step function reads: those of its step's ports, and the idempotency table. */
export function stepFunctionEnv(step: { readonly ports: readonly AwsPortName[] }): EnvName[] {
  return [...new Set<EnvName>([...step.ports.flatMap((p) => PORT_ENV[p]), 'IDEMPOTENCY_TABLE'])];
}

// One SDK client of each kind per function, traced, made when a port first needs it.
interface AwsClients {
  readonly eventBridge: () => EventBridgeClient;
  readonly s3: () => S3Client;
  readonly ssm: () => SSMClient;
  readonly dynamoDb: () => DynamoDBClient;
  readonly sns: () => SNSClient;
  readonly codeBuild: () => CodeBuildClient;
}

const clientsOf = new WeakMap<Observability, AwsClients>();

function awsClients(obs: Observability): AwsClients {
  let clients = clientsOf.get(obs);
  if (!clients) {
    const once = <C>(make: () => C) => {
      let made: C | undefined;
      return () => {
        made ??= traced(obs, make());
        return made;
      };
    };
    clients = {
      eventBridge: once(() => new EventBridgeClient({})),
      s3: once(() => new S3Client({})),
      ssm: once(() => new SSMClient({})),
      dynamoDb: once(() => new DynamoDBClient({})),
      sns: once(() => new SNSClient({})),
      codeBuild: once(() => new CodeBuildClient({})),
    };
    clientsOf.set(obs, clients);
  }
  return clients;
}

// On AWS, Powertools idempotency keeps a redelivered record from running again, so no event counts as published.
const NEVER_PUBLISHED: PublishedEvents = { has: async () => false };

/**
 * The AWS adapters of the named ports, the only place they are assembled: each reads only its own variables
 * (`PORT_ENV`; every bad one is named at once) and shares one traced SDK client per service.
 */
export function awsPorts<const N extends AwsPortName>(
  names: readonly N[],
  obs: Observability,
  env: Env = process.env,
): Pick<StepPorts, N> {
  const vars: Partial<Record<EnvName, string>> = readEnv(
    obs.service,
    [...new Set(names.flatMap((n) => PORT_ENV[n] as readonly EnvName[]))],
    env,
  );
  const need = (name: EnvName) => vars[name] as string;
  const clients = awsClients(obs);
  const make: { readonly [K in AwsPortName]: () => StepPorts[K] } = {
    bus: () => new EventBridgeEventBus({ client: clients.eventBridge(), busName: need('BUS_NAME') }),
    clock: () => systemClock,
    policy: () => {
      const source = new SsmPolicySource({ client: clients.ssm(), parameterName: need('POLICY_PARAMETER') });
      return () => source.policy();
    },
    source: () => snapshotStore(obs, need('SNAPSHOT_BUCKET')),
    // CodeBuild builds with BuildKit: the gate refuses what BuildKit would read differently.
    gateSettings: () => ({ builders: [BUILDKIT] }),
    publishedEvents: () => NEVER_PUBLISHED,
    lineage: () => new DynamoDbLineageStore({ client: clients.dynamoDb(), tableName: need('LINEAGE_TABLE') }),
    notifier: () => new SnsNotifier(clients.sns(), need('TOPIC_ARN')),
  };
  return Object.fromEntries(names.map((n) => [n, make[n]()])) as unknown as Pick<StepPorts, N>;
}

function snapshotStore(obs: Observability, bucket: string): S3SnapshotStore {
  return new S3SnapshotStore({ client: awsClients(obs).s3(), bucket });
}

function idempotencyOf(obs: Observability, tableName: string) {
  return {
    persistenceStore: new DynamoDBPersistenceLayer({ tableName, awsSdkV3Client: awsClients(obs).dynamoDb() }),
  };
}

// The SQS client only failures need: loaded on the first retryable failure, not at init.
function backoffOf(obs: Observability): QueueBackoff {
  return new QueueBackoff({
    client: lazy(async () => traced(obs, new (await import('@aws-sdk/client-sqs')).SQSClient({}))),
  });
}

/** Everything the Lambda of a step function needs, from its environment (`stepFunctionEnv`). */
export function awsStepDeps<N extends StepFunctionName, P extends AwsPortName>(
  step: Step<N, DetailType, P>,
  env: Env = process.env,
): StepHandlerDeps<P> {
  const obs = observability(step.name);
  const vars = readEnv(step.name, stepFunctionEnv(step), env) as Partial<Record<EnvName, string>>;
  return {
    obs,
    ports: awsPorts(step.ports, obs, env),
    idempotency: idempotencyOf(obs, vars.IDEMPOTENCY_TABLE as string),
    backoff: backoffOf(obs),
  };
}

function pushFunction(name: 'webhook' | 'submit', env: Env) {
  const obs = observability(name);
  const vars = readEnv(name, AWS_ONLY_FUNCTION_ENV[name], env);
  const access = providerAccess(obs, vars.WEBHOOK_SECRET_ARN);
  const { bus } = awsPorts(['bus'], obs, env);
  const store = snapshotStore(obs, vars.SNAPSHOT_BUCKET);
  return {
    obs,
    access,
    bus,
    capture: (push: Parameters<typeof capturePush>[0]) =>
      capturePush(push, { providers: access.providers, store, clock: systemClock }),
    idempotency: idempotencyOf(obs, vars.IDEMPOTENCY_TABLE),
  };
}

/** What the webhook receiver needs, from its environment. */
export function webhookDeps(env: Env = process.env): WebhookDeps {
  const { obs, access, bus, capture, idempotency } = pushFunction('webhook', env);
  return { obs, secrets: access.secrets, capture, bus, idempotency };
}

/** What the submit endpoint needs, from its environment. */
export function submitDeps(env: Env = process.env): SubmitDeps {
  const { obs, bus, capture, idempotency } = pushFunction('submit', env);
  return { obs, capture, bus, idempotency };
}

/** What the build starter needs, from its environment. */
export function buildStarterDeps(env: Env = process.env): BuildStarterDeps {
  const obs = observability('build-starter');
  const vars = readEnv('build-starter', AWS_ONLY_FUNCTION_ENV['build-starter'], env);
  const { bus, clock } = awsPorts(['bus', 'clock'], obs, env);
  return {
    obs,
    requests: snapshotStore(obs, vars.SNAPSHOT_BUCKET),
    builds: new CodeBuildBuildStarter(awsClients(obs).codeBuild(), vars.BUILD_PROJECT),
    bus,
    clock,
    idempotency: idempotencyOf(obs, vars.IDEMPOTENCY_TABLE),
    backoff: backoffOf(obs),
  };
}

/** What the build-state function needs, from its environment. */
export function buildStateDeps(env: Env = process.env): BuildStateDeps {
  const obs = observability('build-state');
  const vars = readEnv('build-state', AWS_ONLY_FUNCTION_ENV['build-state'], env);
  const { bus, clock } = awsPorts(['bus', 'clock'], obs, env);
  const snapshots = snapshotStore(obs, vars.SNAPSHOT_BUCKET);
  const reader = new CodeBuildBuildReader(awsClients(obs).codeBuild());
  const logs = new S3BuildLogs({ client: () => awsClients(obs).s3(), bucket: vars.LOG_BUCKET });
  return {
    obs,
    bus,
    clock,
    builds: {
      facts: async (detail) => withBuild(factsFromEvent(detail), await reader.get(detail['build-id'])),
      request: (buildId) => snapshots.buildRequest(buildId),
      events: (buildId, maxBytes) => snapshots.buildEvents(buildId, maxBytes),
      logTail: (arn) => logs.tail(arn),
    },
    idempotency: idempotencyOf(obs, vars.IDEMPOTENCY_TABLE),
    backoff: backoffOf(obs),
  };
}
