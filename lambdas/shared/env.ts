import * as z from 'zod';

const name = z.string().trim().min(1, { error: 'must not be empty' });
const arn = (service: string) =>
  z.string().regex(new RegExp(`^arn:aws[a-z-]*:${service}:[a-z0-9-]+:\\d{12}:.+$`), {
    error: `must be an ${service} ARN`,
  });

/** Every environment variable a drydock Lambda reads, with its format; the CDK stack sets them. */
export const ENV_SCHEMA = {
  /** Name (or ARN) of the drydock EventBridge bus. */
  BUS_NAME: name,
  /** Name of the SSM parameter holding the base-image policy. */
  POLICY_PARAMETER: name,
  /** Bucket of definition snapshots, build contexts, and each build's request and events. */
  SNAPSHOT_BUCKET: name,
  /** Bucket CodeBuild writes build logs to. */
  LOG_BUCKET: name,
  /** DynamoDB table of Powertools idempotency records. */
  IDEMPOTENCY_TABLE: name,
  /** DynamoDB table of lineage. */
  LINEAGE_TABLE: name,
  /** Name of the CodeBuild project that builds, tests and pushes images. */
  BUILD_PROJECT: name,
  /** SNS topic of team notifications. */
  TOPIC_ARN: arn('sns'),
  /** Secrets Manager secret with the webhook secrets and provider tokens. */
  WEBHOOK_SECRET_ARN: arn('secretsmanager'),
} as const;

/** A variable name of {@link ENV_SCHEMA}. */
export type EnvName = keyof typeof ENV_SCHEMA;

/** The configuration of a Lambda could not be read from its environment. */
export class LambdaEnvironmentError extends Error {
  override readonly name = 'LambdaEnvironmentError';
}

/**
 * Reads and checks the named variables at init, so that a misconfigured function fails on its first cold start
 * with every bad variable named, instead of on the first event that needs one.
 */
export function readEnv<const K extends EnvName>(
  fn: string,
  names: readonly K[],
  env: Readonly<Record<string, string | undefined>> = process.env,
): { readonly [P in K]: string } {
  const out: Partial<Record<K, string>> = {};
  const problems: string[] = [];
  for (const key of names) {
    const value = env[key];
    if (value === undefined || value === '') {
      problems.push(`${key} is not set`);
      continue;
    }
    const parsed = ENV_SCHEMA[key].safeParse(value);
    if (parsed.success) out[key] = parsed.data;
    else
      problems.push(
        `${key} ${parsed.error.issues[0]?.message ?? 'is invalid'} (got ${JSON.stringify(value)})`,
      );
  }
  if (problems.length > 0) {
    throw new LambdaEnvironmentError(`drydock ${fn}: bad environment: ${problems.join('; ')}`);
  }
  return out as { readonly [P in K]: string };
}
