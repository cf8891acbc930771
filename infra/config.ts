import type { App } from 'aws-cdk-lib';
import type { DrydockPipelineProps } from './drydock-pipeline.js';

/** What `infra/app.ts` reads from CDK context (`cdk.json` or `-c key=value`) and the environment. */
export interface DrydockConfig {
  readonly stackName: string;
  readonly account?: string;
  readonly region?: string;
  readonly pipeline: DrydockPipelineProps;
}

/** A context value that may come as a JSON list (cdk.json) or a comma-separated string (`-c key=a,b`). */
export function contextList(value: unknown): string[] {
  if (value === undefined || value === null || value === '') return [];
  if (Array.isArray(value)) return value.map(String).filter((v) => v !== '');
  return String(value)
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

function contextNumber(app: App, key: string): number | undefined {
  const value = app.node.tryGetContext(key);
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`context ${key} must be a positive integer, not ${value}`);
  return n;
}

function contextBoolean(app: App, key: string): boolean | undefined {
  const value = app.node.tryGetContext(key);
  if (value === undefined || value === '') return undefined;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new Error(`context ${key} must be true or false, not ${value}`);
}

/**
 * Reads the deployment's settings. Account and region come from context, else from the credentials the CDK CLI
 * found (`CDK_DEFAULT_ACCOUNT`/`CDK_DEFAULT_REGION`); with neither, the stack synthesizes environment-agnostic.
 */
export function readConfig(app: App, env: NodeJS.ProcessEnv = process.env): DrydockConfig {
  const ctx = (key: string): string | undefined => {
    const value = app.node.tryGetContext(key);
    return value === undefined || value === '' ? undefined : String(value);
  };
  const opsPrincipalArns = contextList(app.node.tryGetContext('opsPrincipals'));
  if (opsPrincipalArns.length === 0) {
    throw new Error(
      'context opsPrincipals is required: the IAM role ARNs allowed to ban base images (-c opsPrincipals=arn:…,arn:…)',
    );
  }
  const breakGlassRoleArn = ctx('breakGlassRole');
  const name = ctx('name');
  const policyParameterName = ctx('policyParameter');
  const maxConcurrentBuilds = contextNumber(app, 'maxConcurrentBuilds');
  const manageRegistryScanning = contextBoolean(app, 'manageRegistryScanning');
  return {
    stackName: ctx('stackName') ?? 'Drydock',
    account: ctx('account') ?? env.CDK_DEFAULT_ACCOUNT,
    region: ctx('region') ?? env.CDK_DEFAULT_REGION,
    pipeline: {
      opsPrincipalArns,
      submitPrincipalArns: contextList(app.node.tryGetContext('submitPrincipals')),
      ...(breakGlassRoleArn ? { breakGlassRoleArn } : {}),
      ...(name ? { name } : {}),
      ...(policyParameterName ? { policyParameterName } : {}),
      ...(maxConcurrentBuilds ? { maxConcurrentBuilds } : {}),
      ...(manageRegistryScanning === undefined ? {} : { manageRegistryScanning }),
    },
  };
}
