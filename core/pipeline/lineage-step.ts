import type { ImagePublishedEvent } from '../events/image-published.js';
import type { LineageStore } from '../ports/lineage-store.js';

/** What the lineage step needs. */
export interface RecordLineageDeps {
  readonly lineage: LineageStore;
}

/** What recording did: the image, and whether this call recorded it (false for a redelivered event). */
export interface LineageOutcome {
  readonly digest: string;
  readonly recorded: boolean;
}

/** Records a published image and its bases in the lineage store, once per image digest. */
export async function recordLineage(
  event: ImagePublishedEvent,
  deps: RecordLineageDeps,
): Promise<LineageOutcome> {
  return { digest: event.detail.digest, recorded: await deps.lineage.record(event) };
}
