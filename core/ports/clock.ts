/** The current time, injected so that timeouts can be tested without sleeping. */
export interface Clock {
  now(): Date;
}

/** The clock of the machine. */
export const systemClock: Clock = { now: () => new Date() };
