import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The directory of real event JSON fixtures (EventBridge wire form). */
export const EVENT_FIXTURES = join(import.meta.dirname, '../../fixtures/events');

/** A fixture parsed from JSON, as a consumer receives it. */
export function eventFixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(EVENT_FIXTURES, name), 'utf8')) as Record<string, unknown>;
}

/** Fixture file names, valid ones only (invalid ones start with `invalid-`). */
export function validFixtureNames(): string[] {
  return readdirSync(EVENT_FIXTURES).filter((f) => f.endsWith('.json') && !f.startsWith('invalid-'));
}
