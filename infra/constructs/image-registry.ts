import { Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { Construct } from 'constructs';
import { repositoryPolicy } from '../policies.js';

/** Props of {@link ImageRegistry}. */
export interface ImageRegistryProps {
  readonly name: string;
  /** drydock's repositories live under `<prefix>/`. */
  readonly repositoryPrefix: string;
  /** Role ARNs that may write and delete images (the build role, and a break-glass role if any). */
  readonly writers: readonly string[];
  /** Images kept per repository; the oldest beyond this expire. */
  readonly maxImagesPerRepository: number;
  /** Whether to set the account's registry scanning configuration (one per account and region). */
  readonly manageScanning: boolean;
}

/**
 * The ECR side: repositories are created on the build's first push from this template (immutable tags, a
 * policy that lets only the writers write, a lifecycle), and every image of the prefix is scanned on push.
 */
export class ImageRegistry extends Construct {
  readonly repositoryTemplate: ecr.CfnRepositoryCreationTemplate;

  constructor(scope: Construct, id: string, props: ImageRegistryProps) {
    super(scope, id);
    this.repositoryTemplate = new ecr.CfnRepositoryCreationTemplate(this, 'Repositories', {
      prefix: props.repositoryPrefix,
      description: `${props.name}: images only the pipeline pushes`,
      appliedFor: ['CREATE_ON_PUSH'],
      // Tags stay immutable except drydock's support-marker tags, which a ban or an unban replaces.
      imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
      imageTagMutabilityExclusionFilters: [
        {
          imageTagMutabilityExclusionFilterType: 'WILDCARD',
          imageTagMutabilityExclusionFilterValue: 'sha256-*.unsupported',
        },
      ],
      encryptionConfiguration: { encryptionType: 'AES256' },
      repositoryPolicy: Stack.of(this).toJsonString(repositoryPolicy(props.writers).toJSON()),
      lifecyclePolicy: JSON.stringify(lifecyclePolicy(props.maxImagesPerRepository)),
    });
    if (props.manageScanning) {
      new ecr.CfnRegistryScanningConfiguration(this, 'ScanOnPush', {
        scanType: 'BASIC',
        rules: [
          {
            scanFrequency: 'SCAN_ON_PUSH',
            repositoryFilters: [{ filter: `${props.repositoryPrefix}/*`, filterType: 'WILDCARD' }],
          },
        ],
      });
    }
  }
}

/** ECR lifecycle: drop untagged manifests after a week, and the oldest images beyond `keep`. */
export function lifecyclePolicy(keep: number) {
  return {
    rules: [
      {
        rulePriority: 1,
        description: 'Untagged manifests left by interrupted pushes',
        selection: {
          tagStatus: 'untagged',
          countType: 'sinceImagePushed',
          countUnit: 'days',
          countNumber: 7,
        },
        action: { type: 'expire' },
      },
      {
        rulePriority: 2,
        description: `Keep the newest ${keep} images per repository`,
        selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: keep },
        action: { type: 'expire' },
      },
    ],
  };
}
