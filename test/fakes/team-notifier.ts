import type { DrydockEvent } from '../../core/events/index.js';
import type { TeamNotifier } from '../../core/steps/index.js';

/** A notifier that keeps every event it was asked to tell a team about; `failNext` makes the next notify throw. */
export class FakeTeamNotifier implements TeamNotifier {
  readonly notified: DrydockEvent[] = [];
  #failure: Error | undefined;

  async notify(event: DrydockEvent): Promise<string | undefined> {
    const failure = this.#failure;
    this.#failure = undefined;
    if (failure) throw failure;
    this.notified.push(event);
    return `notification-${this.notified.length}`;
  }

  failNext(error: Error): void {
    this.#failure = error;
  }
}
