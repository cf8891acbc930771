import { DrydockError } from '../errors.js';

/** Where a build is: queued → building → testing → pushing → published, or failed from any step before. */
export type BuildState = 'queued' | 'building' | 'testing' | 'pushing' | 'published' | 'failed';

/** The states a build may move to from each state; moving to `building` again restarts an interrupted build. */
export const BUILD_TRANSITIONS: Readonly<Record<BuildState, readonly BuildState[]>> = {
  queued: ['building', 'failed'],
  building: ['building', 'testing', 'failed'],
  testing: ['building', 'testing', 'pushing', 'failed'],
  pushing: ['building', 'pushing', 'published', 'failed'],
  published: ['published'],
  failed: ['failed'],
};

/** True when a build in this state is finished for good. */
export function isTerminal(state: BuildState): boolean {
  return state === 'published' || state === 'failed';
}

/** One build of one definition at one commit: a push's, or a ban's rebuild of it. */
export interface BuildRecord {
  readonly buildId: string;
  readonly repository: string;
  readonly definition: string;
  readonly commit: string;
  /** The rebuild this build is (`<banId>#<number>`, see `rebuildKey`); absent for a push's build. */
  readonly rebuild?: string;
  readonly correlationId: string;
  readonly state: BuildState;
  /** 1 on the first start; each restart after a crash adds one. */
  readonly attempts: number;
  readonly queuedAt: Date;
  readonly updatedAt: Date;
  readonly startedAt?: Date;
  readonly finishedAt?: Date;
  /** From the first start to published or failed. */
  readonly durationMs?: number;
  readonly logPath?: string;
  readonly imageDigest?: string;
  readonly error?: string;
  /** Every state entered, in order. */
  readonly history: readonly { readonly state: BuildState; readonly at: Date }[];
}

/** What a new build needs. */
export interface BuildRequest {
  readonly buildId: string;
  readonly repository: string;
  readonly definition: string;
  readonly commit: string;
  readonly correlationId: string;
  /** The rebuild this build is (`<banId>#<number>`); absent or '' for a push's build. */
  readonly rebuild?: string;
}

/** Which build of a definition at a commit: the push's (no `rebuild`, or '') or one rebuild's. */
export interface BuildKey {
  readonly repository: string;
  readonly definition: string;
  readonly commit: string;
  readonly rebuild?: string;
}

/** Details a transition may add to the record. */
export interface TransitionDetails {
  readonly logPath?: string;
  readonly imageDigest?: string;
  readonly error?: string;
}

/** A transition the build state machine forbids, such as leaving `published`. */
export class BuildTransitionError extends DrydockError {
  override readonly name = 'BuildTransitionError';
  readonly from: BuildState;
  readonly to: BuildState;

  constructor(buildId: string, from: BuildState, to: BuildState) {
    super(`build ${buildId} cannot go from ${from} to ${to}`, { code: 'BUILD_TRANSITION_INVALID' });
    this.from = from;
    this.to = to;
  }
}

/** A build id no record has. */
export class BuildNotFoundError extends DrydockError {
  override readonly name = 'BuildNotFoundError';

  constructor(buildId: string) {
    super(`no build ${buildId}`, { code: 'BUILD_NOT_FOUND' });
  }
}

/**
 * The build records: one per (repository, definition, commit, rebuild), moved through the build state machine;
 * a push's build and each ban's rebuild of the same commit are separate records.
 */
export interface BuildRecords {
  /**
   * Queues a build once per (repository, definition, commit, rebuild); asking again returns the existing record
   * (whatever its build id and state) with `created: false`. A build id already used by another key throws.
   */
  enqueue(request: BuildRequest): Promise<{ readonly record: BuildRecord; readonly created: boolean }>;
  /**
   * Moves a build to a state allowed by `BUILD_TRANSITIONS`; repeating a terminal state changes nothing.
   * Throws `BuildTransitionError` for a forbidden move and `BuildNotFoundError` for an unknown id.
   */
  transition(buildId: string, to: BuildState, details?: TransitionDetails): Promise<BuildRecord>;
  get(buildId: string): Promise<BuildRecord | undefined>;
  /** The build of that key; without `rebuild` (or with '') the push's build. */
  find(key: BuildKey): Promise<BuildRecord | undefined>;
  /**
   * The newest build of a definition at any commit, push or rebuild (latest `queuedAt`, the later queued on a
   * tie), so that a rebuild not yet started can tell whether a newer push superseded it.
   */
  newestFor(repository: string, definition: string): Promise<BuildRecord | undefined>;
  /** Builds, newest first; only those in the given states when set. */
  list(options?: {
    readonly states?: readonly BuildState[];
    readonly limit?: number;
  }): Promise<BuildRecord[]>;
}

/** A build record as an adapter stores it: times as epoch milliseconds, `rebuild` '' for a push's build. */
export interface StoredBuildRecord {
  readonly buildId: string;
  readonly repository: string;
  readonly definition: string;
  readonly commit: string;
  readonly rebuild: string;
  readonly correlationId: string;
  readonly state: BuildState;
  readonly attempts: number;
  readonly queuedAt: number;
  readonly updatedAt: number;
  readonly startedAt?: number | undefined;
  readonly finishedAt?: number | undefined;
  readonly logPath?: string | undefined;
  readonly imageDigest?: string | undefined;
  readonly error?: string | undefined;
  readonly history: readonly { readonly state: BuildState; readonly at: number }[];
}

/** The record of a stored build, with its duration when it both started and finished; one mapping for every adapter. */
export function buildRecordFrom(r: StoredBuildRecord): BuildRecord {
  return {
    buildId: r.buildId,
    repository: r.repository,
    definition: r.definition,
    commit: r.commit,
    ...(r.rebuild === '' ? {} : { rebuild: r.rebuild }),
    correlationId: r.correlationId,
    state: r.state,
    attempts: r.attempts,
    queuedAt: new Date(r.queuedAt),
    updatedAt: new Date(r.updatedAt),
    ...(r.startedAt === undefined ? {} : { startedAt: new Date(r.startedAt) }),
    ...(r.finishedAt === undefined ? {} : { finishedAt: new Date(r.finishedAt) }),
    ...(r.startedAt !== undefined && r.finishedAt !== undefined
      ? { durationMs: r.finishedAt - r.startedAt }
      : {}),
    ...(r.logPath === undefined ? {} : { logPath: r.logPath }),
    ...(r.imageDigest === undefined ? {} : { imageDigest: r.imageDigest }),
    ...(r.error === undefined ? {} : { error: r.error }),
    history: r.history.map((h) => ({ state: h.state, at: new Date(h.at) })),
  };
}

/** A new build as a record store keeps it: queued, no attempt yet. */
export function queuedBuild(request: BuildRequest, now: number): StoredBuildRecord {
  return {
    buildId: request.buildId,
    repository: request.repository,
    definition: request.definition,
    commit: request.commit,
    rebuild: request.rebuild ?? '',
    correlationId: request.correlationId,
    state: 'queued',
    attempts: 0,
    queuedAt: now,
    updatedAt: now,
    history: [{ state: 'queued', at: now }],
  };
}

/**
 * A stored build moved to `to` at `now`, for stores that keep records as values (the SQLite store does the same
 * in SQL). Throws `BuildTransitionError` for a move `BUILD_TRANSITIONS` does not allow; repeating a state returns
 * the record unchanged, except `building`, which is a restart (one more attempt).
 */
export function advancedBuild<R extends StoredBuildRecord>(
  record: R,
  to: BuildState,
  details: TransitionDetails,
  now: number,
): R {
  if (!BUILD_TRANSITIONS[record.state].includes(to)) {
    throw new BuildTransitionError(record.buildId, record.state, to);
  }
  if (record.state === to && to !== 'building') return record;
  const starts = to === 'building';
  return {
    ...record,
    state: to,
    updatedAt: now,
    attempts: record.attempts + (starts ? 1 : 0),
    startedAt: record.startedAt ?? (starts ? now : undefined),
    finishedAt: isTerminal(to) ? now : undefined,
    logPath: details.logPath ?? record.logPath,
    imageDigest: details.imageDigest ?? record.imageDigest,
    error: details.error ?? record.error,
    history: [...record.history, { state: to, at: now }],
  };
}
