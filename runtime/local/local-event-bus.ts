import type { DrydockEvent } from '../../core/events/index.js';
import { type EventRule, matchingRules, messageGroupOf } from '../../core/events/rules.js';
import type { EventBus } from '../../core/ports/event-bus.js';
import type { EventLog } from '../../core/ports/event-log.js';
import type { WorkQueue } from '../../core/ports/work-queue.js';

const ROUTER = 'bus-router';

/** The body every rule target receives: the event, as EventBridge hands an SQS target the event. */
export interface QueuedEvent {
  readonly rule: string;
  readonly event: DrydockEvent;
}

/**
 * The local event bus: `publish` appends to the persisted log (idempotent by event id); `route` delivers
 * every logged event after the router's cursor to the queues its rules target, with a dedup id per
 * (event, rule), then moves the cursor. A crash between the two steps loses nothing: routing resumes
 * from the cursor and the dedup id stops a second delivery.
 */
export class LocalEventBus implements EventBus {
  constructor(
    private readonly log: EventLog,
    private readonly queues: Readonly<Record<string, WorkQueue<QueuedEvent>>>,
    private readonly rules: readonly EventRule[],
  ) {
    for (const rule of rules) {
      if (!queues[rule.target])
        throw new Error(`event rule ${rule.name} targets queue "${rule.target}", which does not exist`);
    }
  }

  async publish(events: readonly DrydockEvent[]): Promise<void> {
    for (const event of events) await this.log.append(event);
    await this.route();
  }

  /** Delivers logged events not yet routed; returns how many events it routed. */
  async route(batch = 100): Promise<number> {
    let routed = 0;
    for (;;) {
      const cursor = await this.log.cursor(ROUTER);
      const events = await this.log.readAfter(cursor, batch);
      if (events.length === 0) return routed;
      for (const { seq, event } of events) {
        // Grouped by repository: a queue serves repositories in turn.
        const group = messageGroupOf(event);
        for (const rule of matchingRules(this.rules, event)) {
          await this.queues[rule.target]?.send(
            { rule: rule.name, event },
            { dedupId: `${event.id}:${rule.name}`, ...(group === undefined ? {} : { groupId: group }) },
          );
        }
        await this.log.saveCursor(ROUTER, seq);
        routed++;
      }
    }
  }
}
