import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SsmPolicySource } from '../../../adapters/aws/ssm-policy-source.js';
import { PolicyValidationError } from '../../../core/errors.js';
import { ManualClock } from '../../contracts/manual-clock.js';

const POLICY = readFileSync(join(import.meta.dirname, '../../../examples/policy.yaml'), 'utf8');
const ssm = mockClient(SSMClient);
let clock: ManualClock;
const source = () =>
  new SsmPolicySource({
    client: new SSMClient({ region: 'eu-west-1' }),
    parameterName: '/drydock/policy',
    ttlMs: 60_000,
    clock,
  });

beforeEach(() => {
  ssm.reset();
  clock = new ManualClock();
});
afterEach(() => ssm.reset());

describe('SsmPolicySource', () => {
  it('reads the parameter once, decrypted, for every call within the TTL, concurrent ones included', async () => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Name: '/drydock/policy', Value: POLICY } });
    const s = source();
    const [a, b] = await Promise.all([s.policy(), s.policy()]);
    clock.advance(59_999);
    const c = await s.policy();
    expect(a.allowed.length).toBeGreaterThan(0);
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(ssm.commandCalls(GetParameterCommand).map((x) => x.args[0].input)).toEqual([
      { Name: '/drydock/policy', WithDecryption: true },
    ]);
  });

  it('reads it again once the TTL has passed', async () => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: POLICY } });
    const s = source();
    await s.policy();
    clock.advance(60_000);
    await s.policy();
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(2);
  });

  it('refuses an invalid policy with the field path, and asks again on the next call', async () => {
    ssm
      .on(GetParameterCommand)
      .resolvesOnce({ Parameter: { Value: 'version: 1\nallowed:\n  - tags: ["1"]\n' } })
      .resolves({ Parameter: { Value: POLICY } });
    const s = source();
    const error = await s.policy().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PolicyValidationError);
    expect((error as Error).message).toMatch(/ssm:\/drydock\/policy: invalid policy/);
    expect((error as Error).message).toMatch(/allowed\[0\]/);
    await expect(s.policy()).resolves.toMatchObject({ version: 1 });
  });

  it('reports a missing parameter as retryable', async () => {
    ssm.on(GetParameterCommand).rejects(
      Object.assign(new Error('not found'), {
        name: 'ParameterNotFound',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    await expect(source().policy()).rejects.toMatchObject({ code: 'POLICY_MISSING', retryable: true });
  });

  it('passes throttling on as a retryable AWS error', async () => {
    ssm.on(GetParameterCommand).rejects(
      Object.assign(new Error('Rate exceeded'), {
        name: 'ThrottlingException',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    await expect(source().policy()).rejects.toMatchObject({ name: 'AwsServiceError', retryable: true });
  });
});
