import type { DrydockEvent } from '../../core/events/index.js';
import { type TeamNotification, teamNotificationFor } from '../../core/notify/team-notification.js';
import type { TeamNotifier } from '../../core/steps/step-ports.js';
import type { SqliteOutbox } from './sqlite-outbox.js';

/** Options of `OutboxNotifier`. */
export interface OutboxNotifierOptions {
  /** Told of each notification the first time it is stored (a redelivered event is stored, and told, once). */
  readonly onStored?: (notification: TeamNotification) => void;
}

/** Tells teams through the local outbox (shown by `drydock notifications` and the dashboard): one row per event. */
export class OutboxNotifier implements TeamNotifier {
  constructor(
    private readonly outbox: Pick<SqliteOutbox, 'put'>,
    private readonly options: OutboxNotifierOptions = {},
  ) {}

  /** Stores the event's notification; returns its id (the event's), or undefined when there is nothing to say. */
  async notify(event: DrydockEvent): Promise<string | undefined> {
    const note = teamNotificationFor(event);
    if (!note) return undefined;
    if (await this.outbox.put(note)) {
      try {
        this.options.onStored?.(note);
      } catch {
        // The notification is stored: an observer's failure must not make the step run (and tell) again.
      }
    }
    return note.id;
  }
}
