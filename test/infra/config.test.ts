import { App } from 'aws-cdk-lib';
import { CfnRegistryScanningConfiguration } from 'aws-cdk-lib/aws-ecr';
import { describe, expect, it } from 'vitest';
import { contextList, readConfig } from '../../infra/config.js';
import { cdkOutdir } from './outdir.js';
import { drydockApp, OPS_ROLE } from './synth.js';

const app = (context: Record<string, unknown>) => new App({ outdir: cdkOutdir(), context });

describe('readConfig', () => {
  it('reads ops principals from a cdk.json list or a comma-separated -c value', () => {
    expect(readConfig(app({ opsPrincipals: [OPS_ROLE] }), {}).pipeline.opsPrincipalArns).toEqual([OPS_ROLE]);
    expect(
      readConfig(app({ opsPrincipals: `${OPS_ROLE}, arn:aws:iam::111111111111:user/a` }), {}).pipeline
        .opsPrincipalArns,
    ).toEqual([OPS_ROLE, 'arn:aws:iam::111111111111:user/a']);
  });

  it('refuses to deploy without ops principals, saying how to name them', () => {
    expect(() => readConfig(app({}), {})).toThrow(/opsPrincipals is required.*-c opsPrincipals=/);
  });

  it('takes account and region from context first, then from the CLI environment', () => {
    const env = { CDK_DEFAULT_ACCOUNT: '222222222222', CDK_DEFAULT_REGION: 'us-east-1' };
    expect(readConfig(app({ opsPrincipals: OPS_ROLE }), env)).toMatchObject({
      account: '222222222222',
      region: 'us-east-1',
    });
    expect(
      readConfig(app({ opsPrincipals: OPS_ROLE, account: '333333333333', region: 'eu-central-1' }), env),
    ).toMatchObject({ account: '333333333333', region: 'eu-central-1' });
    expect(readConfig(app({ opsPrincipals: OPS_ROLE }), {})).toMatchObject({
      account: undefined,
      region: undefined,
    });
  });

  it('reads the optional settings and checks their types', () => {
    const config = readConfig(
      app({
        opsPrincipals: OPS_ROLE,
        breakGlassRole: 'arn:aws:iam::111111111111:role/glass',
        submitPrincipals: 'arn:aws:iam::111111111111:role/ci',
        maxConcurrentBuilds: '8',
        manageRegistryScanning: 'false',
        name: 'dd',
      }),
      {},
    );
    expect(config.pipeline).toEqual({
      opsPrincipalArns: [OPS_ROLE],
      submitPrincipalArns: ['arn:aws:iam::111111111111:role/ci'],
      breakGlassRoleArn: 'arn:aws:iam::111111111111:role/glass',
      name: 'dd',
      maxConcurrentBuilds: 8,
      manageRegistryScanning: false,
    });
    expect(() => readConfig(app({ opsPrincipals: OPS_ROLE, maxConcurrentBuilds: 'lots' }), {})).toThrow(
      /maxConcurrentBuilds must be a positive integer/,
    );
    expect(() => readConfig(app({ opsPrincipals: OPS_ROLE, manageRegistryScanning: 'no' }), {})).toThrow(
      /manageRegistryScanning must be true or false/,
    );
  });

  it('splits context lists and drops empty entries', () => {
    expect(contextList(undefined)).toEqual([]);
    expect(contextList('')).toEqual([]);
    expect(contextList('a,,b')).toEqual(['a', 'b']);
    expect(contextList(['a', ''])).toEqual(['a']);
  });
});

describe('DrydockPipeline props', () => {
  it('leaves the account-wide registry scanning alone when told to', () => {
    const { stack } = drydockApp({ pipeline: { manageRegistryScanning: false } });
    expect(stack.node.findAll().some((c) => c instanceof CfnRegistryScanningConfiguration)).toBe(false);
  });

  it('refuses a pipeline nobody can ban bases on', () => {
    expect(() => drydockApp({ pipeline: { opsPrincipalArns: [] } })).toThrow(/opsPrincipalArns must name/);
  });
});
