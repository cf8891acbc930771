import { Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DrydockStack } from '../../infra/drydock-stack.js';
import { functionSpecs, stepFunctionSpec } from '../../infra/functions.js';
import { PORT_GRANTS, type PortResources, portGrants } from '../../infra/port-grants.js';
import { type AwsPortName, PORT_ENV, STEP_FUNCTIONS } from '../../lambdas/shared/deployment.js';
import { iamStatements, list, logicalIdOf, synthDrydock } from './synth.js';

let stack: DrydockStack;
let template: Template;

beforeAll(() => {
  ({ stack, template } = synthDrydock());
});

const RESOURCES: PortResources = {
  busArn: 'arn:aws:events:eu-west-1:111111111111:event-bus/drydock',
  policyParameterArn: 'arn:aws:ssm:eu-west-1:111111111111:parameter/drydock/policy',
  snapshotBucket: s3.Bucket.fromBucketName(new Stack(), 'Snapshots', 'snapshots'),
  lineageTableArn: 'arn:aws:dynamodb:eu-west-1:111111111111:table/lineage',
  teamTopicArn: 'arn:aws:sns:eu-west-1:111111111111:team',
  keyArn: 'arn:aws:kms:eu-west-1:111111111111:key/k',
};

// The statements of a function's own policy that carry a Sid, as "Sid: actions" (the CDK's own grants carry none).
const ownStatements = (name: keyof DrydockStack['pipeline']['functions']) => {
  const policy = logicalIdOf(
    stack,
    stack.pipeline.functions[name].role.node.findChild('DefaultPolicy') as never,
  );
  return iamStatements(template)
    .filter((s) => s.holder === policy && s.statement.Sid !== undefined && s.statement.Sid !== 'Idempotency')
    .map((s) => `${s.statement.Sid}: ${list(s.statement.Action as string | string[]).join(' ')}`)
    .sort();
};
const actionsOf = (name: keyof DrydockStack['pipeline']['functions']) =>
  ownStatements(name).flatMap((s) => s.split(': ')[1]!.split(' '));

describe('PORT_GRANTS', () => {
  it('grants something for every port that reads an AWS resource, and nothing for the others', () => {
    for (const port of Object.keys(PORT_ENV) as AwsPortName[]) {
      const grants = PORT_GRANTS[port](RESOURCES, { emits: ['Build Failed'] });
      if (PORT_ENV[port].length > 0) expect(grants.length, port).toBeGreaterThan(0);
      else expect(grants, port).toEqual([]);
    }
  });

  it('lets the bus put only the detail-types the function emits, and nothing when it emits none', () => {
    const [put] = PORT_GRANTS.bus(RESOURCES, { emits: ['Definition Verdict', 'Build Requested'] });
    expect(put?.conditions).toEqual({
      StringEquals: {
        'events:source': 'drydock',
        'events:detail-type': ['Definition Verdict', 'Build Requested'],
      },
    });
    expect(PORT_GRANTS.bus(RESOURCES, { emits: [] })).toEqual([]);
  });

  it('names every action in full and gives every wildcard resource a reason', () => {
    for (const port of Object.keys(PORT_GRANTS) as AwsPortName[]) {
      for (const grant of PORT_GRANTS[port](RESOURCES, { emits: ['Build Failed'] })) {
        for (const action of grant.actions) expect(action).not.toContain('*');
        if (
          grant.resources.some((r) => Stack.of(RESOURCES.snapshotBucket).resolve(r).toString().includes('*'))
        ) {
          expect(grant.wildcardReason, grant.sid).toBeTruthy();
        }
      }
    }
  });
});

describe('step function grants', () => {
  it("gives each step function exactly the grants of its step's ports", () => {
    for (const name of STEP_FUNCTIONS) {
      const spec = stepFunctionSpec(name);
      const expected = portGrants(spec.ports, RESOURCES, spec)
        .map((g) => `${g.sid}: ${g.actions.join(' ')}`)
        .sort();
      expect(ownStatements(name), name).toEqual(expected);
    }
  });

  it('keeps the notify function from reading the policy or the snapshots, and from putting events', () => {
    const actions = actionsOf('notify');
    for (const denied of ['ssm:GetParameter', 's3:GetObject', 's3:ListBucket', 'events:PutEvents']) {
      expect(actions).not.toContain(denied);
    }
  });

  it('keeps the lineage function from putting events, publishing to teams or reading the policy', () => {
    const actions = actionsOf('lineage');
    for (const denied of ['events:PutEvents', 'sns:Publish', 'ssm:GetParameter', 's3:GetObject']) {
      expect(actions).not.toContain(denied);
    }
  });

  it('lets only the lineage function write lineage', () => {
    const lineage = logicalIdOf(stack, stack.pipeline.lineageTable);
    const writers = iamStatements(template).filter(
      ({ statement }) =>
        list(statement.Action as string | string[]).includes('dynamodb:PutItem') &&
        JSON.stringify(statement.Resource).includes(lineage),
    );
    expect(writers.map((w) => w.holder)).toEqual([
      logicalIdOf(stack, stack.pipeline.functions.lineage.role.node.findChild('DefaultPolicy') as never),
    ]);
  });

  it('derives every function spec the stack deploys from the registry or the AWS-only table', () => {
    expect(Object.keys(stack.pipeline.functions).sort()).toEqual(Object.keys(functionSpecs(4)).sort());
  });
});
