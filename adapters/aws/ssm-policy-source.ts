import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { DrydockError } from '../../core/errors.js';
import { parsePolicy } from '../../core/policy/parse-policy.js';
import type { Policy } from '../../core/policy/schema.js';
import type { Clock } from '../../core/ports/clock.js';
import { awsCall, hasAwsName } from './aws-service-error.js';
import { TtlCache } from './ttl-cache.js';

/** Options of the SSM policy source. */
export interface SsmPolicySourceOptions {
  readonly client: SSMClient;
  /** Name (or ARN) of the parameter that holds the policy document, YAML or JSON. */
  readonly parameterName: string;
  /** How long a fetched policy is used before SSM is asked again. @default 60_000 */
  readonly ttlMs?: number;
  readonly clock?: Clock;
}

/**
 * The base-image policy from SSM Parameter Store, validated by `parsePolicy` and cached for `ttlMs`, so that a
 * batch of pushes reads the parameter once and a ban published by ops is in force within a minute.
 */
export class SsmPolicySource {
  private readonly cache: TtlCache<Policy>;

  constructor(private readonly options: SsmPolicySourceOptions) {
    this.cache = new TtlCache(() => this.fetch(), options.ttlMs ?? 60_000, options.clock);
  }

  /** The policy in force; throws `PolicyValidationError` naming every issue when the parameter is invalid. */
  policy(): Promise<Policy> {
    return this.cache.get();
  }

  private async fetch(): Promise<Policy> {
    const name = this.options.parameterName;
    let text: string | undefined;
    try {
      const out = await awsCall('ssm:GetParameter', () =>
        this.options.client.send(new GetParameterCommand({ Name: name, WithDecryption: true })),
      );
      text = out.Parameter?.Value;
    } catch (err) {
      if (hasAwsName(err, 'ParameterNotFound')) {
        // Ops must create the parameter before the gate can decide anything; a retry after that succeeds.
        throw new DrydockError(`the policy parameter ${name} does not exist`, {
          code: 'POLICY_MISSING',
          retryable: true,
          cause: err,
        });
      }
      throw err;
    }
    if (!text)
      throw new DrydockError(`the policy parameter ${name} is empty`, {
        code: 'POLICY_MISSING',
        retryable: true,
      });
    return parsePolicy(text, `ssm:${name}`);
  }
}
