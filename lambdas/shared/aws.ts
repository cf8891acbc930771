import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { GitProvider } from '../../adapters/aws/git-provider.js';
import { GitHubProvider } from '../../adapters/aws/github-provider.js';
import { GitLabProvider } from '../../adapters/aws/gitlab-provider.js';
import { type ProviderSecrets, ProviderSecretsSource } from '../../adapters/aws/provider-secrets.js';
import type { Observability } from './observability.js';

/** An SDK client with X-Ray capture (a no-op outside Lambda or with tracing off). */
export const traced = <C>(obs: Observability, client: C): C => obs.tracer.captureAWSv3Client(client);

/** The Powertools idempotency store on the idempotency table. */
export function idempotencyStore(obs: Observability, tableName: string): DynamoDBPersistenceLayer {
  return new DynamoDBPersistenceLayer({ tableName, awsSdkV3Client: traced(obs, new DynamoDBClient({})) });
}

/** GitHub and GitLab providers configured from the secret; public repositories need no token. */
export function providersFrom(secrets: ProviderSecrets): GitProvider[] {
  return [
    new GitHubProvider({
      ...(secrets.github?.token ? { token: secrets.github.token } : {}),
      ...(secrets.github?.apiUrl ? { apiUrl: secrets.github.apiUrl } : {}),
      ...(secrets.github?.host ? { host: secrets.github.host } : {}),
    }),
    new GitLabProvider({
      ...(secrets.gitlab?.token ? { token: secrets.gitlab.token } : {}),
      ...(secrets.gitlab?.url ? { url: secrets.gitlab.url } : {}),
    }),
  ];
}

/** The provider secrets (cached) and the providers built from them. */
export function providerAccess(obs: Observability, secretArn: string) {
  const source = new ProviderSecretsSource({
    client: traced(obs, new SecretsManagerClient({})),
    secretId: secretArn,
  });
  let built: { from: ProviderSecrets; providers: GitProvider[] } | undefined;
  return {
    secrets: () => source.secrets(),
    providers: async (): Promise<readonly GitProvider[]> => {
      const secrets = await source.secrets();
      if (built?.from !== secrets) built = { from: secrets, providers: providersFrom(secrets) };
      return built.providers;
    },
  };
}
