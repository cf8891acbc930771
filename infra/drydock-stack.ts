import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { DrydockPipeline, type DrydockPipelineProps } from './drydock-pipeline.js';

/** Props of {@link DrydockStack}. */
export interface DrydockStackProps extends StackProps {
  readonly pipeline: DrydockPipelineProps;
}

/** The deployable drydock stack: one pipeline and the outputs ops and teams need to connect to it. */
export class DrydockStack extends Stack {
  readonly pipeline: DrydockPipeline;

  constructor(scope: Construct, id: string, props: DrydockStackProps) {
    super(scope, id, props);
    this.pipeline = new DrydockPipeline(this, 'Pipeline', props.pipeline);
    const p = this.pipeline;
    const output = (id: string, value: string, description: string) =>
      new CfnOutput(this, id, { value, description });
    output('WebhookUrl', p.webhookUrl.url, 'Payload URL of the GitHub/GitLab webhook');
    output('WebhookSecretArn', p.webhookSecret.secretArn, 'Secret to paste into the webhook settings');
    output('SubmitUrl', p.submitUrl.url, 'URL drydock submit calls (IAM-signed)');
    output('BusName', p.bus.eventBusName, 'Event bus ops put Base Image Banned on');
    output('PolicyParameter', p.policyParameter.parameterName, 'SSM parameter holding the base-image policy');
    output('Registry', `${p.registry}/${p.repositoryPrefix}`, 'Where drydock publishes images');
    output('TeamTopicArn', p.teamTopic.topicArn, 'SNS topic of team notifications');
    output('AlarmTopicArn', p.alarmTopic.topicArn, 'SNS topic of dead-letter alarms');
    output('BuildProject', p.buildProject.projectName, 'CodeBuild project that builds, tests and pushes');
  }
}
