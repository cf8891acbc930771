import type { EVENT_RULES } from '../../core/events/rules.js';
import type { StepName } from '../../core/steps/index.js';
import type { PortName } from '../../core/steps/step-ports.js';
import type { EnvName } from './env.js';

/** A target of the push flow's rules (`gate`, `build`, `test`, `publish`, `lineage`, `notify`). */
export type RuleTarget = (typeof EVENT_RULES)[number]['target'];

/** How the AWS deployment serves one rule target of `EVENT_RULES`. */
export type TargetRoute =
  /** A rule delivers to an SQS queue whose Lambda runs the step of the target's name (`lambdas/steps/<name>.ts`). */
  | { readonly kind: 'step-function'; readonly constructId: string }
  /**
   * A rule delivers to the build starter's queue; each message starts a CodeBuild build that runs these steps
   * in turn with `drydock step` (buildspecs/build.yml), and the build-state function relays what they published.
   */
  | { readonly kind: 'codebuild'; readonly steps: readonly StepName[] }
  /** The step runs inside the CodeBuild build of the `codebuild` target, so no rule is deployed for it. */
  | { readonly kind: 'in-codebuild'; readonly why: string };

/**
 * Every target of the push flow's rules and how AWS serves it. The type makes a new target a compile error
 * until it is routed here; the infra tests check the same at run time. `constructId` keeps the CDK ids the
 * functions and queues had before they were derived from the registry, so an update does not replace them.
 */
export const TARGET_ROUTES = {
  gate: { kind: 'step-function', constructId: 'Gate' },
  build: { kind: 'codebuild', steps: ['build', 'test', 'publish'] },
  test: {
    kind: 'in-codebuild',
    why: 'The image exists only inside the CodeBuild build, so its black-box tests run there.',
  },
  publish: {
    kind: 'in-codebuild',
    why: 'Only the build role may push to ECR, so the push happens in the build that tested the image.',
  },
  lineage: { kind: 'step-function', constructId: 'Lineage' },
  notify: { kind: 'step-function', constructId: 'Notifier' },
} as const satisfies Record<RuleTarget, TargetRoute>;

/** The steps the AWS deployment runs as queue-fed Lambdas. */
export type StepFunctionName = {
  [K in keyof typeof TARGET_ROUTES]: (typeof TARGET_ROUTES)[K]['kind'] extends 'step-function' ? K : never;
}[keyof typeof TARGET_ROUTES];

/** The step functions, in registry order. */
export const STEP_FUNCTIONS = (Object.keys(TARGET_ROUTES) as (keyof typeof TARGET_ROUTES)[]).filter(
  (t): t is StepFunctionName => TARGET_ROUTES[t].kind === 'step-function',
);

/**
 * The ports the AWS runtime can assemble (one factory each, `lambdas/shared/ports/<port>.ts`), with the environment
 * variables each reads. The stack sets a function's environment from the ports of its step, and grants it the
 * permissions of those ports (`infra/port-grants.ts`): one table, three users.
 */
export const PORT_ENV = {
  bus: ['BUS_NAME'],
  clock: [],
  policy: ['POLICY_PARAMETER'],
  source: ['SNAPSHOT_BUCKET'],
  gateSettings: [],
  publishedEvents: [],
  lineage: ['LINEAGE_TABLE'],
  notifier: ['TOPIC_ARN'],
} as const satisfies Partial<Record<PortName, readonly EnvName[]>>;

/** A port the AWS composition root can assemble. */
export type AwsPortName = keyof typeof PORT_ENV;

// A step deployed as a Lambda must need only ports AWS can assemble: a compile error otherwise.
type StepPortsOf<N extends StepName> = Extract<
  typeof import('../../core/steps/index.js')['STEPS'][number],
  { name: N }
>['ports'][number];
type Unassembled = Exclude<StepPortsOf<StepFunctionName>, AwsPortName>;
const everyStepPortAssembled: [Unassembled] extends [never] ? true : Unassembled = true;
void everyStepPortAssembled;

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
