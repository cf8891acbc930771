import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { GitProvider } from '../../adapters/aws/git-provider.js';
import { GitHubProvider } from '../../adapters/aws/github-provider.js';
import { GitLabProvider } from '../../adapters/aws/gitlab-provider.js';
import { type ProviderSecrets, ProviderSecretsSource } from '../../adapters/aws/provider-secrets.js';
import { type Observability, traced } from './observability.js';

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
