import type { Clock } from '../../core/ports/clock.js';

/** A clock that moves only when told, so that timeouts are tested without sleeping. */
export class ManualClock implements Clock {
  private ms: number;

  constructor(start = Date.parse('2025-03-14T09:00:00Z')) {
    this.ms = start;
  }

  now(): Date {
    return new Date(this.ms);
  }

  advance(ms: number): void {
    this.ms += ms;
  }
}

/** A port under contract test, with a way to open it again (a new connection, a new client) on the same state. */
export interface ContractHarness<P> {
  readonly subject: P;
  reopen(): P;
  close(): void;
}
