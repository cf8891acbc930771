import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readConfig } from './config.js';
import { DrydockStack } from './drydock-stack.js';

const app = new App();
// An unacknowledged AwsSolutions finding fails `cdk synth` and `cdk deploy` (see cdk.out's validation report).
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
const config = readConfig(app);
new DrydockStack(app, config.stackName, {
  description: 'drydock: ops-owned container delivery pipeline (push flow)',
  ...(config.account || config.region ? { env: { account: config.account, region: config.region } } : {}),
  pipeline: config.pipeline,
});
app.synth();
