import { type MessageAttributeValue, PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { DrydockEvent } from '../../core/events/index.js';
import { type TeamNotification, teamNotificationFor } from '../../core/notify/team-notification.js';
import type { TeamNotifier } from '../../core/steps/step-ports.js';
import { awsCall } from './aws-service-error.js';

/** A message for the team: subject, text, and the attributes subscriptions filter on. */
export interface Notification {
  readonly subject: string;
  readonly text: string;
  readonly attributes: Readonly<Record<string, string>>;
}

// SNS limits: subject ≤ 100 characters on one line; the whole message ≤ 256 KiB.
const SUBJECT_MAX = 100;
const TEXT_MAX = 200_000;

const oneLine = (text: string, max: number) => {
  const flat = text.replace(/[\r\n\t]+/g, ' ').replace(/[^\x20-\x7e]/g, '?');
  // ASCII only, the ellipsis too: SNS refuses a subject with any other character.
  return flat.length <= max ? flat : `${flat.slice(0, max - 3)}...`;
};

const WHAT: Readonly<Record<TeamNotification['kind'], string>> = {
  'verdict-failed': 'rejected',
  'build-failed': 'build failed',
  'tests-failed': 'image tests failed',
  'base-substituted': 'built on a substituted base',
  'rebuild-outcome': 'base image banned',
};

/**
 * The SNS message for an event the team must hear about — the same text the local outbox keeps
 * (`core/notify`): a failed verdict, a base substituted, a failed build or test run; undefined otherwise.
 */
export function notificationFor(event: DrydockEvent): Notification | undefined {
  const note = teamNotificationFor(event);
  if (!note) return undefined;
  const what = event.detailType === 'Build Failed' ? `${event.detail.stage} failed` : WHAT[note.kind];
  const lines = [
    note.summary,
    ...(event.detailType === 'Build Failed' && event.detail.logPath
      ? ['', `Log: ${event.detail.logPath}`]
      : []),
  ];
  return make(`drydock: ${note.definition} ${what} (${note.repository})`, lines, event, {
    repository: note.repository,
    definition: note.definition,
    kind: note.kind,
  });
}

function make(
  subject: string,
  lines: readonly string[],
  event: DrydockEvent,
  attributes: Record<string, string>,
): Notification {
  const text = lines.join('\n');
  return {
    subject: oneLine(subject, SUBJECT_MAX),
    text: text.length <= TEXT_MAX ? text : `${text.slice(0, TEXT_MAX)}\n… (cut)`,
    attributes: { ...attributes, detailType: event.detailType },
  };
}

/** Sends team notifications to an SNS topic; subscribers filter on the `repository` attribute. */
export class SnsNotifier implements TeamNotifier {
  constructor(
    private readonly client: SNSClient,
    private readonly topicArn: string,
  ) {}

  /** Publishes the event's notification; returns the SNS message id, or undefined when there is nothing to say. */
  async notify(event: DrydockEvent): Promise<string | undefined> {
    const n = notificationFor(event);
    if (!n) return undefined;
    const attributes: Record<string, MessageAttributeValue> = {};
    for (const [name, value] of Object.entries(n.attributes))
      attributes[name] = { DataType: 'String', StringValue: value };
    const out = await awsCall('sns:Publish', () =>
      this.client.send(
        new PublishCommand({
          TopicArn: this.topicArn,
          Subject: n.subject,
          Message: n.text,
          MessageAttributes: attributes,
        }),
      ),
    );
    return out.MessageId;
  }
}
