import { DrydockError } from '../errors.js';
import type { BandAidUse } from '../events/base-image-banned.js';
import type { RebuildSubstitution } from '../events/rebuild.js';
import type { UnsupportedImage } from './admission-list.js';

/** A ban as ops published it, with how far its response has come. */
export interface BanRecord {
  readonly banId: string;
  /** The normalised pattern (see `BaseImageBannedDetail.ref`). */
  readonly ref: string;
  readonly reason: string;
  readonly replacement?: string;
  readonly bandAids: readonly BandAidUse[];
  readonly by: string;
  /** ISO time the ban was published. */
  readonly at: string;
  readonly state: 'active' | 'lifted';
  readonly liftedBy?: string;
  readonly liftedAt?: string;
  /** When the response was planned and started (images marked, rebuilds and band-aids recorded). */
  readonly plannedAt?: string;
  /** When admission refused every affected image and every band-aid run had ended. */
  readonly protectedAt?: string;
  /** When every affected definition was republished or reported. */
  readonly remediatedAt?: string;
}

/** A new ban to record. */
export type NewBan = Pick<BanRecord, 'banId' | 'ref' | 'reason' | 'replacement' | 'bandAids' | 'by' | 'at'>;

/** An image a ban marked unsupported, and how far below the banned base it is (1: built directly on it). */
export interface MarkedImage {
  readonly digest: string;
  readonly configDigest: string;
  readonly ref: string;
  readonly repository: string;
  readonly definition: string;
  readonly depth: number;
}

/** Where one affected definition's rebuild is. */
export type RebuildState =
  /** Waits for the rebuilds of the definitions its bases come from. */
  | 'waiting'
  /** May start; waits for a free slot (`response.maxConcurrentRebuilds`). */
  | 'ready'
  /** Its gate request is on the bus; the pipeline builds it. */
  | 'dispatched'
  | 'published'
  | 'failed'
  /** Not built: no approved base to substitute, or a base it waits for was not republished. */
  | 'reported'
  /** A newer push of the definition came before it started. */
  | 'superseded'
  /** The ban was lifted before it started. */
  | 'cancelled';

/** True when a rebuild in this state is finished for good. */
export function rebuildDone(state: RebuildState): boolean {
  return !['waiting', 'ready', 'dispatched'].includes(state);
}

/** One affected definition's rebuild, as planned. */
export interface PlannedRebuild {
  readonly repository: string;
  readonly definition: string;
  /** The commit of its newest published image, which is rebuilt. */
  readonly commit: string;
  /** That image (label `io.drydock.rebuild-of`). */
  readonly of: string;
  readonly ofRef: string;
  readonly depth: number;
  /** Keys (`definitionKey`) of the rebuilds whose images it is built on; it starts when they are published. */
  readonly waitsFor: readonly string[];
  /** Substitutions known at plan time (the banned base → its approved replacement). */
  readonly substitutions: readonly RebuildSubstitution[];
  /** Running containers of its affected images: definitions with more start first. */
  readonly runningContainers: number;
  /** Set when it cannot be rebuilt (no approved base); it is then recorded as `reported`. */
  readonly reportReason?: string;
}

/** A rebuild as recorded, with its number and progress. */
export interface RebuildRecord extends PlannedRebuild {
  readonly banId: string;
  /** 1 + the rebuilds of this definition at this commit before it; the tag is `<commit12>-r<number>`. */
  readonly number: number;
  readonly state: RebuildState;
  readonly reason?: string;
  readonly buildId?: string;
  /** Substitutions as dispatched (the plan's, and each base rebuild's new `ref@digest`). */
  readonly dispatchedSubstitutions?: readonly RebuildSubstitution[];
  readonly newRef?: string;
  readonly newDigest?: string;
  readonly updatedAt: string;
}

/** What a rebuild update may set. */
export interface RebuildChange {
  readonly state: RebuildState;
  readonly reason?: string;
  readonly buildId?: string;
  readonly dispatchedSubstitutions?: readonly RebuildSubstitution[];
  readonly newRef?: string;
  readonly newDigest?: string;
}

/** The key of a definition in plans and stores: repository and path. */
export function definitionKey(repository: string, definition: string): string {
  return `${repository}\u0000${definition}`;
}

/** Where one band-aid run in one container is. */
export type BandAidRunState = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped' | 'interrupted';

/** One (ban, band-aid, container): at most one run, ever. */
export interface BandAidRunRecord {
  readonly banId: string;
  readonly bandAidId: string;
  readonly containerId: string;
  readonly host: string;
  readonly imageDigest: string;
  readonly state: BandAidRunState;
  readonly exitCode?: number | null;
  readonly outputTail?: string;
  readonly durationMs?: number;
  readonly reason?: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
}

/** How a claimed band-aid run ended. */
export interface BandAidRunEnd {
  readonly state: 'succeeded' | 'failed' | 'skipped';
  readonly exitCode?: number | null;
  readonly outputTail?: string;
  readonly durationMs?: number;
  readonly reason?: string;
}

/** A ban store was asked to change a ban it does not hold. */
export class BanNotFoundError extends DrydockError {
  override readonly name = 'BanNotFoundError';
  readonly banId: string;

  constructor(banId: string) {
    super(`no ban ${banId} in the ban store`, { code: 'BAN_NOT_FOUND' });
    this.banId = banId;
  }
}

/**
 * Bans and their response: the truth of which image is unsupported and why, each affected definition's
 * rebuild, and each band-aid run. Every write is idempotent, so a redelivered event changes nothing twice.
 */
export interface BanStore {
  /** Records the ban unless an active ban of the same `ref` exists; returns the ban in force and whether it is new. */
  create(ban: NewBan): Promise<{ readonly ban: BanRecord; readonly created: boolean }>;
  get(banId: string): Promise<BanRecord | undefined>;
  /** The active ban of a normalised ref, if any. */
  activeFor(ref: string): Promise<BanRecord | undefined>;
  /** Every ban, newest first. */
  list(): Promise<readonly BanRecord[]>;
  /** Lifts an active ban; a lifted or unknown ban is returned as it is (or undefined). */
  lift(banId: string, by: string, at: string): Promise<BanRecord | undefined>;
  /** Sets `plannedAt`, `protectedAt` or `remediatedAt` when not set yet; returns the ban (`BanNotFoundError` when unknown). */
  stamp(banId: string, field: 'plannedAt' | 'protectedAt' | 'remediatedAt', at: string): Promise<BanRecord>;

  /** Marks images unsupported by the ban; marking again changes nothing. Returns how many were new. */
  markUnsupported(banId: string, images: readonly MarkedImage[]): Promise<number>;
  /** The images the ban marked, by depth. */
  marked(banId: string): Promise<readonly MarkedImage[]>;
  /** For each digest (manifest or config) marked by an active ban: the bans, with their reasons. */
  supportOf(
    digests: readonly string[],
  ): Promise<ReadonlyMap<string, readonly { readonly banId: string; readonly reason: string }[]>>;
  /** Every image an active ban marks, for the admission list. */
  unsupportedImages(): Promise<readonly UnsupportedImage[]>;

  /** Records the planned rebuilds of a ban once (by definition), numbering each; returns the records. */
  addRebuilds(banId: string, rebuilds: readonly PlannedRebuild[]): Promise<readonly RebuildRecord[]>;
  rebuilds(banId: string): Promise<readonly RebuildRecord[]>;
  /** The rebuild whose build id this is, if any. */
  rebuildByBuild(buildId: string): Promise<RebuildRecord | undefined>;
  /**
   * Moves a rebuild to a new state when it is in one of `from`; returns the record after the change, or
   * undefined when it was not in one of `from` (someone else moved it: a redelivery).
   */
  updateRebuild(
    banId: string,
    key: string,
    from: readonly RebuildState[],
    change: RebuildChange,
  ): Promise<RebuildRecord | undefined>;

  /** Records pending band-aid runs once per (ban, band-aid, container). */
  addBandAidRuns(
    runs: readonly Pick<BandAidRunRecord, 'banId' | 'bandAidId' | 'containerId' | 'host' | 'imageDigest'>[],
  ): Promise<number>;
  /** Moves a pending run to running; false when it was not pending (it ran, or is running, already). */
  claimBandAidRun(banId: string, bandAidId: string, containerId: string, at: string): Promise<boolean>;
  /** Records how a pending (skipped before it ran) or running run ended; a run that has ended keeps its first end. */
  finishBandAidRun(
    banId: string,
    bandAidId: string,
    containerId: string,
    end: BandAidRunEnd,
    at: string,
  ): Promise<void>;
  /** Marks runs left `running` by a process that died as `interrupted` (never run again); returns how many. */
  interruptRunning(at: string): Promise<number>;
  bandAidRuns(banId: string): Promise<readonly BandAidRunRecord[]>;
}
