import { App, Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { cdkLogicalId, keepLogicalIds } from '../../../infra/constructs/keep-logical-ids.js';
import { cdkOutdir } from '../outdir.js';
import { synthDrydock } from '../synth.js';

describe('cdkLogicalId', () => {
  it('computes the logical id the CDK gives a resource at a path', () => {
    const stack = new Stack(new App({ outdir: cdkOutdir() }), 'S');
    const queue = new sqs.Queue(new Construct(new Construct(stack, 'Pipeline'), 'GateQueue'), 'Queue');
    const id = stack.getLogicalId(queue.node.defaultChild as never);
    expect(cdkLogicalId(['Pipeline', 'GateQueue', 'Queue', 'Resource'])).toBe(id);
  });
});

describe('keepLogicalIds', () => {
  it('gives a moved resource the logical id it had as a child of the former parent', () => {
    const stack = new Stack(new App({ outdir: cdkOutdir() }), 'S');
    const before = new sqs.Queue(new Construct(stack, 'Old'), 'Queue');
    const part = new Construct(stack, 'Part');
    const moved = new sqs.Queue(part, 'Moved');
    const formerParent = new Construct(stack, 'Pipeline');
    keepLogicalIds(formerParent, [part]);
    expect(stack.resolve((moved.node.defaultChild as sqs.CfnQueue).logicalId)).toBe(
      cdkLogicalId(['Pipeline', 'Moved', 'Resource']),
    );
    expect(stack.resolve((before.node.defaultChild as sqs.CfnQueue).logicalId)).not.toContain('Pipeline');
  });

  it('refuses two moved resources that would get the same logical id', () => {
    const stack = new Stack(new App({ outdir: cdkOutdir() }), 'S');
    const a = new Construct(stack, 'A');
    const b = new Construct(stack, 'B');
    new sqs.Queue(a, 'Queue');
    new sqs.Queue(b, 'Queue');
    expect(() => keepLogicalIds(new Construct(stack, 'Pipeline'), [a, b])).toThrow(/would both be/);
  });
});

// The one test that asserts logical ids (STYLE.md says tests never do): CloudFormation replaces a resource whose
// logical id changes, so a stack update would orphan the RETAIN buckets and the lineage table and create empty
// ones, and replace the key, parameter, secret, bus, archive, registry template and queues with their contents.
describe('the stateful resources of the deployed stack', () => {
  let template: Template;

  beforeAll(() => {
    ({ template } = synthDrydock());
  });

  const STATEFUL = {
    PipelineKeyF48EE773: 'AWS::KMS::Key',
    PipelineTeamNotificationsF0C58F79: 'AWS::SNS::Topic',
    PipelineOpsAlarmsB359670E: 'AWS::SNS::Topic',
    PipelineAccessLogs3A10AC0B: 'AWS::S3::Bucket',
    PipelineSnapshotsCBC5FDDD: 'AWS::S3::Bucket',
    PipelineBuildLogs0FB13851: 'AWS::S3::Bucket',
    PipelineLineage94A8EC4B: 'AWS::DynamoDB::Table',
    PipelineIdempotencyA724672E: 'AWS::DynamoDB::Table',
    PipelinePolicyEB79E1AA: 'AWS::SSM::Parameter',
    PipelineWebhookSecret9333AC48: 'AWS::SecretsManager::Secret',
    PipelineBus955C15C7: 'AWS::Events::EventBus',
    PipelineBusArchive86C9DF52: 'AWS::Events::Archive',
    PipelineRepositories87E35CF3: 'AWS::ECR::RepositoryCreationTemplate',
    PipelineImageTests9AC844AC: 'AWS::CodeBuild::ReportGroup',
    PipelineRuleDeadLettersQueue7D18C8BF: 'AWS::SQS::Queue',
    PipelineRuleDeadLetters91C84A4A: 'AWS::SQS::Queue',
    PipelineGateQueueB8FCB1AB: 'AWS::SQS::Queue',
    PipelineGateQueueDeadLetters6EAD562F: 'AWS::SQS::Queue',
    PipelineBuildStarterQueueEC3C275C: 'AWS::SQS::Queue',
    PipelineBuildStarterQueueDeadLetters5697EA4C: 'AWS::SQS::Queue',
    PipelineBuildStateQueue37A081E1: 'AWS::SQS::Queue',
    PipelineBuildStateQueueDeadLetters8DE7D8E9: 'AWS::SQS::Queue',
    PipelineNotifierQueueF9103DFC: 'AWS::SQS::Queue',
    PipelineNotifierQueueDeadLettersB8D32B6B: 'AWS::SQS::Queue',
  };

  it('keep the logical ids they had before the stack was split into constructs', () => {
    const resources = template.toJSON().Resources as Record<string, { Type: string }>;
    for (const [id, type] of Object.entries(STATEFUL)) expect(resources[id]?.Type, id).toBe(type);
  });

  it('keep the name of the bus, which the CDK generates from the construct path', () => {
    const bus = template.toJSON().Resources.PipelineBus955C15C7;
    expect(bus.Properties.Name).toBe('DrydockPipelineBusBFDE42C8');
  });

  it('keep the ids of the event source mappings, which Lambda allows once per queue and function', () => {
    const ids = Object.keys(template.findResources('AWS::Lambda::EventSourceMapping'));
    expect(ids).toContain('PipelineGateFunctionSqsEventSourceDrydockPipelineGateQueueD7A083CD09FF8E69');
  });
});
