import { createHash } from 'node:crypto';

/**
 * A deterministic event id from its parts, so that a redelivered input produces the same event and every
 * consumer can drop the second one: `build-requested-<32 hex>`.
 */
export function stableId(kind: string, ...parts: string[]): string {
  return `${kind}-${createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 32)}`;
}
