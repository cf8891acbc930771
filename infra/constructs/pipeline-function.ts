import { join } from 'node:path';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** The Lambda runtime drydock deploys: Node.js 24, the current LTS (Node.js 20 reached end of life in April 2026). */
export const DEFAULT_RUNTIME = lambda.Runtime.NODEJS_24_X;

/** Props of {@link PipelineFunction}. */
export interface PipelineFunctionProps {
  /** The handler module, relative to `projectRoot`; it exports `handler`. */
  readonly entry: string;
  readonly description: string;
  /** The repository root: holds package-lock.json and the `lambdas/` entries. */
  readonly projectRoot: string;
  readonly environment: Readonly<Record<string, string>>;
  /** Powertools service name, also the metrics dimension `service`. */
  readonly serviceName: string;
  readonly metricsNamespace: string;
  /** @default Duration.seconds(30) */
  readonly timeout?: Duration;
  /** @default 512 */
  readonly memorySize?: number;
  /** @default {@link DEFAULT_RUNTIME} */
  readonly runtime?: lambda.Runtime;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * One drydock Lambda: an arm64 `NodejsFunction` bundled by the local esbuild (never Docker) into one ESM file,
 * with its own role (no managed policies: its grants are added by the pipeline), its own log group with a
 * retention, X-Ray tracing and the Powertools settings.
 */
export class PipelineFunction extends Construct {
  readonly function: nodejs.NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: PipelineFunctionProps) {
    super(scope, id);
    const runtime = props.runtime ?? DEFAULT_RUNTIME;
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `drydock ${props.serviceName}: ${props.description}`,
    });
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry: join(props.projectRoot, props.entry),
      projectRoot: props.projectRoot,
      depsLockFilePath: join(props.projectRoot, 'package-lock.json'),
      handler: 'handler',
      description: props.description,
      runtime,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(30),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      tracing: lambda.Tracing.ACTIVE,
      environment: {
        ...props.environment,
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: props.metricsNamespace,
        POWERTOOLS_LOG_LEVEL: 'INFO',
      },
      bundling: {
        forceDockerBundling: false,
        format: nodejs.OutputFormat.ESM,
        target: runtimeTarget(runtime),
        // ESM first, so Powertools and the SDK tree-shake; the SDK is bundled so that the deployed code
        // runs the client versions the tests ran, not whatever the runtime ships.
        mainFields: ['module', 'main'],
        bundleAwsSDK: true,
        minify: true,
        // No source map: for the gate it would double the deployed zip (over 1 MB) and --enable-source-maps
        // slows every cold start; kept names make minified stack traces readable enough.
        sourceMap: false,
        keepNames: true,
        // CommonJS dependencies (dockerfile-ast, mvdan-sh) call require(); give the ESM bundle one.
        banner: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
        tsconfig: join(props.projectRoot, 'tsconfig.json'),
      },
    });

    // Lambda's active tracing needs these two X-Ray calls, which take no resource.
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions.',
    });
  }

  /** The ARN of the role the function runs as, as `aws:PrincipalArn` sees it. */
  get roleArn(): string {
    return this.role.roleArn;
  }
}

// esbuild's target for the runtime: `nodejs24.x` → `node24`.
function runtimeTarget(runtime: lambda.Runtime): string {
  const match = /^nodejs(\d+)/.exec(runtime.name);
  if (!match) throw new Error(`${runtime.name} is not a Node.js runtime`);
  return `node${match[1]}`;
}
