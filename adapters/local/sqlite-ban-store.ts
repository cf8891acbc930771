import type { BandAidUse } from '../../core/events/base-image-banned.js';
import type { RebuildSubstitution } from '../../core/events/rebuild.js';
import type { UnsupportedImage } from '../../core/ports/admission-list.js';
import {
  type BandAidRunEnd,
  type BandAidRunRecord,
  type BandAidRunState,
  BanNotFoundError,
  type BanRecord,
  type BanStore,
  definitionKey,
  type MarkedImage,
  type NewBan,
  type PlannedRebuild,
  type RebuildChange,
  type RebuildRecord,
  type RebuildState,
} from '../../core/ports/ban-store.js';
import { type Clock, systemClock } from '../../core/ports/clock.js';
import type { SqliteStatement, StateDatabase } from './sqlite-database.js';

interface BanRow {
  ban_id: string;
  ref: string;
  reason: string;
  replacement: string | null;
  band_aids: string;
  by_whom: string;
  at: string;
  state: 'active' | 'lifted';
  lifted_by: string | null;
  lifted_at: string | null;
  planned_at: string | null;
  protected_at: string | null;
  remediated_at: string | null;
}

interface MarkRow {
  digest: string;
  config_digest: string;
  ref: string;
  repository: string;
  definition: string;
  depth: number;
}

interface RebuildRow {
  ban_id: string;
  number: number;
  body: string;
  state: RebuildState;
  reason: string | null;
  build_id: string | null;
  new_ref: string | null;
  new_digest: string | null;
  dispatched: string | null;
  updated_at: string;
}

interface RunRow {
  ban_id: string;
  band_aid_id: string;
  container_id: string;
  host: string;
  image_digest: string;
  state: BandAidRunState;
  exit_code: number | null;
  output_tail: string | null;
  duration_ms: number | null;
  reason: string | null;
  started_at: string | null;
  finished_at: string | null;
}

const STAMP_COLUMNS = {
  plannedAt: 'planned_at',
  protectedAt: 'protected_at',
  remediatedAt: 'remediated_at',
} as const;

/** The reason a run left `running` by a dead process is given. */
export const INTERRUPTED_REASON = 'the process running it stopped before it ended; it is not run again';

// Optional fields are left out rather than set to undefined, so that records compare equal across adapters.
function present<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== null)) as T;
}

const toBan = (row: BanRow): BanRecord =>
  present({
    banId: row.ban_id,
    ref: row.ref,
    reason: row.reason,
    replacement: row.replacement ?? undefined,
    bandAids: JSON.parse(row.band_aids) as BandAidUse[],
    by: row.by_whom,
    at: row.at,
    state: row.state,
    liftedBy: row.lifted_by ?? undefined,
    liftedAt: row.lifted_at ?? undefined,
    plannedAt: row.planned_at ?? undefined,
    protectedAt: row.protected_at ?? undefined,
    remediatedAt: row.remediated_at ?? undefined,
  });

const toMark = (row: MarkRow): MarkedImage => ({
  digest: row.digest,
  configDigest: row.config_digest,
  ref: row.ref,
  repository: row.repository,
  definition: row.definition,
  depth: row.depth,
});

const toRebuild = (row: RebuildRow): RebuildRecord =>
  present({
    ...(JSON.parse(row.body) as PlannedRebuild),
    banId: row.ban_id,
    number: row.number,
    state: row.state,
    reason: row.reason ?? undefined,
    buildId: row.build_id ?? undefined,
    dispatchedSubstitutions:
      row.dispatched === null ? undefined : (JSON.parse(row.dispatched) as RebuildSubstitution[]),
    newRef: row.new_ref ?? undefined,
    newDigest: row.new_digest ?? undefined,
    updatedAt: row.updated_at,
  });

const toRun = (row: RunRow): BandAidRunRecord => {
  const run = present({
    banId: row.ban_id,
    bandAidId: row.band_aid_id,
    containerId: row.container_id,
    host: row.host,
    imageDigest: row.image_digest,
    state: row.state,
    outputTail: row.output_tail ?? undefined,
    durationMs: row.duration_ms ?? undefined,
    reason: row.reason ?? undefined,
    startedAt: row.started_at ?? undefined,
    finishedAt: row.finished_at ?? undefined,
  });
  // A null exit code is information (killed by a signal, timed out) once the run has ended.
  return row.exit_code !== null || row.finished_at !== null ? { ...run, exitCode: row.exit_code } : run;
};

/** The state a planned rebuild starts in. */
export function initialRebuildState(rebuild: PlannedRebuild): RebuildState {
  if (rebuild.reportReason !== undefined) return 'reported';
  return rebuild.waitsFor.length > 0 ? 'waiting' : 'ready';
}

const BAN_COLUMNS = `ban_id, ref, reason, replacement, band_aids, by_whom, at, state, lifted_by, lifted_at, planned_at,
  protected_at, remediated_at`;
const REBUILD_COLUMNS =
  'ban_id, number, body, state, reason, build_id, new_ref, new_digest, dispatched, updated_at';

/** Bans and their response in the SQLite state database (tables bans, ban_images, rebuilds, band_aid_runs). */
export class SqliteBanStore implements BanStore {
  private readonly db: StateDatabase;
  private readonly clock: Clock;
  private readonly s: Record<string, SqliteStatement>;

  constructor(db: StateDatabase, options: { clock?: Clock } = {}) {
    this.db = db;
    this.clock = options.clock ?? systemClock;
    this.s = {
      ban: db.prepare(`SELECT ${BAN_COLUMNS} FROM bans WHERE ban_id = ?`),
      active: db.prepare(`SELECT ${BAN_COLUMNS} FROM bans WHERE ref = ? AND state = 'active'`),
      list: db.prepare(`SELECT ${BAN_COLUMNS} FROM bans ORDER BY seq DESC`),
      insertBan: db.prepare(
        `INSERT INTO bans (ban_id, ref, reason, replacement, band_aids, by_whom, at, state, seq)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'active', (SELECT coalesce(max(seq), 0) + 1 FROM bans))`,
      ),
      lift: db.prepare(
        `UPDATE bans SET state = 'lifted', lifted_by = ?, lifted_at = ? WHERE ban_id = ? AND state = 'active'`,
      ),
      ...Object.fromEntries(
        Object.values(STAMP_COLUMNS).map((column) => [
          `stamp_${column}`,
          db.prepare(`UPDATE bans SET ${column} = coalesce(${column}, ?) WHERE ban_id = ?`),
        ]),
      ),
      mark: db.prepare(
        `INSERT INTO ban_images (ban_id, digest, config_digest, ref, repository, definition, depth)
         VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      ),
      marked: db.prepare(
        `SELECT digest, config_digest, ref, repository, definition, depth FROM ban_images WHERE ban_id = ?
         ORDER BY depth, digest`,
      ),
      // Both lookups use their index; the caller's digests arrive as one JSON array, whatever their number.
      support: db.prepare(
        `SELECT m.digest, m.config_digest, b.ban_id, b.reason, b.seq FROM ban_images m
         JOIN bans b ON b.ban_id = m.ban_id WHERE b.state = 'active' AND m.digest IN (SELECT value FROM json_each(?))
         UNION
         SELECT m.digest, m.config_digest, b.ban_id, b.reason, b.seq FROM ban_images m
         JOIN bans b ON b.ban_id = m.ban_id WHERE b.state = 'active' AND m.config_digest IN (SELECT value FROM json_each(?))
         ORDER BY 5`,
      ),
      unsupported: db.prepare(
        `SELECT m.digest, m.config_digest, m.ref, b.ban_id, b.reason FROM ban_images m
         JOIN bans b ON b.ban_id = m.ban_id WHERE b.state = 'active' ORDER BY m.digest, b.seq`,
      ),
      rebuild: db.prepare(`SELECT ${REBUILD_COLUMNS} FROM rebuilds WHERE ban_id = ? AND def_key = ?`),
      rebuilds: db.prepare(`SELECT ${REBUILD_COLUMNS} FROM rebuilds WHERE ban_id = ? ORDER BY position`),
      rebuildCount: db.prepare('SELECT count(*) AS n FROM rebuilds WHERE ban_id = ?'),
      highestNumber: db.prepare(
        `SELECT coalesce(max(number), 0) AS n FROM rebuilds WHERE repository = ? AND definition = ? AND commit_id = ?`,
      ),
      insertRebuild: db.prepare(
        `INSERT INTO rebuilds (ban_id, def_key, repository, definition, commit_id, number, body, state, position,
           updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      updateRebuild: db.prepare(
        `UPDATE rebuilds SET state = ?, reason = coalesce(?, reason), build_id = coalesce(?, build_id),
           dispatched = coalesce(?, dispatched), new_ref = coalesce(?, new_ref), new_digest = coalesce(?, new_digest),
           updated_at = ? WHERE ban_id = ? AND def_key = ?`,
      ),
      byBuild: db.prepare(`SELECT ${REBUILD_COLUMNS} FROM rebuilds WHERE build_id = ? LIMIT 1`),
      addRun: db.prepare(
        `INSERT INTO band_aid_runs (ban_id, band_aid_id, container_id, host, image_digest, state)
         VALUES (?, ?, ?, ?, ?, 'pending') ON CONFLICT DO NOTHING`,
      ),
      claimRun: db.prepare(
        `UPDATE band_aid_runs SET state = 'running', started_at = ?
         WHERE ban_id = ? AND band_aid_id = ? AND container_id = ? AND state = 'pending'`,
      ),
      finishRun: db.prepare(
        `UPDATE band_aid_runs SET state = ?, exit_code = ?, output_tail = ?, duration_ms = ?, reason = ?,
           finished_at = ? WHERE ban_id = ? AND band_aid_id = ? AND container_id = ? AND state IN ('pending', 'running')`,
      ),
      interrupt: db.prepare(
        `UPDATE band_aid_runs SET state = 'interrupted', reason = ?, finished_at = ? WHERE state = 'running'`,
      ),
      runs: db.prepare(
        `SELECT * FROM band_aid_runs WHERE ban_id = ? ORDER BY band_aid_id, host, container_id`,
      ),
    };
  }

  async create(ban: NewBan): Promise<{ readonly ban: BanRecord; readonly created: boolean }> {
    return this.db.write(() => {
      // A redelivered ban (same id) is the ban it was, lifted or not; another id for an actively banned ref is
      // the same ban published twice.
      const existing = (this.s.ban!.get(ban.banId) ?? this.s.active!.get(ban.ref)) as BanRow | undefined;
      if (existing) return { ban: toBan(existing), created: false };
      this.s.insertBan!.run(
        ban.banId,
        ban.ref,
        ban.reason,
        ban.replacement ?? null,
        JSON.stringify(ban.bandAids),
        ban.by,
        ban.at,
      );
      return { ban: this.mustGet(ban.banId), created: true };
    });
  }

  async get(banId: string): Promise<BanRecord | undefined> {
    const row = this.db.read(() => this.s.ban!.get(banId)) as BanRow | undefined;
    return row && toBan(row);
  }

  async activeFor(ref: string): Promise<BanRecord | undefined> {
    const row = this.db.read(() => this.s.active!.get(ref)) as BanRow | undefined;
    return row && toBan(row);
  }

  async list(): Promise<readonly BanRecord[]> {
    return (this.db.read(() => this.s.list!.all()) as BanRow[]).map(toBan);
  }

  async lift(banId: string, by: string, at: string): Promise<BanRecord | undefined> {
    return this.db.write(() => {
      this.s.lift!.run(by, at, banId);
      const row = this.s.ban!.get(banId) as BanRow | undefined;
      return row && toBan(row);
    });
  }

  async stamp(banId: string, field: keyof typeof STAMP_COLUMNS, at: string): Promise<BanRecord> {
    return this.db.write(() => {
      const column = STAMP_COLUMNS[field];
      if (this.s[`stamp_${column}`]!.run(at, banId).changes === 0) throw new BanNotFoundError(banId);
      return this.mustGet(banId);
    });
  }

  async markUnsupported(banId: string, images: readonly MarkedImage[]): Promise<number> {
    return this.db.write(() => {
      this.mustGet(banId);
      let added = 0;
      for (const i of images) {
        added += this.s.mark!.run(
          banId,
          i.digest,
          i.configDigest,
          i.ref,
          i.repository,
          i.definition,
          i.depth,
        ).changes;
      }
      return added;
    });
  }

  async marked(banId: string): Promise<readonly MarkedImage[]> {
    return (this.db.read(() => this.s.marked!.all(banId)) as MarkRow[]).map(toMark);
  }

  async supportOf(
    digests: readonly string[],
  ): Promise<ReadonlyMap<string, readonly { readonly banId: string; readonly reason: string }[]>> {
    const asked = new Set(digests);
    const json = JSON.stringify([...asked]);
    const rows = this.db.read(() => this.s.support!.all(json, json)) as {
      digest: string;
      config_digest: string;
      ban_id: string;
      reason: string;
    }[];
    return supportByDigest(
      asked,
      rows.map((r) => ({
        digest: r.digest,
        configDigest: r.config_digest,
        banId: r.ban_id,
        reason: r.reason,
      })),
    );
  }

  async unsupportedImages(): Promise<readonly UnsupportedImage[]> {
    const rows = this.db.read(() => this.s.unsupported!.all()) as {
      digest: string;
      config_digest: string;
      ref: string;
      ban_id: string;
      reason: string;
    }[];
    return aggregateUnsupported(
      rows.map((r) => ({
        digest: r.digest,
        configDigest: r.config_digest,
        ref: r.ref,
        banId: r.ban_id,
        reason: r.reason,
      })),
    );
  }

  async addRebuilds(banId: string, rebuilds: readonly PlannedRebuild[]): Promise<readonly RebuildRecord[]> {
    return this.db.write(() => {
      this.mustGet(banId);
      const at = this.clock.now().toISOString();
      let position = (this.s.rebuildCount!.get(banId) as { n: number }).n;
      for (const r of rebuilds) {
        const key = definitionKey(r.repository, r.definition);
        if (this.s.rebuild!.get(banId, key)) continue;
        const { n } = this.s.highestNumber!.get(r.repository, r.definition, r.commit) as { n: number };
        this.s.insertRebuild!.run(
          banId,
          key,
          r.repository,
          r.definition,
          r.commit,
          n + 1,
          JSON.stringify(r),
          initialRebuildState(r),
          position++,
          at,
        );
      }
      return (this.s.rebuilds!.all(banId) as RebuildRow[]).map(toRebuild);
    });
  }

  async rebuilds(banId: string): Promise<readonly RebuildRecord[]> {
    return (this.db.read(() => this.s.rebuilds!.all(banId)) as RebuildRow[]).map(toRebuild);
  }

  async rebuildByBuild(buildId: string): Promise<RebuildRecord | undefined> {
    const row = this.db.read(() => this.s.byBuild!.get(buildId)) as RebuildRow | undefined;
    return row && toRebuild(row);
  }

  async updateRebuild(
    banId: string,
    key: string,
    from: readonly RebuildState[],
    change: RebuildChange,
  ): Promise<RebuildRecord | undefined> {
    return this.db.write(() => {
      const row = this.s.rebuild!.get(banId, key) as RebuildRow | undefined;
      if (!row || !from.includes(row.state)) return undefined;
      this.s.updateRebuild!.run(
        change.state,
        change.reason ?? null,
        change.buildId ?? null,
        change.dispatchedSubstitutions === undefined ? null : JSON.stringify(change.dispatchedSubstitutions),
        change.newRef ?? null,
        change.newDigest ?? null,
        this.clock.now().toISOString(),
        banId,
        key,
      );
      return toRebuild(this.s.rebuild!.get(banId, key) as RebuildRow);
    });
  }

  async addBandAidRuns(
    runs: readonly Pick<BandAidRunRecord, 'banId' | 'bandAidId' | 'containerId' | 'host' | 'imageDigest'>[],
  ): Promise<number> {
    return this.db.write(() => {
      let added = 0;
      for (const banId of new Set(runs.map((r) => r.banId))) this.mustGet(banId);
      for (const r of runs) {
        added += this.s.addRun!.run(r.banId, r.bandAidId, r.containerId, r.host, r.imageDigest).changes;
      }
      return added;
    });
  }

  async claimBandAidRun(banId: string, bandAidId: string, containerId: string, at: string): Promise<boolean> {
    return this.db.write(() => this.s.claimRun!.run(at, banId, bandAidId, containerId).changes === 1);
  }

  async finishBandAidRun(
    banId: string,
    bandAidId: string,
    containerId: string,
    end: BandAidRunEnd,
    at: string,
  ): Promise<void> {
    this.db.write(() =>
      this.s.finishRun!.run(
        end.state,
        end.exitCode ?? null,
        end.outputTail ?? null,
        end.durationMs ?? null,
        end.reason ?? null,
        at,
        banId,
        bandAidId,
        containerId,
      ),
    );
  }

  async interruptRunning(at: string): Promise<number> {
    return this.db.write(() => this.s.interrupt!.run(INTERRUPTED_REASON, at).changes);
  }

  async bandAidRuns(banId: string): Promise<readonly BandAidRunRecord[]> {
    return (this.db.read(() => this.s.runs!.all(banId)) as RunRow[]).map(toRun);
  }

  private mustGet(banId: string): BanRecord {
    const row = this.s.ban!.get(banId) as BanRow | undefined;
    if (!row) throw new BanNotFoundError(banId);
    return toBan(row);
  }
}

/** One (image, active ban) mark, as both ban stores aggregate them. */
export interface ActiveMark {
  readonly digest: string;
  readonly configDigest: string;
  readonly ref: string;
  readonly banId: string;
  readonly reason: string;
}

/** Groups marks, given by digest then ban age, into one unsupported image per digest, its bans' reasons joined. */
export function aggregateUnsupported(marks: readonly ActiveMark[]): UnsupportedImage[] {
  const images = new Map<
    string,
    { digest: string; configDigest: string; ref: string; banIds: string[]; reasons: string[] }
  >();
  for (const m of marks) {
    const image = images.get(m.digest) ?? {
      digest: m.digest,
      configDigest: m.configDigest,
      ref: m.ref,
      banIds: [],
      reasons: [],
    };
    image.banIds.push(m.banId);
    if (!image.reasons.includes(m.reason)) image.reasons.push(m.reason);
    images.set(m.digest, image);
  }
  return [...images.values()].map(({ reasons, ...image }) => ({ ...image, reason: reasons.join('; ') }));
}

/** The active bans of each asked digest, matched by image digest or config digest, each ban once, in mark order. */
export function supportByDigest(
  asked: ReadonlySet<string>,
  marks: Iterable<Omit<ActiveMark, 'ref'>>,
): Map<string, { banId: string; reason: string }[]> {
  const found = new Map<string, { banId: string; reason: string }[]>();
  for (const mark of marks) {
    for (const key of new Set([mark.digest, mark.configDigest])) {
      if (!asked.has(key)) continue;
      const bans = found.get(key) ?? [];
      if (!bans.some((b) => b.banId === mark.banId)) bans.push({ banId: mark.banId, reason: mark.reason });
      found.set(key, bans);
    }
  }
  return found;
}
