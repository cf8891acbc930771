import { type MessageAttributeValue, PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { DrydockEvent } from '../../core/events/index.js';
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
const FINDINGS_SHOWN = 50;

const oneLine = (text: string, max: number) => {
  const flat = text.replace(/[\r\n\t]+/g, ' ').replace(/[^\x20-\x7e]/g, '?');
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
};

/** The notification of a failed verdict, failed build or failed test run; undefined for an event teams need not hear about. */
export function notificationFor(event: DrydockEvent): Notification | undefined {
  switch (event.detailType) {
    case 'Definition Verdict': {
      const d = event.detail;
      if (d.passed) return undefined;
      const findings = d.findings.map(
        (f) => `  ${f.file}:${f.line}:${f.column} ${f.code} ${f.level}: ${f.message}`,
      );
      const denied = d.bases.flatMap((b) => (b.outcome === 'denied' ? [`  ${b.ref}: ${b.reason}`] : []));
      const unresolved = d.unresolved.map((u) => `  line ${u.loc.line}: ${u.written}: ${u.reason}`);
      const lines = [
        `${d.definition} at ${d.commit.slice(0, 12)} in ${d.repository} did not pass the gate.`,
        ...(denied.length ? ['', 'Base images refused:', ...denied] : []),
        ...(unresolved.length ? ['', 'Base images drydock could not resolve:', ...unresolved] : []),
        ...(findings.length
          ? ['', `Findings (${findings.length}):`, ...findings.slice(0, FINDINGS_SHOWN)]
          : []),
        ...(findings.length > FINDINGS_SHOWN ? [`  … and ${findings.length - FINDINGS_SHOWN} more`] : []),
      ];
      return make(`drydock: ${d.definition} rejected (${d.repository})`, lines, event, {
        repository: d.repository,
        definition: d.definition,
      });
    }
    case 'Build Failed': {
      const d = event.detail;
      const lines = [
        `The ${d.stage} step of ${d.definition} at ${d.commit.slice(0, 12)} in ${d.repository} failed.`,
        `Reason: ${d.reason}`,
        ...(d.logPath ? [`Log: ${d.logPath}`] : []),
        ...(d.logTail ? ['', 'End of the log:', d.logTail] : []),
      ];
      return make(`drydock: ${d.definition} ${d.stage} failed (${d.repository})`, lines, event, {
        repository: d.repository,
        definition: d.definition,
      });
    }
    case 'Image Tested': {
      const d = event.detail;
      if (d.passed) return undefined;
      const lines = [
        `${d.summary.failures} of ${d.summary.tests} image tests failed for ${d.definition} at ${d.commit.slice(0, 12)} in ${d.repository}.`,
        ...d.failures.map((f) => `  ${f.name}: ${f.message}`),
      ];
      return make(`drydock: ${d.definition} image tests failed (${d.repository})`, lines, event, {
        repository: d.repository,
        definition: d.definition,
      });
    }
    default:
      return undefined;
  }
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
export class SnsNotifier {
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
