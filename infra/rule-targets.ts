import { EVENT_RULES, type EventPattern, type EventRule } from '../core/events/rules.js';

/** A target queue named by the shared rules (`gate`, `build`, `test`, `publish`, `lineage`, `notify`). */
export type RuleTarget = (typeof EVENT_RULES)[number]['target'];

/** The Lambda functions of the deployed pipeline. */
export type PipelineFunctionName = 'webhook' | 'submit' | 'gate' | 'buildStarter' | 'buildState' | 'notifier';

/** How the AWS deployment serves one shared rule target. */
export type TargetRoute =
  /** An EventBridge rule delivers to an SQS queue that the function consumes. */
  | { readonly kind: 'queue'; readonly consumer: PipelineFunctionName }
  /** The work happens inside the CodeBuild build, so no rule is deployed for it. */
  | { readonly kind: 'codebuild-phase'; readonly phase: 'post_build'; readonly why: string }
  /** A function does the work as part of another step, so no rule is deployed for it. */
  | { readonly kind: 'in-function'; readonly function: PipelineFunctionName; readonly why: string };

/**
 * Every target of the shared rules and how AWS serves it. The type makes a new target a compile error
 * until it is mapped here; the infra tests check the same at run time.
 */
export const TARGET_ROUTES = {
  gate: { kind: 'queue', consumer: 'gate' },
  build: { kind: 'queue', consumer: 'buildStarter' },
  test: {
    kind: 'codebuild-phase',
    phase: 'post_build',
    why: 'The image exists only inside the CodeBuild build, so its black-box tests run there (buildspecs/build.yml).',
  },
  publish: {
    kind: 'codebuild-phase',
    phase: 'post_build',
    why: 'Only the build role may push to ECR, so the push happens in the build that tested the image.',
  },
  lineage: {
    kind: 'in-function',
    function: 'buildState',
    why: 'The build-state function writes lineage when it turns a succeeded build into Image Published.',
  },
  notify: { kind: 'queue', consumer: 'notifier' },
} as const satisfies Record<RuleTarget, TargetRoute>;

/** A shared rule that the AWS deployment creates as an EventBridge rule on the drydock bus. */
export interface DeployedRule {
  readonly rule: EventRule;
  readonly consumer: PipelineFunctionName;
  /** The pattern EventBridge gets: the shared one, with replays excluded. */
  readonly pattern: EventPattern;
}

// EventBridge marks an event replayed from an archive with `replay-name`; a consumer with side effects
// (builds, messages to teams) must not run a second time because ops replayed the archive.
const NOT_REPLAYED = { 'replay-name': [{ exists: false }] } as const satisfies EventPattern;

/** The shared pattern as deployed: unchanged, plus `"replay-name": [{"exists": false}]` unless it says otherwise. */
export function deployedPattern(pattern: EventPattern): EventPattern {
  return 'replay-name' in pattern ? pattern : { ...pattern, ...NOT_REPLAYED };
}

/** The shared rules served by a queue, with the function that consumes it and the pattern to deploy. */
export function deployedRules(rules: readonly EventRule[] = EVENT_RULES): DeployedRule[] {
  return rules.flatMap((rule) => {
    const route: TargetRoute | undefined = (TARGET_ROUTES as Record<string, TargetRoute>)[rule.target];
    if (route === undefined) {
      throw new Error(`rule ${rule.name} targets ${rule.target}, which infra/rule-targets.ts does not route`);
    }
    return route.kind === 'queue'
      ? [{ rule, consumer: route.consumer, pattern: deployedPattern(rule.pattern) }]
      : [];
  });
}
