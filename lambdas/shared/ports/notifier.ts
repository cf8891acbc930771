import { SNSClient } from '@aws-sdk/client-sns';
import { SnsNotifier } from '../../../adapters/aws/sns-notifier.js';
import { awsPort } from '../aws-ports.js';
import { sdkClient } from '../clients.js';

/** The notifier port on AWS: the SNS topic of TOPIC_ARN. */
export const notifier = awsPort(
  'notifier',
  ({ TOPIC_ARN }, obs) => new SnsNotifier(sdkClient(obs, SNSClient), TOPIC_ARN),
);
