import { DrydockError } from '../../core/errors.js';
import {
  advancedBuild,
  type BuildKey,
  BuildNotFoundError,
  type BuildRecord,
  type BuildRecords,
  type BuildRequest,
  type BuildState,
  buildRecordFrom,
  queuedBuild,
  type StoredBuildRecord,
  type TransitionDetails,
} from '../../core/ports/build-records.js';
import { type Clock, systemClock } from '../../core/ports/clock.js';

type Row = StoredBuildRecord & { readonly seq: number };

/** The rows of in-memory build records, shared by every view `reopen` gives (the twin of one SQLite file). */
class BuildTable {
  readonly rows = new Map<string, Row>();
  seq = 0;
}

/**
 * Build records in memory with the behaviour of `SqliteBuildRecords` (the BuildRecords contract runs against both):
 * one record per (repository, definition, commit, rebuild), the state machine of `BUILD_TRANSITIONS`, records
 * returned as fresh copies.
 */
export class InMemoryBuildRecords implements BuildRecords {
  readonly #table: BuildTable;
  readonly #clock: Clock;

  constructor(options: { readonly clock?: Clock } = {}, table: BuildTable = new BuildTable()) {
    this.#clock = options.clock ?? systemClock;
    this.#table = table;
  }

  /** Another view of the same records, as a second connection to the same database. */
  reopen(): InMemoryBuildRecords {
    return new InMemoryBuildRecords({ clock: this.#clock }, this.#table);
  }

  async enqueue(request: BuildRequest): Promise<{ record: BuildRecord; created: boolean }> {
    const rebuild = request.rebuild ?? '';
    const existing = this.byKey({ ...request, rebuild });
    if (existing) return { record: buildRecordFrom(existing), created: false };
    if (this.#table.rows.has(request.buildId)) {
      throw new DrydockError(
        `build id ${request.buildId} is already used by another (repository, definition, commit, rebuild)`,
        { code: 'BUILD_ID_CONFLICT' },
      );
    }
    const row: Row = { ...queuedBuild(request, this.#clock.now().getTime()), seq: ++this.#table.seq };
    this.#table.rows.set(row.buildId, row);
    return { record: buildRecordFrom(row), created: true };
  }

  async transition(buildId: string, to: BuildState, details: TransitionDetails = {}): Promise<BuildRecord> {
    const row = this.#table.rows.get(buildId);
    if (!row) throw new BuildNotFoundError(buildId);
    const moved = advancedBuild(row, to, details, this.#clock.now().getTime());
    this.#table.rows.set(buildId, moved);
    return buildRecordFrom(moved);
  }

  async get(buildId: string): Promise<BuildRecord | undefined> {
    const row = this.#table.rows.get(buildId);
    return row && buildRecordFrom(row);
  }

  async find(key: BuildKey): Promise<BuildRecord | undefined> {
    const row = this.byKey({ ...key, rebuild: key.rebuild ?? '' });
    return row && buildRecordFrom(row);
  }

  async newestFor(repository: string, definition: string): Promise<BuildRecord | undefined> {
    const row = this.newestFirst().find((r) => r.repository === repository && r.definition === definition);
    return row && buildRecordFrom(row);
  }

  async list(options: { states?: readonly BuildState[]; limit?: number } = {}): Promise<BuildRecord[]> {
    const states = options.states;
    return this.newestFirst()
      .filter((r) => states === undefined || states.includes(r.state))
      .slice(0, options.limit ?? 100)
      .map((r) => buildRecordFrom(r));
  }

  private byKey(key: Required<BuildKey>): Row | undefined {
    return [...this.#table.rows.values()].find(
      (r) =>
        r.repository === key.repository &&
        r.definition === key.definition &&
        r.commit === key.commit &&
        r.rebuild === key.rebuild,
    );
  }

  private newestFirst(): Row[] {
    return [...this.#table.rows.values()].sort((a, b) => b.queuedAt - a.queuedAt || b.seq - a.seq);
  }
}
