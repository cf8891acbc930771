import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as z from 'zod';
import { DrydockError } from '../../core/errors.js';
import type { Clock } from '../../core/ports/clock.js';
import { awsCall } from './aws-service-error.js';
import { TtlCache } from './ttl-cache.js';

const webhookKey = z.string().min(16, { error: 'must be at least 16 characters' });

/**
 * The JSON document in the `WEBHOOK_SECRET_ARN` secret (docs/aws.md). `webhookSecret` at the top is the key the
 * stack generates, used for both providers; `github.webhookSecret` (the HMAC key GitHub signs with) and
 * `gitlab.webhookToken` (the token GitLab sends) override it per provider. The API tokens read private
 * repositories; public ones need none.
 */
export const ProviderSecrets = z.strictObject({
  webhookSecret: webhookKey.optional(),
  github: z
    .strictObject({
      webhookSecret: webhookKey.optional(),
      token: z.string().min(1).optional(),
      /** @default https://api.github.com */
      apiUrl: z.url().optional(),
      /** The host GitHub repository ids start with. @default github.com */
      host: z.string().min(1).optional(),
    })
    .optional(),
  gitlab: z
    .strictObject({
      webhookToken: webhookKey.optional(),
      token: z.string().min(1).optional(),
      /** @default https://gitlab.com */
      url: z.url().optional(),
    })
    .optional(),
});
export type ProviderSecrets = z.infer<typeof ProviderSecrets>;

/** The key GitHub deliveries are signed with, if one is configured. */
export const githubWebhookSecret = (s: ProviderSecrets) => s.github?.webhookSecret ?? s.webhookSecret;

/** The token GitLab deliveries carry, if one is configured. */
export const gitlabWebhookToken = (s: ProviderSecrets) => s.gitlab?.webhookToken ?? s.webhookSecret;

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
