import { EVENT_SOURCE } from '../events/envelope.js';
import { stableId } from '../events/ids.js';
import {
  REBUILD_OUTCOME,
  type RebuildOutcomeDetail,
  type RebuildOutcomeEvent,
} from '../events/rebuild-outcome.js';
import type { BanRecord, RebuildRecord } from '../ports/ban-store.js';

/** What a published outcome adds: the base used, the new image, and the FROM change to make in git. */
export interface OutcomeExtras {
  readonly base?: { readonly from: string; readonly to: string };
  readonly ref?: string;
  readonly digest?: string;
  readonly fromChange?: string;
}

/** The id of a rebuild's outcome: one per (ban, definition, state), whatever redelivers it. */
export function rebuildOutcomeId(rebuild: RebuildRecord, state: string): string {
  return stableId('rebuild-outcome', rebuild.banId, rebuild.repository, rebuild.definition, state);
}

/** The `Rebuild Outcome` of a rebuild in a final state (published, failed, reported, superseded, cancelled). */
export function outcomeEvent(
  ban: BanRecord,
  rebuild: RebuildRecord,
  time: string,
  extras: OutcomeExtras = {},
): RebuildOutcomeEvent {
  const state = rebuild.state as RebuildOutcomeDetail['state'];
  return {
    id: rebuildOutcomeId(rebuild, state),
    source: EVENT_SOURCE,
    detailType: REBUILD_OUTCOME,
    time,
    detail: {
      banId: ban.banId,
      banRef: ban.ref,
      banReason: ban.reason,
      repository: rebuild.repository,
      definition: rebuild.definition,
      commit: rebuild.commit,
      number: rebuild.number,
      of: rebuild.of,
      state,
      ...(rebuild.reason ? { reason: rebuild.reason } : {}),
      ...(extras.base ? { base: extras.base } : {}),
      ...(extras.ref ? { ref: extras.ref } : {}),
      ...(extras.digest ? { digest: extras.digest } : {}),
      ...(extras.fromChange ? { fromChange: extras.fromChange } : {}),
    },
  };
}
