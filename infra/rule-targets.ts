import { EVENT_RULES, type EventPattern, type EventRule } from '../core/events/rules.js';
import { type StepFunctionName, TARGET_ROUTES, type TargetRoute } from '../lambdas/shared/deployment.js';

/** The queue a deployed rule delivers to: a step function's, or the build starter's. */
export type RuleQueue = StepFunctionName | 'buildStarter';

/** A shared rule that the AWS deployment creates as an EventBridge rule on the drydock bus. */
export interface DeployedRule {
  readonly rule: EventRule;
  /** The function whose queue the rule delivers to. */
  readonly consumer: RuleQueue;
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

/**
 * The shared rules the deployment creates, each with the queue it delivers to (`TARGET_ROUTES` of
 * lambdas/shared/deployment.ts): a step function's queue, or the build starter's for the CodeBuild target.
 * Targets served inside the CodeBuild build get no rule.
 */
export function deployedRules(rules: readonly EventRule[] = EVENT_RULES): DeployedRule[] {
  return rules.flatMap((rule): DeployedRule[] => {
    const route: TargetRoute | undefined = (TARGET_ROUTES as Record<string, TargetRoute>)[rule.target];
    if (route === undefined) {
      throw new Error(
        `rule ${rule.name} targets ${rule.target}, which TARGET_ROUTES (lambdas/shared/deployment.ts) does not route`,
      );
    }
    const pattern = deployedPattern(rule.pattern);
    if (route.kind === 'step-function') return [{ rule, consumer: rule.target as StepFunctionName, pattern }];
    if (route.kind === 'codebuild') return [{ rule, consumer: 'buildStarter', pattern }];
    return [];
  });
}
