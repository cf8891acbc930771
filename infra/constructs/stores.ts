import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { IDEMPOTENCY_TABLE_KEYS, LINEAGE_TABLE_KEYS } from '../../adapters/aws/lineage-keys.js';
import { DEFAULT_ENFORCED_RULES } from '../../core/policy/default-enforced.js';

/** The key of the generated webhook secret in the provider secrets JSON (adapters/aws/provider-secrets.ts). */
export const WEBHOOK_SECRET_KEY = 'webhookSecret';

/**
 * A minimal valid policy document: whitelists nothing, so every base is denied until ops write the policy, and
 * enforces every security rule, as the local first start does.
 */
export const INITIAL_POLICY = `# drydock base-image policy (ops-owned). Replace this with your policy; see docs/aws.md.
version: 1
allowed: []
# Security rules no team config, pragma or override can silence.
gate:
  failureThreshold: warning
  enforce: [${DEFAULT_ENFORCED_RULES.join(', ')}]
`;

/** Props of {@link PipelineStores}. */
export interface PipelineStoresProps {
  /** Prefix of the names and descriptions. */
  readonly name: string;
  /** SSM parameter holding the policy document. @default `/${name}/policy` */
  readonly policyParameterName?: string;
}

/**
 * What the pipeline keeps: the KMS key of topics and build output, the snapshot, build-log and access-log
 * buckets, the lineage and idempotency tables, the policy parameter and the webhook secret.
 */
export class PipelineStores extends Construct {
  readonly key: kms.Key;
  readonly snapshotBucket: s3.Bucket;
  readonly logBucket: s3.Bucket;
  readonly accessLogBucket: s3.Bucket;
  readonly lineageTable: dynamodb.Table;
  readonly idempotencyTable: dynamodb.Table;
  readonly policyParameter: ssm.StringParameter;
  readonly webhookSecret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: PipelineStoresProps) {
    super(scope, id);
    const { name } = props;
    this.key = new kms.Key(this, 'Key', {
      description: `${name}: SNS topics and CodeBuild output`,
      enableKeyRotation: true,
    });
    // CloudWatch alarms publish to the encrypted alarm topic.
    this.key.grant(
      new iam.ServicePrincipal('cloudwatch.amazonaws.com'),
      'kms:Decrypt',
      'kms:GenerateDataKey',
    );

    this.accessLogBucket = new s3.Bucket(this, 'AccessLogs', {
      ...privateBucket(),
      lifecycleRules: [{ expiration: Duration.days(365) }],
    });
    Validations.of(this.accessLogBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This bucket receives the server access logs of the other buckets; logging it into itself would loop.',
    });
    this.snapshotBucket = new s3.Bucket(this, 'Snapshots', {
      ...privateBucket(),
      serverAccessLogsBucket: this.accessLogBucket,
      serverAccessLogsPrefix: 'snapshots/',
      lifecycleRules: [{ expiration: Duration.days(90) }],
    });
    this.logBucket = new s3.Bucket(this, 'BuildLogs', {
      ...privateBucket(),
      serverAccessLogsBucket: this.accessLogBucket,
      serverAccessLogsPrefix: 'build-logs/',
      lifecycleRules: [{ expiration: Duration.days(365) }],
    });

    this.lineageTable = new dynamodb.Table(this, 'Lineage', {
      partitionKey: { name: LINEAGE_TABLE_KEYS.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: LINEAGE_TABLE_KEYS.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.idempotencyTable = new dynamodb.Table(this, 'Idempotency', {
      partitionKey: { name: IDEMPOTENCY_TABLE_KEYS.partitionKey, type: dynamodb.AttributeType.STRING },
      timeToLiveAttribute: IDEMPOTENCY_TABLE_KEYS.ttlAttribute,
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.policyParameter = new ssm.StringParameter(this, 'Policy', {
      parameterName: props.policyParameterName ?? `/${name}/policy`,
      description: `${name} base-image policy (YAML); ops edit it, the gate reads it`,
      stringValue: INITIAL_POLICY,
      // Policies outgrow the 4 KB of a standard parameter; intelligent tiering switches to advanced when needed.
      tier: ssm.ParameterTier.INTELLIGENT_TIERING,
    });
    this.webhookSecret = new secretsmanager.Secret(this, 'WebhookSecret', {
      description: `${name}: webhook secret (GitHub HMAC key / GitLab token) and provider API tokens, as JSON`,
      // A random webhook secret for both providers; ops paste it into GitHub/GitLab and add API tokens beside it.
      generateSecretString: {
        secretStringTemplate: '{}',
        generateStringKey: WEBHOOK_SECRET_KEY,
        passwordLength: 48,
        excludePunctuation: true,
      },
    });
    Validations.of(this.webhookSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The webhook secret is shared with GitHub/GitLab, which cannot fetch it; rotation is a manual, coordinated change (docs/aws.md).',
    });
  }
}

function privateBucket(): s3.BucketProps {
  return {
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    removalPolicy: RemovalPolicy.RETAIN,
  };
}
