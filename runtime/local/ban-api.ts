import * as z from 'zod';
import type { BanPlan } from '../../core/ban/ban-plan.js';
import type { PlanBanPorts } from '../../core/ban/plan-ban.js';
import { type BanRefusal, liftBan, publishBan } from '../../core/ban/publish-ban.js';
import { quoteInput } from '../../core/errors.js';
import type { BandAidUse } from '../../core/events/base-image-banned.js';
import type { BanRecord, BanStore } from '../../core/ports/ban-store.js';
import { type Clock, systemClock } from '../../core/ports/clock.js';
import type { EventBus } from '../../core/ports/event-bus.js';
import type { PolicyStore } from '../../core/ports/policy-store.js';
import type { BanDetail, BanSummary, CountByState } from './api-types.js';
import type { LocalPipeline } from './open-local-pipeline.js';

/** What the API's ban endpoints need: the ban store, the policy store, the bus, and what a plan reads. */
export interface BanApiDeps {
  readonly store: BanStore;
  readonly policy: PolicyStore;
  readonly bus: EventBus;
  readonly plan: PlanBanPorts;
  /** @default systemClock */
  readonly clock?: Clock;
}

/** What a ban's plan reads on the local pipeline: its lineage, a fleet, and the tags of its own registry. */
export function localPlanPorts(
  pipeline: Pick<LocalPipeline, 'lineage' | 'registry' | 'registryHost'>,
  fleet: PlanBanPorts['fleet'],
): PlanBanPorts {
  const prefix = `${pipeline.registryHost}/`;
  return {
    lineage: pipeline.lineage,
    fleet,
    // Only the pipeline's own registry is asked: a name elsewhere has no tags the pipeline could build on.
    tags: async (name) => (name.startsWith(prefix) ? pipeline.registry.tags(name.slice(prefix.length)) : []),
  };
}

/** A request the ban endpoints refuse (a 400, 404 or 409), with the message the client shows. */
export class BanApiRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

// The user the CLI says it runs as: a login name (POSIX portable characters), never free text, because it is
// recorded in the policy's history and shown to every later reader.
const UserName = z
  .string()
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}\$?$/, { error: 'must be a login name (letters, digits, . _ -)' });

const BandAidUseBody = z.strictObject({
  id: z.string().min(1, { error: 'must not be empty' }).max(128),
  params: z.record(z.string().max(64), z.string().max(1024)).optional(),
});

/** The body of `POST /api/bans`. */
export const BanRequestBody = z.strictObject({
  ref: z.string().min(1, { error: 'must not be empty' }).max(1024),
  reason: z.string().min(1, { error: 'must not be empty' }).max(2000),
  replacement: z.string().min(1, { error: 'must not be empty' }).max(1024).optional(),
  bandAids: z.array(BandAidUseBody).max(32).optional(),
  user: UserName.optional(),
  dryRun: z.boolean().optional(),
});

/** The body of `POST /api/bans/<id or ref>/lift`. */
export const LiftRequestBody = z.strictObject({ user: UserName.optional() });

function issuesText(error: z.ZodError): string {
  return error.issues
    .map((i) => {
      const path = i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
      const field = path.replace(/^\./, '') || 'body';
      return i.code === 'unrecognized_keys'
        ? `${field === 'body' ? '' : `${field}: `}unknown field(s) ${i.keys.map((k) => JSON.stringify(k)).join(', ')}`
        : `${field}: ${i.message}`;
    })
    .join('; ');
}

/** Parses a JSON body with a schema; a 400 naming each bad field otherwise. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new BanApiRequestError(400, `${what}: ${issuesText(parsed.error)}`);
  return parsed.data;
}

/** Who a request is recorded as: the user the client names and the credential that vouched for it. */
export function requester(user: string | undefined, role: string): string {
  return `${user ?? 'unknown user'} (${role} token)`;
}

const PLAN_QUERY = new Set(['ref', 'reason', 'replacement', 'bandAid', 'param']);

/**
 * The ban a `GET /api/bans/plan` query describes: `ref`, `reason`, `replacement`, and `bandAid=ID` each followed
 * by its `param=NAME=VALUE`s, in order (a `param` belongs to the `bandAid` before it).
 */
export function planQuery(url: URL): z.infer<typeof BanRequestBody> {
  const bandAids: { id: string; params: Record<string, string> }[] = [];
  const single: Record<string, string> = {};
  for (const [key, value] of url.searchParams) {
    if (!PLAN_QUERY.has(key))
      throw new BanApiRequestError(
        400,
        `unknown query parameter ${quoteInput(key)}: use ref, reason, replacement, bandAid, param`,
      );
    if (key === 'bandAid') bandAids.push({ id: value, params: {} });
    else if (key === 'param') {
      const last = bandAids.at(-1);
      if (!last)
        throw new BanApiRequestError(400, 'param: a param=NAME=VALUE must follow the bandAid=ID it is for');
      const eq = value.indexOf('=');
      if (eq <= 0) throw new BanApiRequestError(400, `param: ${quoteInput(value)} is not NAME=VALUE`);
      const name = value.slice(0, eq);
      if (Object.hasOwn(last.params, name))
        throw new BanApiRequestError(
          400,
          `param: ${quoteInput(name)} is given twice for band-aid ${last.id}`,
        );
      last.params[name] = value.slice(eq + 1);
    } else {
      if (Object.hasOwn(single, key)) throw new BanApiRequestError(400, `${key}: given more than once`);
      single[key] = value;
    }
  }
  return parseBody(
    BanRequestBody,
    { ...single, reason: single.reason ?? 'preview', bandAids, dryRun: true },
    'GET /api/bans/plan',
  );
}

function bandAidUses(body: z.infer<typeof BanRequestBody>): BandAidUse[] {
  return (body.bandAids ?? []).map((b) => ({ id: b.id, params: { ...(b.params ?? {}) } }));
}

function refusal(result: BanRefusal): never {
  const status = result.code === 'unknown-ban' ? 404 : 400;
  throw new BanApiRequestError(
    status,
    // Name the field, once: core's messages may start with it already ("reason must not be empty").
    result.code === 'invalid-request' && !result.error.startsWith(`${result.field} `)
      ? `${result.field}: ${result.error}`
      : result.error,
  );
}

const msBetween = (from: string, to: string | undefined): number | undefined =>
  to === undefined ? undefined : Date.parse(to) - Date.parse(from);

/** A ban record as the API shows it, with its times to protection and remediation in milliseconds. */
export function banSummary(ban: BanRecord): BanSummary {
  const toProtection = msBetween(ban.at, ban.protectedAt);
  const toRemediation = msBetween(ban.at, ban.remediatedAt);
  return {
    ...ban,
    bandAids: ban.bandAids.map((b) => ({ id: b.id, params: { ...b.params } })),
    ...(toProtection === undefined ? {} : { timeToProtectionMs: toProtection }),
    ...(toRemediation === undefined ? {} : { timeToRemediationMs: toRemediation }),
  };
}

function countBy<T>(items: readonly T[], key: (item: T) => string): CountByState {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

/** The ban endpoints' operations, over the deps; the HTTP layer only parses, authorises and sends. */
export function banApi(deps: BanApiDeps) {
  const clock = deps.clock ?? systemClock;
  const ports = { bans: deps.store, policy: deps.policy, bus: deps.bus, clock, plan: deps.plan };
  return {
    /** Publishes a ban (or, with `dryRun`, only plans it). */
    async ban(
      body: unknown,
      role: string,
    ): Promise<
      | { dryRun: true; plan: BanPlan }
      | { dryRun: false; created: boolean; ban: BanSummary; plan: BanPlan; policyVersion: number }
    > {
      const request = parseBody(BanRequestBody, body, 'POST /api/bans');
      const result = await publishBan(
        {
          ref: request.ref,
          reason: request.reason,
          ...(request.replacement === undefined ? {} : { replacement: request.replacement }),
          bandAids: bandAidUses(request),
          by: requester(request.user, role),
          dryRun: request.dryRun === true,
        },
        ports,
      );
      if (!result.ok) return refusal(result);
      if (result.dryRun) return { dryRun: true, plan: result.plan };
      return {
        dryRun: false,
        created: result.created,
        ban: banSummary(result.ban),
        plan: result.plan,
        policyVersion: result.policyVersion.version,
      };
    },

    /** The plan of the ban a query describes; nothing changes. */
    async plan(url: URL): Promise<BanPlan> {
      const request = planQuery(url);
      const result = await publishBan(
        {
          ref: request.ref,
          reason: request.reason,
          ...(request.replacement === undefined ? {} : { replacement: request.replacement }),
          bandAids: bandAidUses(request),
          by: 'preview',
          dryRun: true,
        },
        ports,
      );
      if (!result.ok) return refusal(result);
      if (!result.dryRun) throw new Error('a dry run changed something');
      return result.plan;
    },

    /** Lifts the ban with this id, or the active ban of this ref. */
    async lift(
      refOrId: string,
      body: unknown,
      role: string,
    ): Promise<{ lifted: boolean; ban: BanSummary; policyVersion: number }> {
      const request = parseBody(LiftRequestBody, body, 'POST /api/bans/…/lift');
      const result = await liftBan(refOrId, requester(request.user, role), ports);
      if (!result.ok) return refusal(result);
      return {
        lifted: result.lifted,
        ban: banSummary(result.ban),
        policyVersion: result.policyVersion.version,
      };
    },

    async list(): Promise<BanSummary[]> {
      return (await deps.store.list()).map(banSummary);
    },

    /** One ban with its marked images, rebuilds and band-aid runs, and counts of each by state. */
    async show(banId: string): Promise<BanDetail> {
      const ban = await deps.store.get(banId);
      if (!ban) throw new BanApiRequestError(404, `no ban ${quoteInput(banId)}; drydock bans lists them`);
      const [images, rebuilds, runs] = await Promise.all([
        deps.store.marked(banId),
        deps.store.rebuilds(banId),
        deps.store.bandAidRuns(banId),
      ]);
      return {
        ...banSummary(ban),
        images: [...images],
        rebuilds: [...rebuilds],
        bandAidRuns: [...runs],
        progress: {
          images: images.length,
          rebuilds: countBy(rebuilds, (r) => r.state),
          bandAids: countBy(runs, (r) => r.state),
        },
      };
    },
  };
}
