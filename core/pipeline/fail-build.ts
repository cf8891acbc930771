import { BUILD_FAILED, type BuildFailedEvent } from '../events/build-failed.js';
import { EVENT_SOURCE } from '../events/envelope.js';
import { stableId } from '../events/ids.js';
import type { Rebuild } from '../events/rebuild.js';
import { rebuildIdParts, withRebuild } from '../events/rebuild-ids.js';
import { type BuildRecords, isTerminal } from '../ports/build-records.js';
import type { Clock } from '../ports/clock.js';

/** The build a failure belongs to, as every build event carries it. */
export interface FailedBuildSubject {
  readonly buildId: string;
  readonly repository: string;
  readonly commit: string;
  readonly definition: string;
  readonly correlationId: string;
  /** Set when the build is a ban's rebuild; the failure carries it on. */
  readonly rebuild?: Rebuild;
}

/**
 * Ends a build that a later step (tests, push) cannot finish for good: the record moves to `failed` with the
 * reason, and the `Build Failed` event tells the team. The event id is the one the build step would give a
 * failure of this (definition, commit, rebuild), so a redelivery yields the same event.
 */
export async function failBuild(
  subject: FailedBuildSubject,
  stage: 'test' | 'push',
  reason: string,
  deps: { readonly records: BuildRecords; readonly clock: Clock },
): Promise<BuildFailedEvent> {
  const record = await deps.records.get(subject.buildId);
  if (record && !isTerminal(record.state)) {
    await deps.records.transition(subject.buildId, 'failed', { error: `${stage}: ${reason}` });
  }
  return {
    id: stableId(
      'build-failed',
      subject.repository,
      subject.commit,
      subject.definition,
      ...rebuildIdParts(subject.rebuild),
    ),
    source: EVENT_SOURCE,
    detailType: BUILD_FAILED,
    time: deps.clock.now().toISOString(),
    detail: {
      buildId: subject.buildId,
      repository: subject.repository,
      commit: subject.commit,
      definition: subject.definition,
      correlationId: subject.correlationId,
      ...withRebuild(subject.rebuild),
      stage,
      reason,
      ...(record?.logPath === undefined ? {} : { logPath: record.logPath }),
      logTail: '',
    },
  };
}
