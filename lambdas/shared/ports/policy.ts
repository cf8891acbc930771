import { SSMClient } from '@aws-sdk/client-ssm';
import { SsmPolicySource } from '../../../adapters/aws/ssm-policy-source.js';
import { awsPort } from '../aws-ports.js';
import { sdkClient } from '../clients.js';

/** The policy port on AWS: the SSM parameter of POLICY_PARAMETER. */
export const policy = awsPort('policy', ({ POLICY_PARAMETER }, obs) => {
  const source = new SsmPolicySource({ client: sdkClient(obs, SSMClient), parameterName: POLICY_PARAMETER });
  return () => source.policy();
});
