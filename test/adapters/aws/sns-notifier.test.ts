import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { notificationFor, SnsNotifier } from '../../../adapters/aws/sns-notifier.js';
import { type DrydockEvent, parseEvent } from '../../../core/events/index.js';

const fixture = (name: string): DrydockEvent => {
  const parsed = parseEvent(
    JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/events', name), 'utf8')),
  );
  if (!parsed.ok) throw parsed.error;
  return parsed.event;
};
const TOPIC = 'arn:aws:sns:eu-west-1:111111111111:drydock-teams';
const sns = mockClient(SNSClient);
const notifier = () => new SnsNotifier(new SNSClient({ region: 'eu-west-1' }), TOPIC);

beforeEach(() => {
  sns.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'msg-1' });
});
afterEach(() => sns.reset());

describe('SnsNotifier', () => {
  it('publishes a failed verdict with its findings, a one-line subject and the repository to filter on', async () => {
    const verdict = fixture('definition-verdict-failed.json');
    expect(await notifier().notify(verdict)).toBe('msg-1');
    const input = sns.commandCalls(PublishCommand)[0]!.args[0].input;
    expect(input).toMatchObject({
      TopicArn: TOPIC,
      Subject: 'drydock: services/worker/Dockerfile rejected (git@git.example.internal:payments/api.git)',
      MessageAttributes: {
        repository: { DataType: 'String', StringValue: 'git@git.example.internal:payments/api.git' },
        definition: { DataType: 'String', StringValue: 'services/worker/Dockerfile' },
        detailType: { DataType: 'String', StringValue: 'Definition Verdict' },
        kind: { DataType: 'String', StringValue: 'verdict-failed' },
      },
    });
    expect(input.Message).toMatch(/did not pass the gate/);
    expect(input.Message).toMatch(/\b4:1 DL3008 warning:/);
  });

  it('publishes a failed build with its reason, log link and log tail', async () => {
    const failed = fixture('build-failed.json');
    await notifier().notify(failed);
    const input = sns.commandCalls(PublishCommand)[0]!.args[0].input;
    if (failed.detailType !== 'Build Failed') throw new Error('fixture');
    expect(input.Subject).toContain(`${failed.detail.stage} failed`);
    expect(input.Message).toContain(`${failed.detail.stage} failed: ${failed.detail.reason}`);
    expect(input.Message).toContain(failed.detail.logTail);
    if (failed.detail.logPath) expect(input.Message).toContain(`Log: ${failed.detail.logPath}`);
  });

  it('tells the team when a passed definition is built on a substituted base, as the local outbox does', async () => {
    const verdict = fixture('definition-verdict-failed.json');
    if (verdict.detailType !== 'Definition Verdict') throw new Error('fixture');
    const use = { text: 'python:3.8', kind: 'from', line: 1, column: 6, start: 5, end: 15 };
    const substituted = parseEvent({
      ...verdict,
      detail: {
        ...verdict.detail,
        passed: true,
        findings: [],
        bases: [
          {
            outcome: 'substituted',
            use,
            from: 'python:3.8',
            to: 'python:3.12',
            why: 'end of life',
            rule: 'r-1',
          },
        ],
        substituted: 'FROM python:3.12\n',
      },
    });
    if (!substituted.ok) throw substituted.error;
    await notifier().notify(substituted.event);
    const input = sns.commandCalls(PublishCommand)[0]!.args[0].input;
    expect(input.Subject).toContain('built on a substituted base');
    expect(input.Message).toContain('python:3.8 → python:3.12: end of life');
  });

  it('says nothing about a passed verdict', async () => {
    const verdict = fixture('definition-verdict-failed.json');
    const passed = { ...verdict, detail: { ...verdict.detail, passed: true } } as DrydockEvent;
    expect(await notifier().notify(passed)).toBeUndefined();
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it('keeps the subject within SNS limits: one line of printable ASCII, at most 100 characters', () => {
    const verdict = fixture('definition-verdict-failed.json');
    const long = {
      ...verdict,
      detail: { ...verdict.detail, definition: `${'x'.repeat(120)}\n/é/Dockerfile` },
    } as DrydockEvent;
    const subject = notificationFor(long)!.subject;
    expect(subject.length).toBeLessThanOrEqual(100);
    // Printable ASCII only (SNS refuses anything else), the cut marked with three dots.
    expect(subject).toMatch(/^[\x20-\x7e]+$/);
    expect(subject.endsWith('...')).toBe(true);
  });
});
