import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { EVENT_RULES, type EventRule, matches } from '../../core/events/rules.js';
import type { DrydockStack } from '../../infra/drydock-stack.js';
import { deployedPattern, deployedRules } from '../../infra/rule-targets.js';
import { TARGET_ROUTES } from '../../lambdas/shared/deployment.js';
import { eventFixture, validFixtureNames } from '../core/events/fixtures.js';
import { logicalIdOf, synthDrydock } from './synth.js';

let stack: DrydockStack;
let template: Template;

beforeAll(() => {
  ({ stack, template } = synthDrydock());
});

// The rules on the drydock bus that the shared EVENT_RULES define (the CodeBuild outcome rule is AWS-only).
const sharedRulesOnBus = () => {
  const bus = logicalIdOf(stack, stack.pipeline.bus);
  return Object.values(template.findResources('AWS::Events::Rule')).filter(
    (r) => r.Properties.EventBusName?.Ref === bus && r.Properties.EventPattern.source?.[0] === 'drydock',
  );
};

describe('TARGET_ROUTES', () => {
  it('routes every target the shared rules name', () => {
    for (const rule of EVENT_RULES) expect(Object.keys(TARGET_ROUTES)).toContain(rule.target);
  });

  it('routes no target the shared rules no longer name', () => {
    const named = new Set(EVENT_RULES.map((r) => r.target));
    for (const target of Object.keys(TARGET_ROUTES)) expect(named.has(target as never), target).toBe(true);
  });

  it('says why each target served inside the CodeBuild build has no rule', () => {
    for (const route of Object.values(TARGET_ROUTES)) {
      if (route.kind === 'in-codebuild') expect(route.why.length).toBeGreaterThan(20);
    }
  });

  it('refuses a rule whose target it cannot route', () => {
    const stray: EventRule = {
      name: 'stray',
      description: 'x',
      pattern: { source: ['drydock'] },
      target: 'nowhere',
    };
    expect(() => deployedRules([stray])).toThrow(/stray targets nowhere, which TARGET_ROUTES/);
  });
});

describe('deployed rules', () => {
  it('deploys one EventBridge rule per shared rule served by a step function or the CodeBuild build', () => {
    const queued = EVENT_RULES.filter((r) => TARGET_ROUTES[r.target].kind !== 'in-codebuild');
    expect(sharedRulesOnBus()).toHaveLength(queued.length);
    expect(deployedRules().map((d) => d.rule.name)).toEqual(queued.map((r) => r.name));
  });

  it('deploys each shared pattern unchanged, plus the replay exclusion', () => {
    const deployed = sharedRulesOnBus().map((r) => r.Properties.EventPattern);
    for (const { rule } of deployedRules()) {
      const expected = { ...JSON.parse(JSON.stringify(rule.pattern)), 'replay-name': [{ exists: false }] };
      expect(deployed, rule.name).toContainEqual(expected);
    }
  });

  it('delivers each rule to the queue of the function that consumes its target', () => {
    for (const { rule, consumer } of deployedRules()) {
      const queue = stack.pipeline.queues[consumer];
      expect(queue, consumer).toBeDefined();
      const arn = { 'Fn::GetAtt': [logicalIdOf(stack, queue!.queue), 'Arn'] };
      const found = sharedRulesOnBus().filter((r) => r.Properties.Description === rule.description);
      expect(found, rule.name).toHaveLength(1);
      expect(found[0]!.Properties.Targets.map((t: { Arn: unknown }) => t.Arn)).toEqual([arn]);
    }
  });

  it('deploys no rule for the steps inside CodeBuild', () => {
    const deployed = new Set(deployedRules().map((d) => d.rule.target));
    for (const target of ['test', 'publish']) expect(deployed.has(target as never)).toBe(false);
  });

  it("delivers the step functions' targets to their own queues and the build target to the build starter", () => {
    const consumers = Object.fromEntries(deployedRules().map((d) => [d.rule.target, d.consumer]));
    expect(consumers).toEqual({ gate: 'gate', build: 'buildStarter', lineage: 'lineage', notify: 'notify' });
  });
});

describe('deployedPattern', () => {
  it('keeps what the shared fixtures match and drops their replays', () => {
    for (const name of validFixtureNames()) {
      const event = eventFixture(name);
      const replayed = { ...event, 'replay-name': 'ops-replay-1' };
      for (const rule of EVENT_RULES) {
        const pattern = deployedPattern(rule.pattern);
        expect(matches(pattern, event), `${rule.name} on ${name}`).toBe(matches(rule.pattern, event));
        expect(matches(pattern, replayed), `${rule.name} on replayed ${name}`).toBe(false);
      }
    }
  });

  it('leaves a pattern that already decides about replays alone', () => {
    const pattern = { source: ['drydock'], 'replay-name': [{ exists: true }] };
    expect(deployedPattern(pattern)).toBe(pattern);
  });
});
