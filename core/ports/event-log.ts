import type { DrydockEvent } from '../events/index.js';

/** An event in the log with its position; positions only grow. */
export interface LoggedEvent {
  readonly seq: number;
  readonly event: DrydockEvent;
}

/** What `append` did: the event's position, and whether this call added it (false for an id already logged). */
export interface AppendResult {
  readonly seq: number;
  readonly appended: boolean;
}

/** The persisted, ordered log of every event on the bus; readers keep a named cursor to resume after a crash. */
export interface EventLog {
  /**
   * Appends an event once per id; appending an id again returns the first position and changes nothing.
   * An event that fails its schema is refused with `InvalidEventError`, for the caller to dead-letter.
   */
  append(event: DrydockEvent): Promise<AppendResult>;
  /** Events after the cursor (0 = from the start), oldest first, at most `limit`. */
  readAfter(cursor: number, limit?: number): Promise<LoggedEvent[]>;
  /** The event with this id, if logged. */
  get(id: string): Promise<LoggedEvent | undefined>;
  /** The saved position of a named reader; 0 when it has none. */
  cursor(reader: string): Promise<number>;
  /** Saves a reader's position; it never moves backwards. */
  saveCursor(reader: string, seq: number): Promise<void>;
}
