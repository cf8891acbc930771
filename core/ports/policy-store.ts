import type { Policy } from '../policy/schema.js';

/** Who changed the policy, when and why: every change is a new policy version that keeps this. */
export interface PolicyChange {
  readonly by: string;
  readonly at: string;
  readonly why: string;
}

/** A ban as the policy's `banned` list keeps it: the entry plus the ban's id, so that it can be lifted by id. */
export interface PolicyBan {
  readonly banId: string;
  readonly image: string;
  readonly reason: string;
  readonly replacement?: string;
}

/** The policy version a change produced. */
export interface PolicyVersionRef {
  readonly version: number;
  readonly sha256: string;
}

/**
 * The ops-owned policy (a file in the state dir locally, an SSM parameter on AWS). Only ops' code paths write
 * it; each write is a new version recorded with who, when and why, and leaves every other entry as it was.
 */
export interface PolicyStore {
  /** The policy in force. */
  current(): Promise<Policy>;
  /** Adds the ban to `banned` unless an entry with its id is there; returns the version in force after. */
  addBan(ban: PolicyBan, change: PolicyChange): Promise<PolicyVersionRef>;
  /** Removes the entry with the ban's id; returns the version in force after (unchanged when there was none). */
  removeBan(banId: string, change: PolicyChange): Promise<PolicyVersionRef>;
}
