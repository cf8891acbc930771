import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  githubWebhookSecret,
  gitlabWebhookToken,
  ProviderSecretsSource,
} from '../../../adapters/aws/provider-secrets.js';
import { ManualClock } from '../../contracts/manual-clock.js';

const sm = mockClient(SecretsManagerClient);
let clock: ManualClock;
const ARN = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:drydock-webhook-AbCdEf';
const source = () =>
  new ProviderSecretsSource({
    client: new SecretsManagerClient({ region: 'eu-west-1' }),
    secretId: ARN,
    clock,
  });

beforeEach(() => {
  sm.reset();
  clock = new ManualClock();
});
afterEach(() => sm.reset());

describe('ProviderSecretsSource', () => {
  it('reads the secret once per TTL and validates it', async () => {
    sm.on(GetSecretValueCommand).resolves({
      SecretString: JSON.stringify({ webhookSecret: 'w'.repeat(48), github: { token: 'ghp_x' } }),
    });
    const s = source();
    await s.secrets();
    clock.advance(299_999);
    expect(await s.secrets()).toEqual({ webhookSecret: 'w'.repeat(48), github: { token: 'ghp_x' } });
    clock.advance(1);
    await s.secrets();
    expect(sm.commandCalls(GetSecretValueCommand).map((c) => c.args[0].input)).toEqual([
      { SecretId: ARN },
      { SecretId: ARN },
    ]);
  });

  it('names what is wrong with the document without echoing a value', async () => {
    sm.on(GetSecretValueCommand).resolves({
      SecretString: JSON.stringify({ webhookSecret: 'short-secret', github: { tokn: 'ghp_leak' } }),
    });
    const error = (await source()
      .secrets()
      .catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/webhookSecret: must be at least 16 characters/);
    expect(error.message).toMatch(/github: Unrecognized key: "tokn"/);
    expect(error.message).not.toMatch(/short-secret|ghp_leak/);
  });

  it('refuses a secret that is not JSON', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: 'plain-text-secret' });
    await expect(source().secrets()).rejects.toMatchObject({ code: 'SECRET_INVALID' });
  });

  it('takes the webhook key of the provider first, else the generated one', () => {
    const generated = 'g'.repeat(48);
    expect(githubWebhookSecret({ webhookSecret: generated })).toBe(generated);
    expect(gitlabWebhookToken({ webhookSecret: generated, gitlab: { webhookToken: 't'.repeat(20) } })).toBe(
      't'.repeat(20),
    );
    expect(githubWebhookSecret({ gitlab: { webhookToken: 't'.repeat(20) } })).toBeUndefined();
  });
});
