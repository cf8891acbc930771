import { createHash } from 'node:crypto';

/**
 * A deterministic event id from its parts, the same derivation as `stableId` in `core/gate/handle-push.ts`
 * (kept here so that the small Lambdas do not bundle the gate to compute an id).
 */
export function stableEventId(kind: string, ...parts: string[]): string {
  return `${kind}-${createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 32)}`;
}
