import type { DrydockEvent } from '../events/index.js';
import type { Rebuild } from '../events/rebuild.js';
import { type BanStore, definitionKey } from '../ports/ban-store.js';

/**
 * True when a dead-lettered event of the rebuild step (`rebuilds` target) is about a rebuild still `dispatched`:
 * nothing else will ever end that rebuild, and the step is idempotent, so the event is worth handling again. An
 * event of an unknown ban, of another rebuild number or of a rebuild that has ended is not.
 */
export async function rebuildAwaitsEvent(
  event: DrydockEvent,
  store: Pick<BanStore, 'rebuilds'>,
): Promise<boolean> {
  const detail = event.detail as {
    readonly rebuild?: Rebuild;
    readonly repository?: string;
    readonly definition?: string;
  };
  const rebuild = detail.rebuild;
  if (!rebuild || detail.repository === undefined || detail.definition === undefined) return false;
  const key = definitionKey(detail.repository, detail.definition);
  const current = (await store.rebuilds(rebuild.banId)).find(
    (r) => definitionKey(r.repository, r.definition) === key,
  );
  return current?.state === 'dispatched' && current.number === rebuild.number && current.of === rebuild.of;
}
