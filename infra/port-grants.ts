import type * as s3 from 'aws-cdk-lib/aws-s3';
import { SNAPSHOT_PREFIXES } from '../adapters/aws/build-contract.js';
import { type DetailType, EVENT_SOURCE } from '../core/events/index.js';
import type { AwsPortName } from '../lambdas/shared/deployment.js';
import type { Allow } from './nag.js';

/** The resources behind the AWS ports. */
export interface PortResources {
  readonly busArn: string;
  readonly policyParameterArn: string;
  readonly snapshotBucket: s3.IBucket;
  readonly lineageTableArn: string;
  readonly teamTopicArn: string;
  /** The key the team topic is encrypted with. */
  readonly keyArn: string;
}

/** What a port's grants depend on besides the resources: the detail-types the function may put. */
export interface PortUser {
  readonly emits: readonly DetailType[];
}

/**
 * The IAM statements each port the AWS composition root assembles needs, in one place: a function gets the
 * grants of its step's ports and nothing else. Ports that read no AWS resource need none.
 */
export const PORT_GRANTS: Record<AwsPortName, (r: PortResources, user: PortUser) => readonly Allow[]> = {
  bus: (r, { emits }) =>
    emits.length === 0
      ? []
      : [
          {
            sid: 'PutOwnEvents',
            actions: ['events:PutEvents'],
            resources: [r.busArn],
            conditions: { StringEquals: { 'events:source': EVENT_SOURCE, 'events:detail-type': [...emits] } },
          },
        ],
  clock: () => [],
  policy: (r) => [{ sid: 'ReadPolicy', actions: ['ssm:GetParameter'], resources: [r.policyParameterArn] }],
  source: (r) => [
    {
      sid: 'ReadDefinitions',
      actions: ['s3:GetObject'],
      resources: [snapshotObjects(r.snapshotBucket, 'contexts')],
      wildcardReason: 'Snapshots are keyed per repository and commit, under contexts/.',
    },
    // Without s3:ListBucket a missing key answers AccessDenied, not NoSuchKey, and the gate looks up team
    // configurations that usually do not exist. No s3:prefix condition: a GetObject carries no prefix, so a
    // conditioned ListBucket would not turn its 403 into the 404 the gate needs.
    { sid: 'ListDefinitions', actions: ['s3:ListBucket'], resources: [r.snapshotBucket.bucketArn] },
  ],
  gateSettings: () => [],
  publishedEvents: () => [],
  lineage: (r) => [
    {
      sid: 'RecordLineage',
      // TransactWriteItems is authorized per item (conditional PutItems); UpdateItem draws list sequence numbers.
      actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'],
      resources: [r.lineageTableArn],
    },
  ],
  notifier: (r) => [
    { sid: 'NotifyTeams', actions: ['sns:Publish'], resources: [r.teamTopicArn] },
    { sid: 'EncryptNotifications', actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [r.keyArn] },
  ],
};

/** The statements of every port in `ports`, in order. */
export function portGrants(ports: readonly AwsPortName[], r: PortResources, user: PortUser): Allow[] {
  return ports.flatMap((port) => PORT_GRANTS[port](r, user));
}

/** The ARN pattern of every object under one prefix of the snapshot bucket. */
export function snapshotObjects(bucket: s3.IBucket, prefix: keyof typeof SNAPSHOT_PREFIXES): string {
  return bucket.arnForObjects(`${SNAPSHOT_PREFIXES[prefix]}*`);
}
