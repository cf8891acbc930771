import type { DrydockEvent } from '../events/index.js';

/** Publishes events to the bus (EventBridge on AWS; the SQLite-backed local bus on one machine). */
export interface EventBus {
  publish(events: readonly DrydockEvent[]): Promise<void>;
}
