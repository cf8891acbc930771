import { Duration } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EVENT_SOURCE } from '../../core/events/index.js';
import type { EventPattern } from '../../core/events/rules.js';
import { WorkQueue } from './work-queue.js';

/** Props of {@link PipelineEvents}. */
export interface PipelineEventsProps {
  readonly name: string;
  /** How long the archive keeps events for replay. @default Duration.days(90) */
  readonly archiveRetention?: Duration;
  /** Where the rule dead-letter queue's alarm notifies. */
  readonly alarmAction: cloudwatch.IAlarmAction;
  /** The bus's name. @default - generated from the construct path */
  readonly busName?: string;
}

/**
 * The drydock bus, its archive for replay, its rules (each delivers to a work queue) and the queue where
 * EventBridge puts what it could not deliver.
 */
export class PipelineEvents extends Construct {
  readonly bus: events.EventBus;
  readonly archive: events.Archive;
  /** Where EventBridge puts events it could not deliver to a queue. */
  readonly ruleDeadLetters: WorkQueue;

  constructor(scope: Construct, id: string, props: PipelineEventsProps) {
    super(scope, id);
    this.bus = new events.EventBus(this, 'Bus', {
      description: `${props.name}: drydock events`,
      ...(props.busName ? { eventBusName: props.busName } : {}),
    });
    this.archive = this.bus.archive('Archive', {
      description: `${props.name}: every drydock and forwarded CodeBuild event, for replay`,
      eventPattern: { source: [EVENT_SOURCE, 'aws.codebuild'] },
      retention: props.archiveRetention ?? Duration.days(90),
    });
    // This queue is itself a dead-letter target; its own DLQ only catches messages someone receives and fails.
    this.ruleDeadLetters = new WorkQueue(this, 'RuleDeadLetters', {
      purpose: 'events EventBridge could not deliver',
      visibilityTimeout: Duration.minutes(5),
      alarmAction: props.alarmAction,
    });
  }

  /** A rule on the drydock bus that delivers what `pattern` matches to `queue`. */
  deliver(id: string, rule: { description: string; pattern: EventPattern }, queue: sqs.IQueue): events.Rule {
    return new events.Rule(this, id, {
      eventBus: this.bus,
      description: rule.description,
      eventPattern: toCdkPattern(rule.pattern),
      targets: [new targets.SqsQueue(queue, { deadLetterQueue: this.ruleDeadLetters.queue })],
    });
  }

  /** A rule on the account's default bus that forwards what `pattern` matches (AWS service events) to the drydock bus. */
  forward(id: string, rule: { description: string; pattern: EventPattern }): events.Rule {
    return new events.Rule(this, id, {
      description: rule.description,
      eventPattern: toCdkPattern(rule.pattern),
      targets: [new targets.EventBus(this.bus, { deadLetterQueue: this.ruleDeadLetters.queue })],
    });
  }
}

/** The CDK form of a pattern: CDK renders its own `detailType` key as `detail-type` and passes others through. */
export function toCdkPattern(pattern: object): events.EventPattern {
  return pattern as events.EventPattern;
}
