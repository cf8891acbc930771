// biome-ignore-all lint/suspicious/noExplicitAny: CloudFormation template JSON is untyped; the assertions check its shape.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Stage } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ProviderSecrets } from '../../adapters/aws/provider-secrets.js';
import { BASE_IMAGE_UNBANNED, DETAIL_TYPES } from '../../core/events/index.js';
import { DEFAULT_ENFORCED_RULES } from '../../core/policy/default-enforced.js';
import { parsePolicy } from '../../core/policy/parse-policy.js';
import { INITIAL_POLICY, WEBHOOK_SECRET_KEY } from '../../infra/drydock-pipeline.js';
import type { DrydockStack } from '../../infra/drydock-stack.js';
import type { FunctionName } from '../../infra/functions.js';
import { BASE_IMAGE_BANNED, IMAGE_WRITE_ACTIONS, repositoryPolicy } from '../../infra/policies.js';
import {
  BREAK_GLASS_ROLE,
  iamStatements,
  list,
  logicalIdOf,
  OPS_ROLE,
  OPS_USER,
  resource,
  synthDrydock,
  TEAM_CI_ROLE,
} from './synth.js';

let stack: DrydockStack;
let template: Template;

beforeAll(() => {
  ({ stack, template } = synthDrydock());
});

const getAtt = (logicalId: string, attribute = 'Arn') => ({ 'Fn::GetAtt': [logicalId, attribute] });
const ref = (logicalId: string) => ({ Ref: logicalId });
const resources = (type: string) => Object.entries(template.findResources(type));
const functionRoleArns = () =>
  Object.values(stack.pipeline.functions).map((f) => getAtt(logicalIdOf(stack, f.role)));

// A Fn::Join'ed JSON document with each reference replaced by a readable placeholder, parsed.
function joinedJson(value: unknown): any {
  if (typeof value === 'string') return JSON.parse(value);
  const [delimiter, parts] = (value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  const text = parts
    .map((p) => (typeof p === 'string' ? p : `<${JSON.stringify(p).replace(/"/g, "'")}>`))
    .join(delimiter);
  return JSON.parse(text);
}
const placeholder = (p: unknown) => `<${JSON.stringify(p).replace(/"/g, "'")}>`;

describe('work queues', () => {
  const redriveTargets = () =>
    new Set(
      resources('AWS::SQS::Queue')
        .map(([, q]) => q.Properties.RedrivePolicy?.deadLetterTargetArn?.['Fn::GetAtt']?.[0])
        .filter(Boolean),
    );

  it('gives every queue that is not itself a dead-letter queue a DLQ and a redrive policy', () => {
    const dlqs = redriveTargets();
    const work = resources('AWS::SQS::Queue').filter(([id]) => !dlqs.has(id));
    // One per queue-fed function, and the queue EventBridge dead-letters undeliverable events to.
    expect(work).toHaveLength(Object.keys(stack.pipeline.queues).length + 1);
    expect(Object.keys(stack.pipeline.queues).sort()).toEqual([
      'buildStarter',
      'buildState',
      'gate',
      'lineage',
      'notify',
    ]);
    for (const [, q] of work) {
      expect(q.Properties.RedrivePolicy.maxReceiveCount).toBeGreaterThanOrEqual(5);
    }
  });

  it('alarms on the depth of every dead-letter queue, into the ops alarm topic', () => {
    const alarmTopic = ref(logicalIdOf(stack, stack.pipeline.alarmTopic));
    for (const dlq of redriveTargets()) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Namespace: 'AWS/SQS',
        Dimensions: [{ Name: 'QueueName', Value: getAtt(dlq, 'QueueName') }],
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        AlarmActions: [alarmTopic],
      });
    }
    expect(resources('AWS::CloudWatch::Alarm')).toHaveLength(redriveTargets().size);
  });

  it('keeps every queue hidden for at least six times its consumer timeout', () => {
    for (const [, mapping] of resources('AWS::Lambda::EventSourceMapping')) {
      const fnId = mapping.Properties.FunctionName.Ref as string;
      const queueId = mapping.Properties.EventSourceArn['Fn::GetAtt'][0] as string;
      const timeout = resource(template, fnId).Properties.Timeout as number;
      expect(resource(template, queueId).Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * timeout);
    }
  });

  it('consumes with partial batch responses and a maximum concurrency', () => {
    const mappings = resources('AWS::Lambda::EventSourceMapping');
    expect(mappings).toHaveLength(Object.keys(stack.pipeline.queues).length);
    for (const [, m] of mappings) {
      expect(m.Properties.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
      expect(m.Properties.ScalingConfig.MaximumConcurrency).toBeGreaterThanOrEqual(2);
    }
  });

  it('caps the build queue consumer at the concurrent-build limit of the project', () => {
    const starter = logicalIdOf(stack, stack.pipeline.functions.buildStarter.function);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: ref(starter),
      BatchSize: 1,
      ScalingConfig: { MaximumConcurrency: 4 },
    });
    template.hasResourceProperties('AWS::CodeBuild::Project', { ConcurrentBuildLimit: 4 });
  });

  it('sends events EventBridge cannot deliver to a dead-letter queue', () => {
    const dlq = getAtt(logicalIdOf(stack, stack.pipeline.ruleDeadLetters.queue));
    for (const [, rule] of resources('AWS::Events::Rule')) {
      for (const target of rule.Properties.Targets) expect(target.DeadLetterConfig).toEqual({ Arn: dlq });
    }
  });
});

describe('functions', () => {
  const POWERTOOLS = ['POWERTOOLS_SERVICE_NAME', 'POWERTOOLS_METRICS_NAMESPACE', 'POWERTOOLS_LOG_LEVEL'];
  const envOf = (name: FunctionName) =>
    Object.keys(
      resource(template, logicalIdOf(stack, stack.pipeline.functions[name].function)).Properties.Environment
        .Variables,
    )
      .filter((k) => !POWERTOOLS.includes(k))
      .sort();

  it('runs seven arm64 Node.js 24 functions with tracing, JSON logs and the Powertools settings', () => {
    const fns = resources('AWS::Lambda::Function');
    expect(fns).toHaveLength(7);
    for (const [, fn] of fns) {
      const p = fn.Properties;
      expect(p.Architectures).toEqual(['arm64']);
      expect(p.Runtime).toBe('nodejs24.x');
      expect(p.TracingConfig).toEqual({ Mode: 'Active' });
      expect(p.LoggingConfig.LogFormat).toBe('JSON');
      expect(p.Environment.Variables.POWERTOOLS_SERVICE_NAME).toMatch(/^[a-z-]+$/);
      expect(p.Environment.Variables.POWERTOOLS_METRICS_NAMESPACE).toBe('drydock');
      expect(p.Environment.Variables.IDEMPOTENCY_TABLE).toBeDefined();
    }
    const services = fns.map(([, fn]) => fn.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME);
    // The names lambdas/shared/observability.ts gives the Powertools logger, metrics and tracer.
    expect(services.sort()).toEqual([
      'build-starter',
      'build-state',
      'gate',
      'lineage',
      'notifier',
      'submit',
      'webhook',
    ]);
  });

  it("gives each step function the variables of its step's ports, and nothing else", () => {
    expect(envOf('gate')).toEqual(['BUS_NAME', 'IDEMPOTENCY_TABLE', 'POLICY_PARAMETER', 'SNAPSHOT_BUCKET']);
    expect(envOf('lineage')).toEqual(['IDEMPOTENCY_TABLE', 'LINEAGE_TABLE']);
    expect(envOf('notify')).toEqual(['IDEMPOTENCY_TABLE', 'TOPIC_ARN']);
  });

  it('gives each AWS-only function the variables it reads, and nothing else', () => {
    const push = ['BUS_NAME', 'IDEMPOTENCY_TABLE', 'SNAPSHOT_BUCKET', 'WEBHOOK_SECRET_ARN'];
    expect(envOf('webhook')).toEqual(push);
    expect(envOf('submit')).toEqual(push);
    expect(envOf('buildStarter')).toEqual([
      'BUILD_PROJECT',
      'BUS_NAME',
      'IDEMPOTENCY_TABLE',
      'SNAPSHOT_BUCKET',
    ]);
    expect(envOf('buildState')).toEqual(['BUS_NAME', 'IDEMPOTENCY_TABLE', 'LOG_BUCKET', 'SNAPSHOT_BUCKET']);
  });

  it('gives each function its own role without managed policies, and a log group with a retention', () => {
    for (const [, fn] of resources('AWS::Lambda::Function')) {
      const roleId = fn.Properties.Role['Fn::GetAtt'][0] as string;
      expect(resource(template, roleId).Properties.ManagedPolicyArns).toBeUndefined();
      const logGroup = resource(template, fn.Properties.LoggingConfig.LogGroup.Ref);
      expect(logGroup.Properties.RetentionInDays).toBeGreaterThan(0);
    }
    const roles = resources('AWS::Lambda::Function').map(([, fn]) => fn.Properties.Role['Fn::GetAtt'][0]);
    expect(new Set(roles).size).toBe(roles.length);
  });

  it('opens the webhook URL without auth (the handler verifies signatures) and submit only with IAM', () => {
    const fnId = (name: 'webhook' | 'submit') => logicalIdOf(stack, stack.pipeline.functions[name].function);
    template.hasResourceProperties('AWS::Lambda::Url', {
      TargetFunctionArn: getAtt(fnId('webhook')),
      AuthType: 'NONE',
    });
    template.hasResourceProperties('AWS::Lambda::Url', {
      TargetFunctionArn: getAtt(fnId('submit')),
      AuthType: 'AWS_IAM',
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunctionUrl',
      FunctionName: getAtt(fnId('submit')),
      Principal: TEAM_CI_ROLE,
      FunctionUrlAuthType: 'AWS_IAM',
    });
    // Function URLs made since October 2025 also need lambda:InvokeFunction, limited to calls through the URL.
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: getAtt(fnId('submit')),
      Principal: TEAM_CI_ROLE,
      InvokedViaFunctionUrl: true,
    });
  });
});

describe('registry', () => {
  const buildRole = () => getAtt(logicalIdOf(stack, stack.pipeline.buildRole));

  it('creates repositories on push with immutable tags, encryption and a lifecycle policy', () => {
    const [[, t]] = resources('AWS::ECR::RepositoryCreationTemplate') as [[string, any]];
    expect(t.Properties).toMatchObject({
      Prefix: 'drydock',
      AppliedFor: ['CREATE_ON_PUSH'],
      EncryptionConfiguration: { EncryptionType: 'AES256' },
    });
    // Immutable but for the support-marker tags, and only those.
    expect(t.Properties.ImageTagMutability).toBe('IMMUTABLE_WITH_EXCLUSION');
    expect(t.Properties.ImageTagMutabilityExclusionFilters).toEqual([
      {
        ImageTagMutabilityExclusionFilterType: 'WILDCARD',
        ImageTagMutabilityExclusionFilterValue: 'sha256-*.unsupported',
      },
    ]);
    const lifecycle = JSON.parse(t.Properties.LifecyclePolicy);
    expect(lifecycle.rules.map((r: any) => r.selection.tagStatus)).toEqual(['untagged', 'any']);
    expect(lifecycle.rules.every((r: any) => r.action.type === 'expire')).toBe(true);
  });

  it('denies image writes to every principal but the build role and the break-glass role', () => {
    const [[, t]] = resources('AWS::ECR::RepositoryCreationTemplate') as [[string, any]];
    const policy = joinedJson(t.Properties.RepositoryPolicy);
    expect(policy.Statement).toEqual([
      {
        Sid: 'OnlyThePipelineWritesImages',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: [...IMAGE_WRITE_ACTIONS],
        Condition: { ArnNotEquals: { 'aws:PrincipalArn': [placeholder(buildRole()), BREAK_GLASS_ROLE] } },
      },
    ]);
    expect(IMAGE_WRITE_ACTIONS).toEqual([
      'ecr:PutImage',
      'ecr:InitiateLayerUpload',
      'ecr:UploadLayerPart',
      'ecr:CompleteLayerUpload',
      'ecr:BatchDeleteImage',
    ]);
  });

  it('lets only the build role write when there is no break-glass role', () => {
    const doc = repositoryPolicy(['arn:aws:iam::111111111111:role/build']).toJSON();
    expect(doc.Statement[0].Condition).toEqual({
      ArnNotEquals: { 'aws:PrincipalArn': ['arn:aws:iam::111111111111:role/build'] },
    });
  });

  it('scans every image of the prefix on push', () => {
    template.hasResourceProperties('AWS::ECR::RegistryScanningConfiguration', {
      ScanType: 'BASIC',
      Rules: [
        {
          ScanFrequency: 'SCAN_ON_PUSH',
          RepositoryFilters: [{ Filter: 'drydock/*', FilterType: 'WILDCARD' }],
        },
      ],
    });
  });

  it('grants the push actions to the build role only', () => {
    const pushers = iamStatements(template).filter(({ statement }) =>
      list(statement.Action as string | string[]).includes('ecr:PutImage'),
    );
    expect(pushers.map((p) => p.holder)).toEqual([
      logicalIdOf(stack, stack.pipeline.buildRole.node.findChild('DefaultPolicy') as never),
    ]);
  });
});

describe('event bus', () => {
  const busArn = () => getAtt(logicalIdOf(stack, stack.pipeline.bus));
  const statement = (sid: string) => {
    const found = resources('AWS::Events::EventBusPolicy').filter(
      ([, p]) => p.Properties.Statement.Sid === `cdk-${sid}`,
    );
    expect(found).toHaveLength(1);
    return found[0]![1].Properties.Statement;
  };

  it('allows the ops principals to put Base Image Banned, and nothing else', () => {
    expect(statement('OpsPutBans')).toEqual({
      Sid: 'cdk-OpsPutBans',
      Effect: 'Allow',
      Principal: { AWS: [OPS_ROLE, OPS_USER] },
      Action: 'events:PutEvents',
      Resource: busArn(),
      Condition: {
        StringEquals: {
          'events:source': 'drydock',
          'events:detail-type': [BASE_IMAGE_BANNED, BASE_IMAGE_UNBANNED],
        },
      },
    });
  });

  it("allows the functions' roles to put every other drydock detail-type", () => {
    const s = statement('PipelinePutsFlowEvents');
    expect(s.Principal.AWS).toEqual(functionRoleArns());
    expect(s.Condition.StringEquals['events:source']).toBe('drydock');
    expect(s.Condition.StringEquals['events:detail-type']).toEqual(
      DETAIL_TYPES.filter((t) => t !== BASE_IMAGE_BANNED && t !== BASE_IMAGE_UNBANNED),
    );
    expect(s.Condition.StringEquals['events:detail-type']).not.toContain(BASE_IMAGE_UNBANNED);
  });

  it('denies bans from anyone but ops, same-account admins included', () => {
    expect(statement('OnlyOpsPutBans')).toEqual({
      Sid: 'cdk-OnlyOpsPutBans',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 'events:PutEvents',
      Resource: busArn(),
      Condition: {
        StringEquals: { 'events:detail-type': [BASE_IMAGE_BANNED, BASE_IMAGE_UNBANNED] },
        ArnNotEquals: { 'aws:PrincipalArn': [OPS_ROLE, OPS_USER] },
      },
    });
  });

  it('denies every other drydock event from anyone but the pipeline functions', () => {
    expect(statement('OnlyThePipelinePutsFlowEvents')).toEqual({
      Sid: 'cdk-OnlyThePipelinePutsFlowEvents',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 'events:PutEvents',
      Resource: busArn(),
      Condition: {
        StringEquals: { 'events:source': 'drydock' },
        StringNotEquals: { 'events:detail-type': [BASE_IMAGE_BANNED, BASE_IMAGE_UNBANNED] },
        ArnNotEquals: { 'aws:PrincipalArn': functionRoleArns() },
      },
    });
  });

  it('lets each function put only the detail-types it emits', () => {
    const emitted = (name: keyof DrydockStack['pipeline']['functions']) => {
      const role = stack.pipeline.functions[name].role;
      const policyId = logicalIdOf(stack, role.node.findChild('DefaultPolicy') as never);
      const puts = iamStatements(template).filter(
        (s) => s.holder === policyId && list(s.statement.Action as string).includes('events:PutEvents'),
      );
      if (puts.length === 0) return [];
      expect(puts).toHaveLength(1);
      const { statement: put } = puts[0]!;
      expect(put.Resource).toEqual(busArn());
      const condition = (put.Condition as any).StringEquals;
      expect(condition['events:source']).toBe('drydock');
      return list(condition['events:detail-type']);
    };
    expect(emitted('webhook')).toEqual(['Definition Pushed']);
    expect(emitted('submit')).toEqual(['Definition Pushed']);
    expect(emitted('gate')).toEqual(['Definition Gate Requested', 'Definition Verdict', 'Build Requested']);
    expect(emitted('buildStarter')).toEqual(['Build Failed']);
    // It relays what the build, test and publish steps of the CodeBuild build published.
    expect(emitted('buildState')).toEqual([
      'Build Completed',
      'Build Failed',
      'Image Tested',
      'Image Published',
    ]);
    expect(emitted('lineage')).toEqual([]);
    expect(emitted('notify')).toEqual([]);
  });

  it('archives drydock and forwarded CodeBuild events for replay', () => {
    template.hasResourceProperties('AWS::Events::Archive', {
      SourceArn: busArn(),
      EventPattern: { source: ['drydock', 'aws.codebuild'] },
      RetentionDays: 90,
    });
  });

  it("forwards the build project's final states from the default bus to the drydock bus", () => {
    const project = ref(logicalIdOf(stack, stack.pipeline.buildProject));
    const pattern = {
      source: ['aws.codebuild'],
      'detail-type': ['CodeBuild Build State Change'],
      detail: {
        'project-name': [project],
        'build-status': ['SUCCEEDED', 'FAILED', 'FAULT', 'STOPPED', 'TIMED_OUT'],
      },
    };
    const forward = resources('AWS::Events::Rule').filter(([, r]) => r.Properties.EventBusName === undefined);
    expect(forward).toHaveLength(1);
    expect(forward[0]![1].Properties.EventPattern).toEqual(pattern);
    expect(forward[0]![1].Properties.Targets[0].Arn).toEqual(busArn());

    const stateQueue = getAtt(logicalIdOf(stack, stack.pipeline.queues.buildState!.queue));
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: ref(logicalIdOf(stack, stack.pipeline.bus)),
      EventPattern: { ...pattern, 'replay-name': [{ exists: false }] },
      Targets: [Match.objectLike({ Arn: stateQueue })],
    });
  });
});

describe('least privilege', () => {
  // What every function has: its log group, X-Ray, its idempotency records and, when queue-fed, its queue.
  const COMMON = /^(logs|xray|sqs):|^dynamodb:(GetItem|PutItem|UpdateItem|DeleteItem)$/;
  const actionsOf = (role: { node: { findChild(id: string): unknown } }) => {
    const policy = logicalIdOf(stack, role.node.findChild('DefaultPolicy') as never);
    const actions = iamStatements(template)
      .filter((s) => s.holder === policy)
      .flatMap((s) => list(s.statement.Action as string | string[]));
    return [...new Set(actions)].sort();
  };

  it('gives each function the actions of its own step and nothing else', () => {
    const own = (name: keyof DrydockStack['pipeline']['functions']) =>
      actionsOf(stack.pipeline.functions[name].role).filter((a) => !COMMON.test(a));
    const push = ['events:PutEvents', 's3:PutObject', 'secretsmanager:GetSecretValue'];
    expect(own('webhook')).toEqual(push);
    expect(own('submit')).toEqual(push);
    expect(own('gate')).toEqual(['events:PutEvents', 's3:GetObject', 's3:ListBucket', 'ssm:GetParameter']);
    expect(own('buildStarter')).toEqual(['codebuild:StartBuild', 'events:PutEvents', 's3:PutObject']);
    expect(own('buildState')).toEqual([
      'codebuild:BatchGetBuilds',
      'events:PutEvents',
      'kms:Decrypt',
      's3:GetObject',
      's3:ListBucket',
    ]);
    expect(own('lineage')).toEqual(['dynamodb:Query']);
    expect(own('notify')).toEqual(['kms:Decrypt', 'kms:GenerateDataKey', 'sns:Publish']);
  });

  it('lets the gate and build-state list the snapshot bucket without a prefix condition, the others only their prefixes', () => {
    const lists = iamStatements(template).filter(({ statement }) => statement.Action === 's3:ListBucket');
    expect(lists.length).toBe(3);
    // The gate tells a missing team configuration (404) from a denied read (403), and build-state a build that
    // uploaded no events, only with an unconditioned ListBucket.
    const unconditioned = ['ListDefinitions', 'ListBuildEvents'];
    const snapshots = lists.filter(({ statement }) => unconditioned.includes(statement.Sid as string));
    expect(snapshots).toHaveLength(2);
    for (const { statement } of snapshots) {
      expect(statement.Condition).toBeUndefined();
      expect(statement.Resource).toEqual(getAtt(logicalIdOf(stack, stack.pipeline.snapshotBucket)));
    }
    for (const { statement } of lists.filter(
      ({ statement }) => !unconditioned.includes(statement.Sid as string),
    )) {
      const prefixes = list((statement.Condition as any).StringLike['s3:prefix'] as string | string[]);
      for (const p of prefixes) expect(p).toMatch(/^(builds|codebuild)\/\*$/);
    }
  });

  it('names no action with a wildcard in any identity policy', () => {
    const wild = iamStatements(template).flatMap(({ holder, statement }) =>
      list(statement.Action as string | string[])
        .filter((a) => a === '*' || a.endsWith(':*'))
        .map((a) => `${holder}: ${a}`),
    );
    expect(wild).toEqual([]);
  });

  it('uses wildcard resources only for the services and key schemes that need them', () => {
    // Each needs a reason acknowledged in the stack; cdk-nag (nag.test.ts) checks that every one is.
    const allowed = [
      /^\*$/, // X-Ray PutTraceSegments/PutTelemetryRecords, ECR GetAuthorizationToken
      /^arn:aws:ecr:eu-west-1:111111111111:repository\/drydock\/\*$/, // repositories created per definition on push
      /^<Snapshots\.Arn>\/contexts\/\*$/, // snapshots, keyed per repository and commit
      /^<Snapshots\.Arn>\/builds\/\*\/(request\.json|events\.jsonl)$/, // a build's request and events, keyed per build
      /^<BuildLogs\.Arn>\/codebuild\/\*$/, // CodeBuild's log objects, named per build
      /^arn:aws:logs:eu-west-1:111111111111:log-group:\/aws\/codebuild\/<ImageBuild>:\*$/, // CDK's default grant
    ];
    const flat = (r: unknown): string => {
      if (typeof r === 'string') return r;
      const o = r as Record<string, any>;
      if (o['Fn::Join']) return (o['Fn::Join'][1] as unknown[]).map(flat).join(o['Fn::Join'][0]);
      if (o['Fn::GetAtt'])
        return `<${o['Fn::GetAtt'][0].replace(/^Pipeline|[0-9A-F]{8}$/g, '')}.${o['Fn::GetAtt'][1]}>`;
      if (o.Ref === 'AWS::Partition') return 'aws';
      if (o.Ref) return `<${o.Ref.replace(/^Pipeline|[0-9A-F]{8}$/g, '')}>`;
      return JSON.stringify(r);
    };
    const wildcards = iamStatements(template)
      .filter(({ statement }) => statement.Effect === 'Allow')
      .flatMap(({ statement }) => list(statement.Resource).map(flat))
      .filter((r) => r.includes('*'));
    expect(wildcards.length).toBeGreaterThan(0);
    for (const w of wildcards)
      expect(
        allowed.some((a) => a.test(w)),
        w,
      ).toBe(true);
  });
});

describe('the CodeBuild contract grants', () => {
  // Each statement of a role's own policy on the snapshot bucket, as "action key-pattern".
  const snapshotAccess = (role: { node: { findChild(id: string): unknown } }) => {
    const policy = logicalIdOf(stack, role.node.findChild('DefaultPolicy') as never);
    const bucket = logicalIdOf(stack, stack.pipeline.snapshotBucket);
    return iamStatements(template)
      .filter((s) => s.holder === policy)
      .flatMap(({ statement }) =>
        list(statement.Resource)
          .filter((r) => JSON.stringify(r).includes(bucket))
          .flatMap((r: any) => {
            const key = r['Fn::Join'] ? r['Fn::Join'][1].slice(1).join('') : '(bucket)';
            return list(statement.Action as string | string[]).map((a) => `${a} ${key}`);
          }),
      )
      .sort();
  };

  it('lets the build starter write build requests and nothing else in the snapshot bucket', () => {
    expect(snapshotAccess(stack.pipeline.functions.buildStarter.role)).toEqual([
      's3:PutObject /builds/*/request.json',
    ]);
  });

  it('lets a build read contexts and requests and write only its events, never a request or a context', () => {
    expect(snapshotAccess(stack.pipeline.buildRole)).toEqual([
      's3:GetObject /builds/*/request.json',
      's3:GetObject /contexts/*',
      's3:PutObject /builds/*/events.jsonl',
    ]);
  });

  it('lets the build-state function read the build requests and events, and no longer the lineage table', () => {
    // The relay reads the request for the build's subject: without it every finished build is AccessDenied.
    expect(snapshotAccess(stack.pipeline.functions.buildState.role)).toEqual([
      's3:GetObject /builds/*/events.jsonl',
      's3:GetObject /builds/*/request.json',
      's3:ListBucket (bucket)',
    ]);
    const lineage = logicalIdOf(stack, stack.pipeline.lineageTable);
    const policy = logicalIdOf(
      stack,
      stack.pipeline.functions.buildState.role.node.findChild('DefaultPolicy') as never,
    );
    const onLineage = iamStatements(template).filter(
      (s) => s.holder === policy && JSON.stringify(s.statement.Resource).includes(lineage),
    );
    expect(onLineage).toEqual([]);
  });
});

describe('stores', () => {
  it('encrypts every bucket, blocks public access and refuses plain HTTP', () => {
    const buckets = resources('AWS::S3::Bucket');
    expect(buckets).toHaveLength(3);
    for (const [id, b] of buckets) {
      expect(
        b.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault,
      ).toEqual({ SSEAlgorithm: 'AES256' });
      expect(b.Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: ref(id),
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
  });

  it('logs access to the snapshot and log buckets', () => {
    const accessLogs = ref(logicalIdOf(stack, stack.pipeline.accessLogBucket));
    for (const bucket of [stack.pipeline.snapshotBucket, stack.pipeline.logBucket]) {
      const b = resource(template, logicalIdOf(stack, bucket));
      expect(b.Properties.LoggingConfiguration.DestinationBucketName).toEqual(accessLogs);
    }
  });

  it('encrypts both topics with the rotated KMS key and refuses plain HTTP', () => {
    const key = getAtt(logicalIdOf(stack, stack.pipeline.key));
    for (const [id, topic] of resources('AWS::SNS::Topic')) {
      expect(topic.Properties.KmsMasterKeyId).toEqual(key);
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [ref(id)],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('encrypts every queue and refuses plain HTTP', () => {
    for (const [id, q] of resources('AWS::SQS::Queue')) {
      expect(q.Properties.SqsManagedSseEnabled).toBe(true);
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [ref(id)],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
  });

  it('keys lineage so that "images built on base X" is a query, with PITR and encryption', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
      BillingMode: 'PAY_PER_REQUEST',
    });
  });

  it('keys idempotency records as Powertools expects, expiring by TTL', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
      SSESpecification: { SSEEnabled: true },
    });
  });

  it('starts the policy parameter with a valid policy that admits no base and enforces every security rule', () => {
    template.hasResourceProperties('AWS::SSM::Parameter', {
      Name: '/drydock/policy',
      Type: 'String',
      Value: INITIAL_POLICY,
    });
    const initial = parsePolicy(INITIAL_POLICY);
    expect(initial.allowed).toEqual([]);
    expect(initial.gate.enforce).toEqual([...DEFAULT_ENFORCED_RULES]);
  });

  it('generates a webhook secret where the provider secrets document keeps it', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: {
        SecretStringTemplate: '{}',
        GenerateStringKey: WEBHOOK_SECRET_KEY,
        PasswordLength: 48,
        ExcludePunctuation: true,
      },
    });
    const generated = { [WEBHOOK_SECRET_KEY]: 'x'.repeat(48) };
    expect(ProviderSecrets.safeParse(generated).success).toBe(true);
  });
});

describe('build project', () => {
  const project = () => resource(template, logicalIdOf(stack, stack.pipeline.buildProject)).Properties;

  it('runs privileged (docker), encrypted with the key, logging to CloudWatch and S3', () => {
    const p = project();
    expect(p.Environment.PrivilegedMode).toBe(true);
    expect(p.EncryptionKey).toEqual(getAtt(logicalIdOf(stack, stack.pipeline.key)));
    expect(p.LogsConfig.CloudWatchLogs.Status).toBe('ENABLED');
    expect(p.LogsConfig.S3Logs.Status).toBe('ENABLED');
    expect(p.Source.Type).toBe('NO_SOURCE');
    expect(p.TimeoutInMinutes).toBe(75);
  });

  it("reports JUnit XML to the pipeline's report group, by ARN", () => {
    const groupId = logicalIdOf(stack, stack.pipeline.reportGroup);
    template.hasResourceProperties('AWS::CodeBuild::ReportGroup', {
      Name: 'drydock-image-tests',
      Type: 'TEST',
    });
    const spec = project().Source.BuildSpec;
    const text = (spec['Fn::Join'][1] as unknown[])
      .map((part) => (typeof part === 'string' ? part : `<${(part as any)['Fn::GetAtt'].join('.')}>`))
      .join('');
    const reports = parse(text).reports;
    expect(Object.keys(reports)).toEqual([`<${groupId}.Arn>`]);
    expect(reports[`<${groupId}.Arn>`]['file-format']).toBe('JUNITXML');
  });

  it('ships the whole CLI bundle to the build, its chunks included, without source maps', () => {
    const dir = join(Stage.of(stack)!.outdir, stack.pipeline.cliAsset.assetPath);
    const files = readdirSync(dir, { recursive: true }).map(String);
    expect(files).toContain('drydock.mjs');
    const text = readFileSync(join(dir, 'drydock.mjs'), 'utf8');
    for (const [, chunk] of text.matchAll(/["'](\.\/chunks\/[^"']+\.mjs)["']/g)) {
      expect(files, chunk).toContain(chunk!.slice(2));
    }
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
  });

  it('passes no secret in plain text to the build', () => {
    for (const v of project().Environment.EnvironmentVariables) {
      expect(v.Type).toBe('PLAINTEXT');
      expect(v.Name).not.toMatch(/SECRET|TOKEN|PASSWORD|KEY$/);
    }
  });
});
