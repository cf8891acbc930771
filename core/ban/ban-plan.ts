import type { MarkedImage, PlannedRebuild } from '../ports/ban-store.js';
import type { RunningContainer } from '../ports/fleet.js';

/** An image the ban affects: marked, and the base (name, digest) through which it is affected at depth 1. */
export interface AffectedImage extends MarkedImage {
  readonly commit: string;
  readonly publishedAt: string;
}

/** A definition the ban affects that will not be rebuilt, and why (its newest image is not affected, no base…). */
export interface SkippedDefinition {
  readonly repository: string;
  readonly definition: string;
  readonly reason: string;
}

/** One band-aid of the ban: the approved command with its parameters checked, and where it runs. */
export interface PlannedBandAid {
  readonly bandAidId: string;
  readonly params: Readonly<Record<string, string>>;
  /** The argv that will run, parameters in place (each a whole argv element; never a shell string). */
  readonly argv: readonly string[];
  readonly timeoutMs: number;
  readonly maxConcurrency: number;
  readonly maxErrors: number;
  /** Containers of affected images that the band-aid's `appliesTo` matches, in batches of at most 50 hosts. */
  readonly batches: readonly (readonly RunningContainer[])[];
}

/** Everything a ban will do, computed before anything happens (the dry run shows it; the ban step executes it). */
export interface BanPlan {
  readonly ref: string;
  readonly reason: string;
  readonly replacement?: string;
  /** Affected images, by depth then digest. */
  readonly affected: readonly AffectedImage[];
  /** The rebuilds in start order: bases before the images built on them, more running containers first. */
  readonly rebuilds: readonly PlannedRebuild[];
  readonly skipped: readonly SkippedDefinition[];
  /** Repositories whose teams are told. */
  readonly teams: readonly string[];
  /** Running containers of affected images, per host. */
  readonly containers: readonly { readonly host: string; readonly containers: readonly RunningContainer[] }[];
  readonly bandAids: readonly PlannedBandAid[];
}
