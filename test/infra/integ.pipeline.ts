// A deploy-time integration test of the drydock stack (@aws-cdk/integ-tests-alpha). It deploys a separate
// pipeline (`DrydockInteg`, prefix drydock-integ) and an assertion stack whose custom resources call the live
// services; a failed assertion fails the deployment. Run it with `DRYDOCK_INTEG=1 npx vitest run
// test/infra/integ.pipeline.test.ts` (deploys, asserts, destroys) or by hand, see docs/aws.md.

import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, RemovalPolicies, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { INITIAL_POLICY } from '../../infra/drydock-pipeline.js';
import { DrydockStack } from '../../infra/drydock-stack.js';

const app = new App();
const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };

// The ops principal: a role of its own, so the test never names a real person's role.
const opsStack = new Stack(app, 'DrydockIntegOps', { env });
const ops = new iam.Role(opsStack, 'Ops', { assumedBy: new iam.AccountRootPrincipal() });

const stack = new DrydockStack(app, 'DrydockInteg', {
  env,
  pipeline: {
    name: 'drydock-integ',
    opsPrincipalArns: [ops.roleArn],
    // The registry scanning configuration is one per account: leave the account's own alone.
    manageRegistryScanning: false,
  },
});
// A test deployment leaves nothing behind but the buckets that still hold objects.
RemovalPolicies.of(stack).destroy();

const integ = new IntegTest(app, 'DrydockIntegTest', {
  testCases: [stack],
  // In the pipeline's environment, so that the assertions can reference its resources.
  assertionStack: new Stack(app, 'DrydockIntegAssertions', { env }),
  diffAssets: false,
});
const p = stack.pipeline;

// A webhook delivery without a valid signature is refused and puts nothing on the bus.
integ.assertions
  .httpApiCall(p.webhookUrl.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-github-delivery': 'integ-1' },
    body: JSON.stringify({ ref: 'refs/heads/main' }),
  })
  .expect(ExpectedResult.objectLike({ status: 401 }));

// The submit URL needs SigV4: an unsigned request is refused by Lambda itself.
integ.assertions
  .httpApiCall(p.submitUrl.url, { method: 'POST', body: '{}' })
  .expect(ExpectedResult.objectLike({ status: 403 }));

// The policy parameter starts with the minimal policy.
integ.assertions
  .awsApiCall('SSM', 'getParameter', { Name: p.policyParameter.parameterName })
  .expect(ExpectedResult.objectLike({ Parameter: { Value: INITIAL_POLICY } }));

// The assertion provider's role is neither ops nor a pipeline function: the bus refuses its ban and its drydock
// events even though its own policy allows events:PutEvents.
for (const detailType of ['Base Image Banned', 'Definition Pushed']) {
  integ.assertions
    .awsApiCall('EventBridge', 'putEvents', {
      Entries: [
        { EventBusName: p.bus.eventBusName, Source: 'drydock', DetailType: detailType, Detail: '{}' },
      ],
    })
    .expect(ExpectedResult.objectLike({ FailedEntryCount: 1 }));
}

// The build project is privileged and capped.
integ.assertions.awsApiCall('CodeBuild', 'batchGetProjects', { names: [p.buildProject.projectName] }).expect(
  ExpectedResult.objectLike({
    projects: [{ environment: { privilegedMode: true }, concurrentBuildLimit: 4 }],
  }),
);

app.synth();
