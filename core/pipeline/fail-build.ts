import { BUILD_COMPLETED } from '../events/build-completed.js';
import { BUILD_FAILED, type BuildFailedEvent } from '../events/build-failed.js';
import { BUILD_REQUESTED } from '../events/build-requested.js';
import { DEFINITION_GATE_REQUESTED } from '../events/definition-gate-requested.js';
import { EVENT_SOURCE } from '../events/envelope.js';
import { stableId } from '../events/ids.js';
import { IMAGE_TESTED } from '../events/image-tested.js';
import type { DrydockEvent } from '../events/index.js';
import type { Rebuild } from '../events/rebuild.js';
import { rebuildIdParts, rebuildKey, withRebuild } from '../events/rebuild-ids.js';
import { buildIdFor, verdictIdFor } from '../gate/handle-push.js';
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
  stage: BuildFailedEvent['detail']['stage'],
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

/** A message a work queue gave up on: the queue (rule target) it was on, its event, and the queue's reason. */
export interface DeadLetteredWork {
  readonly queue: string;
  readonly event: DrydockEvent;
  readonly reason: string;
}

/** What ending dead-lettered work needs. */
export interface FailDeadLetteredDeps {
  readonly records: BuildRecords;
  readonly clock: Clock;
  /** True when the event log holds this event id. */
  readonly logged: (eventId: string) => Promise<boolean>;
}

const MAX_DEAD_REASON = 1000;

// The stage each pipeline queue runs, by the event it consumes there; any other dead letter is no build's step.
const STAGE_OF: Readonly<
  Record<string, { readonly detailType: string; readonly stage: 'build' | 'test' | 'push' }>
> = {
  build: { detailType: BUILD_REQUESTED, stage: 'build' },
  test: { detailType: BUILD_COMPLETED, stage: 'test' },
  publish: { detailType: IMAGE_TESTED, stage: 'push' },
};

/**
 * Ends a build whose gate, build, test or publish message a queue dead-lettered before its step finished: nothing
 * else would ever say it failed, so a ban's rebuild would stay `dispatched` (holding a rebuild slot) and a push's
 * build in its state for good. Returns the `Build Failed` to publish (record `failed`, the dead-letter reason; the
 * rebuild step then settles a rebuild), or undefined when the step had handed the build on (its outcome logged,
 * the record past it), the build was published, or the message is no build step's. The same id every time.
 */
export async function failDeadLettered(
  work: DeadLetteredWork,
  deps: FailDeadLetteredDeps,
): Promise<BuildFailedEvent | undefined> {
  const { queue, event } = work;
  // The queue's reason ends with a handler's last error, which may be long (a tool's output): it goes to a team.
  const last =
    work.reason.length > MAX_DEAD_REASON ? `${work.reason.slice(0, MAX_DEAD_REASON)}…` : work.reason;
  const reason = `its ${queue} message was dead-lettered: ${last}`;
  if (queue === 'gate' && event.detailType === DEFINITION_GATE_REQUESTED) {
    const d = event.detail;
    // The verdict is logged last of the gate's events; a build record means the build step has the definition.
    if (await deps.logged(verdictIdFor(d.repository, d.commit, d.definition, d.rebuild))) return undefined;
    const key = { repository: d.repository, definition: d.definition, commit: d.commit };
    if (await deps.records.find({ ...key, rebuild: rebuildKey(d.rebuild) })) return undefined;
    const buildId = buildIdFor(d.repository, d.commit, d.definition, d.rebuild);
    return failBuild(
      { ...key, buildId, correlationId: d.correlationId, ...withRebuild(d.rebuild) },
      'gate',
      reason,
      deps,
    );
  }
  const step = STAGE_OF[queue];
  if (!step || event.detailType !== step.detailType) return undefined;
  const d = event.detail as FailedBuildSubject & { readonly configDigest?: string };
  const record = await deps.records.get(d.buildId);
  if (record?.state === 'published') return undefined;
  if (step.stage === 'build' && (record?.state === 'testing' || record?.state === 'pushing'))
    return undefined;
  if (step.stage === 'test') {
    // The test step's outcome id (see runImageTests): once logged, publish or the rebuild step has the build.
    if (d.configDigest && (await deps.logged(stableId('image-tested', d.buildId, d.configDigest)))) {
      return undefined;
    }
    if (record?.state === 'pushing') return undefined;
  }
  const subject: FailedBuildSubject = {
    buildId: d.buildId,
    repository: d.repository,
    commit: d.commit,
    definition: d.definition,
    correlationId: d.correlationId,
    ...withRebuild(d.rebuild),
  };
  // A record the step failed but whose Build Failed a crash kept back gets it now; the same id, so never twice.
  return failBuild(subject, step.stage, reason, deps);
}
