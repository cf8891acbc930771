import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
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

// A record as stored: dates as epoch milliseconds, rebuild '' for a push's build; `seq` orders equal queue times.
type StoredRecord = StoredBuildRecord & { readonly seq: number };

interface StoredFile {
  version: 1;
  records: StoredRecord[];
}

/**
 * BuildRecords in one JSON file (the CodeBuild build's work dir, shared by its three `drydock step` runs), read
 * on every call and written whole (temp file, then rename), so a crash leaves the old file or the new one.
 * Calls of one instance are serialised; separate processes must not write it at once (they run one after another).
 */
export class JsonFileBuildRecords implements BuildRecords {
  readonly path: string;
  readonly #clock: Clock;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(path: string, options: { clock?: Clock } = {}) {
    this.path = path;
    this.#clock = options.clock ?? systemClock;
  }

  enqueue(request: BuildRequest): Promise<{ record: BuildRecord; created: boolean }> {
    return this.#write((file) => {
      const rebuild = request.rebuild ?? '';
      const existing = file.records.find((r) => sameKey(r, { ...request, rebuild }));
      if (existing) return { record: buildRecordFrom(existing), created: false };
      if (file.records.some((r) => r.buildId === request.buildId)) {
        throw new DrydockError(
          `build id ${request.buildId} is already used by another (repository, definition, commit, rebuild)`,
          { code: 'BUILD_ID_CONFLICT' },
        );
      }
      const stored: StoredRecord = {
        ...queuedBuild(request, this.#clock.now().getTime()),
        seq: Math.max(0, ...file.records.map((r) => r.seq)) + 1,
      };
      file.records.push(stored);
      return { record: buildRecordFrom(stored), created: true };
    });
  }

  transition(buildId: string, to: BuildState, details: TransitionDetails = {}): Promise<BuildRecord> {
    return this.#write((file) => {
      const i = file.records.findIndex((s) => s.buildId === buildId);
      const r = file.records[i];
      if (!r) throw new BuildNotFoundError(buildId);
      const moved = advancedBuild(r, to, details, this.#clock.now().getTime());
      file.records[i] = moved;
      return buildRecordFrom(moved);
    });
  }

  async get(buildId: string): Promise<BuildRecord | undefined> {
    const r = (await this.#read()).records.find((s) => s.buildId === buildId);
    return r && buildRecordFrom(r);
  }

  async find(key: BuildKey): Promise<BuildRecord | undefined> {
    const r = (await this.#read()).records.find((s) => sameKey(s, { ...key, rebuild: key.rebuild ?? '' }));
    return r && buildRecordFrom(r);
  }

  async newestFor(repository: string, definition: string): Promise<BuildRecord | undefined> {
    const [r] = newestFirst(
      (await this.#read()).records.filter((s) => s.repository === repository && s.definition === definition),
    );
    return r && buildRecordFrom(r);
  }

  async list(options: { states?: readonly BuildState[]; limit?: number } = {}): Promise<BuildRecord[]> {
    const { records } = await this.#read();
    const states = options.states;
    return newestFirst(states === undefined ? records : records.filter((r) => states.includes(r.state)))
      .slice(0, options.limit ?? 100)
      .map((r) => buildRecordFrom(r));
  }

  async #read(): Promise<StoredFile> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, records: [] };
      throw recordsError(`cannot read build records ${this.path}: ${(error as Error).message}`, error);
    }
    try {
      const parsed = JSON.parse(text) as StoredFile;
      if (parsed?.version !== 1 || !Array.isArray(parsed.records))
        throw new Error('not a build records file');
      return parsed;
    } catch (error) {
      throw recordsError(`build records ${this.path} are not valid: ${(error as Error).message}`, error);
    }
  }

  #write<T>(change: (file: StoredFile) => T): Promise<T> {
    const run = this.#queue.then(async () => {
      const file = await this.#read();
      const result = change(file);
      const temp = `${this.path}.${randomUUID()}.tmp`;
      try {
        await mkdir(dirname(this.path), { recursive: true });
        await writeFile(temp, `${JSON.stringify(file)}\n`, { encoding: 'utf8', mode: 0o600 });
        await rename(temp, this.path);
      } catch (error) {
        throw recordsError(`cannot write build records ${this.path}: ${(error as Error).message}`, error);
      }
      return result;
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }
}

function recordsError(message: string, cause: unknown): DrydockError {
  return new DrydockError(message, { code: 'BUILD_RECORDS_UNAVAILABLE', cause });
}

function sameKey(r: StoredRecord, key: BuildKey & { rebuild: string }): boolean {
  return (
    r.repository === key.repository &&
    r.definition === key.definition &&
    r.commit === key.commit &&
    r.rebuild === key.rebuild
  );
}

function newestFirst(records: readonly StoredRecord[]): StoredRecord[] {
  return [...records].sort((a, b) => b.queuedAt - a.queuedAt || b.seq - a.seq);
}
