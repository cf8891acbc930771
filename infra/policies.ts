import * as iam from 'aws-cdk-lib/aws-iam';
import { BASE_IMAGE_UNBANNED, DETAIL_TYPES, EVENT_SOURCE } from '../core/events/index.js';

/** Detail-type of an ops ban of a base image; only the ops principals may put it on the bus. */
export const BASE_IMAGE_BANNED = 'Base Image Banned';

/** Detail-types only ops may put on the bus: a ban, and lifting one. */
export const OPS_DETAIL_TYPES: readonly string[] = [BASE_IMAGE_BANNED, BASE_IMAGE_UNBANNED];

/** The drydock detail-types only the pipeline's own functions may put: every one except ops' bans and unbans. */
export const PIPELINE_DETAIL_TYPES: readonly string[] = (DETAIL_TYPES as readonly string[]).filter(
  (t) => !OPS_DETAIL_TYPES.includes(t),
);

/** The ECR actions that write or delete images, denied to every principal but the build role (and break-glass). */
export const IMAGE_WRITE_ACTIONS = [
  'ecr:PutImage',
  'ecr:InitiateLayerUpload',
  'ecr:UploadLayerPart',
  'ecr:CompleteLayerUpload',
  'ecr:BatchDeleteImage',
] as const;

/**
 * The repository policy of every drydock repository: an explicit Deny of image writes for every principal
 * whose `aws:PrincipalArn` is not one of `writers`. An allow-list alone leaves same-account admins free to
 * push through their identity policies; the Deny stops them too.
 */
export function repositoryPolicy(writers: readonly string[]): iam.PolicyDocument {
  return new iam.PolicyDocument({
    statements: [
      new iam.PolicyStatement({
        sid: 'OnlyThePipelineWritesImages',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: [...IMAGE_WRITE_ACTIONS],
        conditions: { ArnNotEquals: { 'aws:PrincipalArn': [...writers] } },
      }),
    ],
  });
}

/** Who may put which events on the drydock bus. */
export interface BusPolicyProps {
  readonly busArn: string;
  /** Principals that may put `Base Image Banned` and `Base Image Unbanned`. */
  readonly opsPrincipalArns: readonly string[];
  /** The roles of the pipeline's functions, which put every other drydock detail-type. */
  readonly pipelineRoleArns: readonly string[];
}

/**
 * The bus's resource policy. Allows let the named principals in (ops may be in another account); the Denies
 * hold even against same-account admins whose identity policies allow `events:PutEvents` on everything:
 * a ban or an unban from anyone but ops is refused, and so is any other `drydock` event from anyone but the pipeline.
 */
export function busPolicyStatements(props: BusPolicyProps): iam.PolicyStatement[] {
  const put = { actions: ['events:PutEvents'], resources: [props.busArn] };
  return [
    new iam.PolicyStatement({
      ...put,
      sid: 'OpsPutBans',
      principals: props.opsPrincipalArns.map((arn) => new iam.ArnPrincipal(arn)),
      conditions: {
        StringEquals: { 'events:source': EVENT_SOURCE, 'events:detail-type': [...OPS_DETAIL_TYPES] },
      },
    }),
    new iam.PolicyStatement({
      ...put,
      sid: 'PipelinePutsFlowEvents',
      principals: props.pipelineRoleArns.map((arn) => new iam.ArnPrincipal(arn)),
      conditions: {
        StringEquals: { 'events:source': EVENT_SOURCE, 'events:detail-type': [...PIPELINE_DETAIL_TYPES] },
      },
    }),
    new iam.PolicyStatement({
      ...put,
      sid: 'OnlyOpsPutBans',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      conditions: {
        StringEquals: { 'events:detail-type': [...OPS_DETAIL_TYPES] },
        ArnNotEquals: { 'aws:PrincipalArn': [...props.opsPrincipalArns] },
      },
    }),
    new iam.PolicyStatement({
      ...put,
      sid: 'OnlyThePipelinePutsFlowEvents',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      conditions: {
        StringEquals: { 'events:source': EVENT_SOURCE },
        StringNotEquals: { 'events:detail-type': [...OPS_DETAIL_TYPES] },
        ArnNotEquals: { 'aws:PrincipalArn': [...props.pipelineRoleArns] },
      },
    }),
  ];
}
