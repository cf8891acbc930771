import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/** Props of {@link PipelineTopics}. */
export interface PipelineTopicsProps {
  readonly name: string;
  /** The key both topics are encrypted with. */
  readonly key: kms.IKey;
}

/** Who hears from the pipeline: the team topic (verdicts, failed builds and tests) and the ops alarm topic. */
export class PipelineTopics extends Construct {
  readonly teamTopic: sns.Topic;
  readonly alarmTopic: sns.Topic;
  /** The action every dead-letter alarm takes: notify the ops alarm topic. */
  readonly alarmAction: cloudwatch.IAlarmAction;

  constructor(scope: Construct, id: string, props: PipelineTopicsProps) {
    super(scope, id);
    this.teamTopic = new sns.Topic(this, 'TeamNotifications', {
      displayName: `${props.name}: verdicts, failed builds and failed tests`,
      masterKey: props.key,
      enforceSSL: true,
    });
    this.alarmTopic = new sns.Topic(this, 'OpsAlarms', {
      displayName: `${props.name}: dead-lettered messages`,
      masterKey: props.key,
      enforceSSL: true,
    });
    this.alarmAction = new cloudwatchActions.SnsAction(this.alarmTopic);
  }
}
