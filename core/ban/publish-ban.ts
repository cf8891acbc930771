import { randomBytes } from 'node:crypto';
import {
  BASE_IMAGE_BANNED,
  type BandAidUse,
  type BaseImageBannedEvent,
} from '../events/base-image-banned.js';
import { BASE_IMAGE_UNBANNED, type BaseImageUnbannedEvent } from '../events/base-image-unbanned.js';
import { EVENT_SOURCE } from '../events/envelope.js';
import { stableId } from '../events/ids.js';
import type { BanRecord, BanStore } from '../ports/ban-store.js';
import type { Clock } from '../ports/clock.js';
import type { EventBus } from '../ports/event-bus.js';
import type { PolicyStore, PolicyVersionRef } from '../ports/policy-store.js';
import type { BanPlan } from './ban-plan.js';
import { parseBanRef } from './ban-ref.js';
import { type PlanBanPorts, planBan } from './plan-ban.js';

/** What ops ask for: the image to ban, why, what to build on instead, the band-aids to run, and who asks. */
export interface BanRequest {
  readonly ref: string;
  readonly reason: string;
  readonly replacement?: string;
  readonly bandAids: readonly BandAidUse[];
  /** Who asks, as the caller authenticated them (`root (ops token)`). */
  readonly by: string;
  /** Only compute and return the plan; nothing changes. */
  readonly dryRun?: boolean;
}

/** The ports publishing or lifting a ban needs. */
export interface PublishBanPorts {
  readonly bans: BanStore;
  readonly policy: PolicyStore;
  readonly bus: EventBus;
  readonly clock: Clock;
  /** What `planBan` reads (lineage, fleet, registry tags). */
  readonly plan: PlanBanPorts;
  /** A new ban id; `ban-<12 hex>` from the system's random source unless a test gives its own. */
  readonly newBanId?: () => string;
}

/** Why a ban request was refused; nothing changed. */
export type BanRefusal =
  | { readonly ok: false; readonly code: 'invalid-request'; readonly field: string; readonly error: string }
  | { readonly ok: false; readonly code: 'invalid-ban'; readonly error: string }
  | { readonly ok: false; readonly code: 'unknown-ban'; readonly error: string };

/** What `publishBan` did: the plan only (dry run), or the ban in force, the plan and the policy version. */
export type PublishBanResult =
  | { readonly ok: true; readonly dryRun: true; readonly plan: BanPlan }
  | {
      readonly ok: true;
      readonly dryRun: false;
      readonly ban: BanRecord;
      /** False when an active ban of the same ref was there already: it is returned and nothing is added. */
      readonly created: boolean;
      readonly plan: BanPlan;
      readonly policyVersion: PolicyVersionRef;
    }
  | BanRefusal;

/** What `liftBan` did: the ban after the lift, and whether this call lifted it (false: it was lifted already). */
export type LiftBanResult =
  | {
      readonly ok: true;
      readonly ban: BanRecord;
      readonly lifted: boolean;
      readonly policyVersion: PolicyVersionRef;
    }
  | BanRefusal;

/** The shape of a ban id: `ban-` and 12 lower-case hex digits. */
export const BAN_ID = /^ban-[0-9a-f]{12}$/;

/** Longest reason a ban may carry: it goes into the policy, every event and every team's message. */
export const MAX_BAN_REASON = 500;

// A reason and a `by` are shown on terminals and written into YAML: control characters (an escape sequence
// that rewrites the operator's screen, a newline that forges a line of output) are refused, not cleaned.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find them.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** A new random ban id. */
export function newBanId(): string {
  return `ban-${randomBytes(6).toString('hex')}`;
}

function textProblem(value: string, what: string, max: number): string | undefined {
  if (value.trim() === '') return `${what} must not be empty`;
  if (value.length > max) return `${what} is ${value.length} characters; at most ${max}`;
  if (CONTROL.test(value)) return `${what} must not contain control characters (newlines, escapes)`;
  return undefined;
}

function refused(field: string, error: string): BanRefusal {
  return { ok: false, code: 'invalid-request', field, error };
}

/** The `Base Image Banned` event of a ban: the same id and content each time, so a second publish is dropped. */
export function bannedEvent(ban: BanRecord): BaseImageBannedEvent {
  return {
    id: stableId('base-image-banned', ban.banId),
    source: EVENT_SOURCE,
    detailType: BASE_IMAGE_BANNED,
    time: ban.at,
    detail: {
      banId: ban.banId,
      ref: ban.ref,
      reason: ban.reason,
      ...(ban.replacement === undefined ? {} : { replacement: ban.replacement }),
      bandAids: ban.bandAids.map((b) => ({ id: b.id, params: { ...b.params } })),
      by: ban.by,
      at: ban.at,
    },
  };
}

/** The `Base Image Unbanned` event of a lifted ban, with a stable id. */
export function unbannedEvent(ban: BanRecord): BaseImageUnbannedEvent {
  return {
    id: stableId('base-image-unbanned', ban.banId),
    source: EVENT_SOURCE,
    detailType: BASE_IMAGE_UNBANNED,
    time: ban.liftedAt ?? ban.at,
    detail: { banId: ban.banId, ref: ban.ref, by: ban.liftedBy ?? ban.by, at: ban.liftedAt ?? ban.at },
  };
}

/**
 * Publishes a ban: checks the request and computes its plan (a bad ref, an unknown band-aid or parameter, a
 * replacement the policy does not allow are refused with nothing changed), then records it, writes it into
 * the policy as a new version and publishes `Base Image Banned`. An active ban of the same ref is returned
 * as it is (`created: false`), its policy entry and event written again, which recovers a crash between steps.
 */
export async function publishBan(request: BanRequest, ports: PublishBanPorts): Promise<PublishBanResult> {
  const parsed = parseBanRef(request.ref);
  if (!parsed.ok) return refused('ref', parsed.error);
  const reasonProblem = textProblem(request.reason, 'reason', MAX_BAN_REASON);
  if (reasonProblem) return refused('reason', reasonProblem);
  const byProblem = textProblem(request.by, 'by', 200);
  if (byProblem) return refused('by', byProblem);
  const ref = parsed.ref;
  const ask = {
    ref,
    reason: request.reason,
    ...(request.replacement === undefined ? {} : { replacement: request.replacement }),
    bandAids: request.bandAids,
  };
  const policy = await ports.policy.current();
  const planned = await planBan({ ban: ask, policy, now: ports.clock.now() }, ports.plan);
  if (!planned.ok) return { ok: false, code: 'invalid-ban', error: planned.error };
  if (request.dryRun) return { ok: true, dryRun: true, plan: planned.plan };

  const at = ports.clock.now().toISOString();
  const { ban, created } = await ports.bans.create({
    banId: (ports.newBanId ?? newBanId)(),
    ref,
    reason: ask.reason,
    ...(ask.replacement === undefined ? {} : { replacement: planned.plan.replacement ?? ask.replacement }),
    bandAids: ask.bandAids,
    by: request.by,
    at,
  });
  const policyVersion = await ports.policy.addBan(
    {
      banId: ban.banId,
      image: ban.ref,
      reason: ban.reason,
      ...(ban.replacement === undefined ? {} : { replacement: ban.replacement }),
    },
    { by: ban.by, at: ban.at, why: ban.reason },
  );
  await ports.bus.publish([bannedEvent(ban)]);
  return { ok: true, dryRun: false, ban, created, plan: planned.plan, policyVersion };
}

/**
 * Lifts a ban named by its id or by its ref: records the lift, removes it from the policy (a new version) and
 * publishes `Base Image Unbanned`. A ban lifted already (named by id) is lifted again harmlessly, which
 * recovers a crash between steps; a ref with no active ban, or an unknown id, is refused.
 */
export async function liftBan(
  refOrId: string,
  by: string,
  ports: Pick<PublishBanPorts, 'bans' | 'policy' | 'bus' | 'clock'>,
): Promise<LiftBanResult> {
  const byProblem = textProblem(by, 'by', 200);
  if (byProblem) return refused('by', byProblem);
  let found: BanRecord | undefined;
  if (BAN_ID.test(refOrId)) {
    found = await ports.bans.get(refOrId);
    if (!found)
      return { ok: false, code: 'unknown-ban', error: `no ban ${refOrId}; drydock bans lists them` };
  } else {
    const parsed = parseBanRef(refOrId);
    if (!parsed.ok) return refused('ref', parsed.error);
    found = await ports.bans.activeFor(parsed.ref);
    if (!found)
      return {
        ok: false,
        code: 'unknown-ban',
        error: `no active ban of ${parsed.ref}; drydock bans lists them`,
      };
  }
  const wasActive = found.state === 'active';
  const ban = wasActive
    ? ((await ports.bans.lift(found.banId, by, ports.clock.now().toISOString())) ?? found)
    : found;
  const policyVersion = await ports.policy.removeBan(ban.banId, {
    by: ban.liftedBy ?? by,
    at: ban.liftedAt ?? ports.clock.now().toISOString(),
    why: `lift ${ban.banId} (${ban.ref})`,
  });
  await ports.bus.publish([unbannedEvent(ban)]);
  return { ok: true, ban, lifted: wasActive && ban.state === 'lifted', policyVersion };
}
