import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { lazy } from '../../adapters/aws/lazy.js';
import { QueueBackoff } from '../../adapters/aws/sqs-backoff.js';
import { DrydockError } from '../../core/errors.js';
import type { DetailType } from '../../core/events/index.js';
import type { Step } from '../../core/steps/step.js';
import type { StepPorts } from '../../core/steps/step-ports.js';
import { sdkClient } from './clients.js';
import { type AwsPortName, PORT_ENV, type StepFunctionName, stepFunctionEnv } from './deployment.js';
import { type EnvName, readEnv } from './env.js';
import { type Observability, observability } from './observability.js';
import type { StepHandlerDeps } from './step-function.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The variables of `PORT_ENV` one port reads, read and checked. */
export type PortVars<N extends AwsPortName> = { readonly [V in (typeof PORT_ENV)[N][number]]: string };

/**
 * How the AWS runtime makes one port: the one place that knows its adapter (`lambdas/shared/ports/<port>.ts`).
 * An entry imports the factories of its ports statically, so its bundle holds no other adapter.
 */
export interface AwsPort<N extends AwsPortName> {
  readonly port: N;
  readonly make: (vars: PortVars<N>, obs: Observability) => StepPorts[N];
}

/** The factories of a set of ports, each under its port's name. */
export type AwsPorts<P extends AwsPortName> = { readonly [K in P]: AwsPort<K> };

/** Declares the factory of one AWS port. */
export function awsPort<N extends AwsPortName>(port: N, make: AwsPort<N>['make']): AwsPort<N> {
  return { port, make };
}

/** A step function was given factories that are not exactly its step's ports. */
export class StepPortsMismatchError extends DrydockError {
  override readonly name = 'StepPortsMismatchError';

  constructor(message: string) {
    super(message, { code: 'STEP_PORTS_MISMATCH' });
  }
}

/**
 * The AWS adapters of the given ports: each reads only its own variables (`PORT_ENV`; every bad one of every port
 * is named at once) and shares the function's traced SDK clients.
 */
export function awsPorts<P extends AwsPortName>(
  factories: AwsPorts<P>,
  obs: Observability,
  env: Env = process.env,
): Pick<StepPorts, P> {
  const names = Object.keys(factories) as P[];
  for (const name of names) {
    const factory = factories[name] as AwsPort<AwsPortName>;
    if (factory.port !== name)
      throw new StepPortsMismatchError(
        `drydock ${obs.service}: the factory of ${factory.port} is given as ${name}`,
      );
  }
  const vars = readEnv(
    obs.service,
    [...new Set(names.flatMap((n) => PORT_ENV[n] as readonly EnvName[]))],
    env,
  );
  return Object.fromEntries(
    names.map((n) => [n, (factories[n] as AwsPort<AwsPortName>).make(vars as never, obs)]),
  ) as unknown as Pick<StepPorts, P>;
}

/** The Powertools idempotency store on the idempotency table, through the function's DynamoDB client. */
export function idempotencyOf(obs: Observability, tableName: string) {
  return {
    persistenceStore: new DynamoDBPersistenceLayer({
      tableName,
      awsSdkV3Client: sdkClient(obs, DynamoDBClient),
    }),
  };
}

/** The queue backoff of retryable failures; its SQS client is made on the first one, not at init. */
export function backoffOf(obs: Observability): QueueBackoff {
  return new QueueBackoff({
    client: lazy(() => sdkClient(obs, SQSClient)),
  });
}

/**
 * Everything the Lambda of a step function needs, from its environment (`stepFunctionEnv`): the factories must be
 * exactly the step's ports (a compile error otherwise, and checked again here, so the registry stays the source).
 */
export function awsStepDeps<N extends StepFunctionName, P extends AwsPortName>(
  step: Step<N, DetailType, P>,
  factories: AwsPorts<NoInfer<P>>,
  env: Env = process.env,
): StepHandlerDeps<P> {
  const given = Object.keys(factories).sort();
  const needed = [...new Set<string>(step.ports)].sort();
  if (given.join() !== needed.join())
    throw new StepPortsMismatchError(
      `drydock ${step.name}: the step's ports are ${needed.join(', ')}, but the function assembles ${given.join(', ')}`,
    );
  const obs = observability(step.name);
  const vars = readEnv(step.name, stepFunctionEnv(step), env) as Partial<Record<EnvName, string>>;
  return {
    obs,
    ports: awsPorts(factories, obs, env),
    idempotency: idempotencyOf(obs, vars.IDEMPOTENCY_TABLE as string),
    backoff: backoffOf(obs),
  };
}
