import type { DetailType, DrydockEvent, EventOf } from '../../core/events/index.js';
import type { EventBus } from '../../core/ports/event-bus.js';
import type { PublishedEvents } from '../../core/steps/index.js';

/**
 * An in-memory bus: keeps every published event in order, and answers `has(id)` as the local event log does
 * (so it serves as the `publishedEvents` port too). `failNext` makes the next publish throw, publishing nothing.
 */
export class FakeEventBus implements EventBus, PublishedEvents {
  readonly events: DrydockEvent[] = [];
  #failure: Error | undefined;

  async publish(events: readonly DrydockEvent[]): Promise<void> {
    const failure = this.#failure;
    this.#failure = undefined;
    if (failure) throw failure;
    // Copies: a step that changes an event after publishing it must not change what was published.
    this.events.push(...events.map((e) => structuredClone(e)));
  }

  async has(eventId: string): Promise<boolean> {
    return this.events.some((e) => e.id === eventId);
  }

  /** The published events of one detail-type, in order. */
  ofType<T extends DetailType>(detailType: T): EventOf<T>[] {
    return this.events.filter((e): e is EventOf<T> => e.detailType === detailType);
  }

  /** The detail-types published, in order. */
  detailTypes(): string[] {
    return this.events.map((e) => e.detailType);
  }

  failNext(error: Error): void {
    this.#failure = error;
  }
}
