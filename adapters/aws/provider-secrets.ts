import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { z } from 'zod';
import { DrydockError } from '../../core/errors.js';
import type { Clock } from '../../core/ports/clock.js';
import { awsCall } from './aws-service-error.js';
import { TtlCache } from './ttl-cache.js';

/**
 * The JSON document in the `WEBHOOK_SECRET_ARN` secret. The stack generates `webhookSecret`, the key GitHub signs
 * deliveries with (HMAC) and GitLab sends as its token; ops add API tokens beside it to read private repositories.
 */
export const ProviderSecrets = z.strictObject({
  webhookSecret: z.string().min(16, { error: 'must be at least 16 characters' }),
  githubToken: z.string().min(1).optional(),
  /** @default https://api.github.com */
  githubApiUrl: z.url().optional(),
  /** The host GitHub repository ids start with. @default github.com */
  githubHost: z.string().min(1).optional(),
  gitlabToken: z.string().min(1).optional(),
  /** @default https://gitlab.com */
  gitlabUrl: z.url().optional(),
});
export type ProviderSecrets = z.infer<typeof ProviderSecrets>;

/** Options of the cached secret. */
export interface ProviderSecretsSourceOptions {
  readonly client: SecretsManagerClient;
  readonly secretId: string;
  /** @default 300_000 */
  readonly ttlMs?: number;
  readonly clock?: Clock;
}

/** Reads and validates the provider secrets from Secrets Manager, cached for `ttlMs` (rotation shows up after it). */
export class ProviderSecretsSource {
  private readonly cache: TtlCache<ProviderSecrets>;

  constructor(private readonly options: ProviderSecretsSourceOptions) {
    this.cache = new TtlCache(() => this.fetch(), options.ttlMs ?? 300_000, options.clock);
  }

  secrets(): Promise<ProviderSecrets> {
    return this.cache.get();
  }

  private async fetch(): Promise<ProviderSecrets> {
    const id = this.options.secretId;
    const out = await awsCall('secretsmanager:GetSecretValue', () =>
      this.options.client.send(new GetSecretValueCommand({ SecretId: id })),
    );
    let data: unknown;
    try {
      data = JSON.parse(out.SecretString ?? '');
    } catch (err) {
      throw new DrydockError(`secret ${id} is not a JSON document`, { code: 'SECRET_INVALID', cause: err });
    }
    const parsed = ProviderSecrets.safeParse(data);
    if (!parsed.success) {
      // Never echo the values: only the paths and what is wrong with them.
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
      throw new DrydockError(`secret ${id} is invalid: ${issues.join('; ')}`, { code: 'SECRET_INVALID' });
    }
    return parsed.data;
  }
}
