import type { PolicyVersion } from '../../adapters/local/sqlite-policy-versions.js';
import type { BanPlan } from '../../core/ban/ban-plan.js';
import type { BandAidRunRecord, BanRecord, MarkedImage, RebuildRecord } from '../../core/ports/ban-store.js';
import type { BuildState } from '../../core/ports/build-records.js';

export type { PolicyVersion };

/**
 * The JSON shapes of the local pipeline's loopback HTTP API (`drydock start`), shared by the server and
 * the CLI. Times are ISO 8601 strings.
 *
 * Every request but the wake-up carries `Authorization: Bearer <token>` (api-tokens.ts: `<state>/api/ops-token`
 * for everything, `read-token` for the GETs): 401 without a valid one, 403 for a POST with the read token.
 *
 * GET  /api/status               → StatusResponse
 * GET  /api/pushes?limit=N       → { pushes: PushSummary[] }
 * GET  /api/builds?limit=N&state=S → { builds: BuildSummary[] }
 * GET  /api/builds/:id           → BuildSummary (404 { error } when unknown)
 * GET  /api/builds/:id/log       → text/plain, the whole build log
 * GET  /api/images?limit=N       → { images: ImageSummary[] }
 * GET  /api/bases                → { bases: BaseSummary[] }
 * GET  /api/policy?limit=N       → { path, versions: PolicyVersion[] (newest first), text (of the version in force) }
 * POST /api/bases/seed {versions?,debian?,debianMirror? (http(s) only)} → NDJSON: {type:'progress',message}… then {type:'result',bases}
 * POST /api/bases/import?name=N&tag=T, body: the rootfs tarball (application/x-tar, compressed or not) → NDJSON,
 *      the same shape; 409 when the tag exists, 400 for a tarball with entries outside its root or devices, 413 over the size limit
 * GET  /api/notifications?limit=N → { notifications: NotificationSummary[] }
 * GET  /api/dead-letters         → { deadLetters: DeadLetterSummary[] }
 * POST /api/bans {ref, reason, replacement?, bandAids?: [{id, params?}], user?, dryRun?} (ops) → 201 BanPublished
 *      (200 with created: false when an active ban of the ref exists; 200 BanPreview with dryRun); 400 naming the field
 * GET  /api/bans/plan?ref=R&replacement=R&bandAid=ID&param=K=V… → BanPreview (a `param` belongs to the `bandAid` before it)
 * GET  /api/bans                 → { bans: BanSummary[] } (newest first)
 * GET  /api/bans/:id             → BanDetail (404 when unknown)
 * POST /api/bans/:id-or-ref/lift {user?} (ops) → BanLifted; 404 when no such (active) ban
 * POST /api/wake                 → 204; workers look for work now (the post-receive hook calls it; no token, no body)
 * Errors: status ≥ 400 with `{ error: string }`.
 */

export interface QueueSummary {
  readonly visible: number;
  /** Received and not yet acked, or waiting out a retry delay. */
  readonly inFlight: number;
  readonly deadLetters: number;
}

export interface StatusResponse {
  readonly version: string;
  readonly pid: number;
  readonly startedAt: string;
  readonly stateDir: string;
  /** `http://127.0.0.1:<port>` of this API. */
  readonly api: string;
  readonly registry: { readonly host: string; readonly url: string };
  readonly policy: string;
  /** The policy document in force: every applied version is kept in the state database. */
  readonly policyVersion?: PolicyVersion;
  readonly repos: readonly { readonly name: string; readonly remote: string }[];
  readonly queues: Readonly<Record<string, QueueSummary>>;
  readonly pushes: readonly PushSummary[];
  readonly builds: readonly BuildSummary[];
}

/** The gate's verdict on one definition of a push. */
export interface VerdictSummary {
  readonly definition: string;
  readonly passed: boolean;
  /** allowed / denied / substituted per base, as `ref → outcome`; `unresolved` for a base the gate could not work out. */
  readonly bases: readonly { readonly ref: string; readonly outcome: string; readonly detail?: string }[];
  readonly findings: readonly {
    readonly line: number;
    readonly column: number;
    readonly code: string;
    readonly level: string;
    readonly message: string;
  }[];
  readonly buildId?: string;
  readonly at: string;
}

/** One push and the verdicts on the definitions it changed (empty while the gate has not run). */
export interface PushSummary {
  readonly eventId: string;
  readonly repository: string;
  readonly ref: string;
  readonly commit: string;
  readonly pusher: string;
  readonly at: string;
  readonly definitions: readonly { readonly path: string; readonly change: string }[];
  readonly verdicts: readonly VerdictSummary[];
}

export interface BuildSummary {
  readonly buildId: string;
  readonly repository: string;
  readonly definition: string;
  readonly commit: string;
  readonly state: BuildState;
  readonly attempts: number;
  readonly queuedAt: string;
  readonly updatedAt: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  readonly durationMs?: number;
  readonly imageDigest?: string;
  readonly error?: string;
  readonly history: readonly { readonly state: BuildState; readonly at: string }[];
}

/** A published image; `status` becomes `unsupported` once a base it was built on is banned. */
export interface ImageSummary {
  readonly ref: string;
  readonly digest: string;
  readonly bases: readonly { readonly name: string; readonly digest: string }[];
  readonly status: 'supported' | 'unsupported';
  /** False while an active ban marks the image. */
  readonly supported: boolean;
  /** The active bans that mark it, with their reasons; empty when supported. */
  readonly unsupportedBy: readonly { readonly banId: string; readonly reason: string }[];
  readonly repository: string;
  readonly definition: string;
  readonly commit: string;
  readonly publishedAt: string;
}

export interface BaseSummary {
  readonly ref: string;
  readonly digest: string;
  readonly repository: string;
  readonly tag: string;
}

/** A message for a team (a failed verdict, build or test), kept in the outbox. */
export interface NotificationSummary {
  readonly id: string;
  readonly kind: string;
  readonly repository: string;
  readonly definition: string;
  readonly commit: string;
  readonly summary: string;
  readonly at: string;
}

export interface DeadLetterSummary {
  readonly queue: string;
  readonly messageId: string;
  readonly reason: string;
  readonly receiveCount: number;
  readonly detailType?: string;
}

/** A ban as the API shows it: the record, and its times to protection and remediation once reached. */
export interface BanSummary extends BanRecord {
  /** From the ban to admission refusing every affected image and every band-aid run ended. */
  readonly timeToProtectionMs?: number;
  /** From the ban to every affected definition republished or reported. */
  readonly timeToRemediationMs?: number;
}

/** How many of something are in each state. */
export type CountByState = Readonly<Record<string, number>>;

/** One ban with its progress: the images it marked (by depth), its rebuilds and its band-aid runs. */
export interface BanDetail extends BanSummary {
  readonly images: readonly MarkedImage[];
  readonly rebuilds: readonly RebuildRecord[];
  readonly bandAidRuns: readonly BandAidRunRecord[];
  readonly progress: {
    readonly images: number;
    readonly rebuilds: CountByState;
    readonly bandAids: CountByState;
  };
}

/** The answer of a dry run: the plan, nothing done. */
export interface BanPreview {
  readonly dryRun: true;
  readonly plan: BanPlan;
}

/** The answer of a published ban: the ban in force, whether this request made it, its plan and policy version. */
export interface BanPublished {
  readonly dryRun: false;
  readonly created: boolean;
  readonly ban: BanSummary;
  readonly plan: BanPlan;
  readonly policyVersion: number;
}

/** The answer of a lift: the ban after it, and whether this request lifted it. */
export interface BanLifted {
  readonly lifted: boolean;
  readonly ban: BanSummary;
  readonly policyVersion: number;
}
