import { z } from 'zod';

// Fields EventBridge adds to a delivered event that drydock's envelope does not carry.
const EVENTBRIDGE_ONLY = new Set(['version', 'account', 'region', 'resources']);

/** The EventBridge wire form (`detail-type`, `replay-name`, account…) turned into drydock's envelope fields. */
export function fromWire(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    if (key === 'detail-type') out.detailType = value;
    else if (key === 'replay-name') out.replayName = value;
    else if (!EVENTBRIDGE_ONLY.has(key)) out[key] = value;
  }
  return out;
}

/** A schema that accepts an event as EventBridge delivers it and validates it as the drydock envelope `schema`. */
export const wireEvent = <S extends z.ZodType>(schema: S) => z.preprocess(fromWire, schema);
