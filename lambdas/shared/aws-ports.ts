import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { CodeBuildClient } from '@aws-sdk/client-codebuild';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { lazy } from '../../adapters/aws/lazy.js';
import type { S3SnapshotStore } from '../../adapters/aws/s3-snapshot-store.js';
import { QueueBackoff } from '../../adapters/aws/sqs-backoff.js';
import { BUILDKIT } from '../../core/dockerfile/builder-profile.js';
import type { DetailType } from '../../core/events/index.js';
import { systemClock } from '../../core/ports/clock.js';
import type { Step } from '../../core/steps/step.js';
import type { PublishedEvents, StepPorts } from '../../core/steps/step-ports.js';
import type { BuildStarterDeps } from '../handlers/build-starter.js';
import type { BuildStateDeps } from '../handlers/build-state.js';
import type { SubmitDeps } from '../handlers/submit.js';
import type { WebhookDeps } from '../handlers/webhook.js';
import { type AwsPortName, PORT_ENV, type StepFunctionName } from './deployment.js';
import { type EnvName, readEnv } from './env.js';
import { type Observability, observability, traced } from './observability.js';
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

// One SDK client of each kind per function, traced. Each SDK package, like each adapter module, is loaded on first
// use (`import()`, a lazy module initialiser once bundled), so a function's cold start pays only for what it calls.
interface AwsClients {
  readonly eventBridge: () => Promise<EventBridgeClient>;
  readonly s3: () => Promise<S3Client>;
  readonly ssm: () => Promise<SSMClient>;
  readonly sns: () => Promise<SNSClient>;
  readonly codeBuild: () => Promise<CodeBuildClient>;
  /** Made at init: every function keeps its idempotency records in DynamoDB. */
  readonly dynamoDb: () => DynamoDBClient;
}

const clientsOf = new WeakMap<Observability, AwsClients>();

function awsClients(obs: Observability): AwsClients {
  let clients = clientsOf.get(obs);
  if (!clients) {
    const once = <C>(make: () => Promise<C>) => lazy(async () => traced(obs, await make()));
    let dynamoDb: DynamoDBClient | undefined;
    clients = {
      eventBridge: once(async () => new (await import('@aws-sdk/client-eventbridge')).EventBridgeClient({})),
      s3: once(async () => new (await import('@aws-sdk/client-s3')).S3Client({})),
      ssm: once(async () => new (await import('@aws-sdk/client-ssm')).SSMClient({})),
      sns: once(async () => new (await import('@aws-sdk/client-sns')).SNSClient({})),
      codeBuild: once(async () => new (await import('@aws-sdk/client-codebuild')).CodeBuildClient({})),
      dynamoDb: () => {
        dynamoDb ??= traced(obs, new DynamoDBClient({}));
        return dynamoDb;
      },
    };
    clientsOf.set(obs, clients);
  }
  return clients;
}

/**
 * A port whose adapter is made on the first call of any of its methods (all of which return promises); a load that
 * fails is tried again on the next call.
 */
function deferred<T extends object>(load: () => Promise<T>): T {
  let loading: Promise<T> | undefined;
  const get = () => {
    loading ??= load().catch((err: unknown) => {
      loading = undefined;
      throw err;
    });
    return loading;
  };
  return new Proxy({} as T, {
    get: (_target, method) =>
      // Not a thenable: `await port` must not call into the adapter.
      method === 'then'
        ? undefined
        : async (...args: unknown[]) => {
            const port = (await get()) as Record<PropertyKey, (...a: unknown[]) => unknown>;
            return port[method]!(...args);
          },
  });
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
    bus: () =>
      deferred(async () => {
        const { EventBridgeEventBus } = await import('../../adapters/aws/eventbridge-event-bus.js');
        return new EventBridgeEventBus({ client: await clients.eventBridge(), busName: need('BUS_NAME') });
      }),
    clock: () => systemClock,
    policy: () => {
      const source = deferred(async () => {
        const { SsmPolicySource } = await import('../../adapters/aws/ssm-policy-source.js');
        return new SsmPolicySource({ client: await clients.ssm(), parameterName: need('POLICY_PARAMETER') });
      });
      return () => source.policy();
    },
    source: () => snapshotStore(obs, need('SNAPSHOT_BUCKET')),
    // CodeBuild builds with BuildKit: the gate refuses what BuildKit would read differently.
    gateSettings: () => ({ builders: [BUILDKIT] }),
    publishedEvents: () => NEVER_PUBLISHED,
    lineage: () =>
      deferred(async () => {
        const { DynamoDbLineageStore } = await import('../../adapters/aws/dynamodb-lineage-store.js');
        return new DynamoDbLineageStore({ client: clients.dynamoDb(), tableName: need('LINEAGE_TABLE') });
      }),
    notifier: () =>
      deferred(async () => {
        const { SnsNotifier } = await import('../../adapters/aws/sns-notifier.js');
        return new SnsNotifier(await clients.sns(), need('TOPIC_ARN'));
      }),
  };
  return Object.fromEntries(names.map((n) => [n, make[n]()])) as unknown as Pick<StepPorts, N>;
}

function snapshotStore(obs: Observability, bucket: string): S3SnapshotStore {
  return deferred(async () => {
    const { S3SnapshotStore } = await import('../../adapters/aws/s3-snapshot-store.js');
    return new S3SnapshotStore({ client: await awsClients(obs).s3(), bucket });
  });
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
  const access = lazy(async () => (await import('./aws.js')).providerAccess(obs, vars.WEBHOOK_SECRET_ARN));
  const { bus } = awsPorts(['bus'], obs, env);
  const store = snapshotStore(obs, vars.SNAPSHOT_BUCKET);
  return {
    obs,
    secrets: async () => (await access()).secrets(),
    bus,
    capture: async (push: Parameters<WebhookDeps['capture']>[0]) => {
      const [{ capturePush }, { providers }] = await Promise.all([
        import('../../adapters/aws/push-snapshots.js'),
        access(),
      ]);
      return capturePush(push, { providers, store, clock: systemClock });
    },
    idempotency: idempotencyOf(obs, vars.IDEMPOTENCY_TABLE),
  };
}

/** What the webhook receiver needs, from its environment. */
export function webhookDeps(env: Env = process.env): WebhookDeps {
  const { obs, secrets, bus, capture, idempotency } = pushFunction('webhook', env);
  return { obs, secrets, capture, bus, idempotency };
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
    builds: deferred(async () => {
      const { CodeBuildBuildStarter } = await import('../../adapters/aws/codebuild-build-starter.js');
      return new CodeBuildBuildStarter(await awsClients(obs).codeBuild(), vars.BUILD_PROJECT);
    }),
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
  const adapters = lazy(async () => {
    const [{ CodeBuildBuildReader, factsFromEvent, withBuild }, { S3BuildLogs }] = await Promise.all([
      import('../../adapters/aws/codebuild-build-state.js'),
      import('../../adapters/aws/s3-build-logs.js'),
    ]);
    return {
      reader: new CodeBuildBuildReader(await awsClients(obs).codeBuild()),
      logs: new S3BuildLogs({ client: () => awsClients(obs).s3(), bucket: vars.LOG_BUCKET }),
      factsFromEvent,
      withBuild,
    };
  });
  return {
    obs,
    bus,
    clock,
    builds: {
      facts: async (detail) => {
        const { reader, factsFromEvent, withBuild } = await adapters();
        return withBuild(factsFromEvent(detail), await reader.get(detail['build-id']));
      },
      request: (buildId) => snapshots.buildRequest(buildId),
      events: (buildId, maxBytes) => snapshots.buildEvents(buildId, maxBytes),
      logTail: async (arn) => (await adapters()).logs.tail(arn),
    },
    idempotency: idempotencyOf(obs, vars.IDEMPOTENCY_TABLE),
    backoff: backoffOf(obs),
  };
}
