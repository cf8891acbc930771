import type { BaseImage, ImagePublishedEvent } from '../../core/events/image-published.js';
import type { DescendantImage, ImageRecord, LineageStore } from '../../core/ports/lineage-store.js';
import type { StateDatabase } from './sqlite-database.js';

interface ImageRow {
  digest: string;
  ref: string;
  config_digest: string;
  repository: string;
  definition: string;
  commit_id: string;
  published_at: string;
  event_id: string;
  bases: string;
}

// Bases come back as a JSON array in position order, so that one query yields whole records.
const COLUMNS = `i.digest, i.ref, i.config_digest, i.repository, i.definition, i.commit_id, i.published_at, i.event_id,
  (SELECT json_group_array(json_object('name', b.base_name, 'digest', b.base_digest))
     FROM (SELECT base_name, base_digest FROM image_bases WHERE image_digest = i.digest ORDER BY position) b) AS bases`;

// Content addressing makes a cycle impossible; the bound keeps a corrupt table from looping forever.
const MAX_DEPTH = 64;

const toRecord = (row: ImageRow): ImageRecord => ({
  digest: row.digest,
  ref: row.ref,
  configDigest: row.config_digest,
  repository: row.repository,
  definition: row.definition,
  commit: row.commit_id,
  bases: JSON.parse(row.bases) as BaseImage[],
  publishedAt: row.published_at,
  eventId: row.event_id,
});

/** Lineage in the SQLite state database; the transitive query is a recursive CTE over (base_digest → image_digest). */
export class SqliteLineageStore implements LineageStore {
  private readonly db: StateDatabase;
  private readonly insertImage;
  private readonly insertBase;
  private readonly byDigest;
  private readonly descendants;
  private readonly descendantsOfAny;
  private readonly bases;
  private readonly newestOfDefinition;
  private readonly newest;
  private readonly newestIn;

  constructor(db: StateDatabase) {
    this.db = db;
    this.insertImage = db.prepare(
      `INSERT INTO images (digest, ref, config_digest, repository, definition, commit_id, published_at, event_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (digest) DO NOTHING`,
    );
    this.insertBase = db.prepare(
      'INSERT INTO image_bases (image_digest, position, base_name, base_digest) VALUES (?, ?, ?, ?)',
    );
    this.byDigest = db.prepare(`SELECT ${COLUMNS} FROM images i WHERE i.digest = ?`);
    this.descendants = db.prepare(
      `WITH RECURSIVE built_on (digest, depth) AS (
         SELECT image_digest, 1 FROM image_bases WHERE base_digest = ?
         UNION
         SELECT b.image_digest, d.depth + 1 FROM built_on d JOIN image_bases b ON b.base_digest = d.digest
         WHERE d.depth < ${MAX_DEPTH}
       ),
       deepest (digest, depth) AS (SELECT digest, max(depth) FROM built_on GROUP BY digest)
       SELECT ${COLUMNS}, d.depth AS depth FROM deepest d JOIN images i ON i.digest = d.digest
       ORDER BY d.depth, i.digest`,
    );
    // The roots come as one JSON array, so that any number of them is one statement and one walk.
    this.descendantsOfAny = db.prepare(
      `WITH RECURSIVE roots (digest) AS (SELECT DISTINCT value FROM json_each(?)),
       built_on (digest, depth) AS (
         SELECT b.image_digest, 1 FROM roots r JOIN image_bases b ON b.base_digest = r.digest
         UNION
         SELECT b.image_digest, d.depth + 1 FROM built_on d JOIN image_bases b ON b.base_digest = d.digest
         WHERE d.depth < ${MAX_DEPTH}
       ),
       deepest (digest, depth) AS (SELECT digest, max(depth) FROM built_on GROUP BY digest)
       SELECT ${COLUMNS}, d.depth AS depth FROM deepest d JOIN images i ON i.digest = d.digest
       ORDER BY d.depth, i.digest`,
    );
    this.bases = db.prepare(
      'SELECT DISTINCT base_name AS name, base_digest AS digest FROM image_bases ORDER BY base_name, base_digest',
    );
    this.newestOfDefinition = db.prepare(
      `SELECT ${COLUMNS} FROM images i WHERE i.repository = ? AND i.definition = ? ORDER BY i.rowid DESC LIMIT 1`,
    );
    this.newest = db.prepare(`SELECT ${COLUMNS} FROM images i ORDER BY i.rowid DESC LIMIT ?`);
    this.newestIn = db.prepare(
      `SELECT ${COLUMNS} FROM images i WHERE i.repository = ? ORDER BY i.rowid DESC LIMIT ?`,
    );
  }

  async record(event: ImagePublishedEvent): Promise<boolean> {
    const d = event.detail;
    return this.db.write(() => {
      const { changes } = this.insertImage.run(
        d.digest,
        d.ref,
        d.configDigest,
        d.repository,
        d.definition,
        d.commit,
        event.time,
        event.id,
      );
      if (changes === 0) return false;
      d.bases.forEach((base, position) => {
        this.insertBase.run(d.digest, position, base.name, base.digest);
      });
      return true;
    });
  }

  async image(digest: string): Promise<ImageRecord | undefined> {
    const row = this.byDigest.get(digest) as ImageRow | undefined;
    return row && toRecord(row);
  }

  async imagesBuiltOn(digest: string): Promise<DescendantImage[]> {
    const rows = this.descendants.all(digest) as (ImageRow & { depth: number })[];
    return rows.map((row) => ({ image: toRecord(row), depth: row.depth }));
  }

  async imagesBuiltOnAny(digests: readonly string[]): Promise<DescendantImage[]> {
    if (digests.length === 0) return [];
    const rows = this.descendantsOfAny.all(JSON.stringify(digests)) as (ImageRow & { depth: number })[];
    return rows.map((row) => ({ image: toRecord(row), depth: row.depth }));
  }

  async baseReferences(): Promise<BaseImage[]> {
    return this.bases.all() as BaseImage[];
  }

  async newestOf(repository: string, definition: string): Promise<ImageRecord | undefined> {
    const row = this.newestOfDefinition.get(repository, definition) as ImageRow | undefined;
    return row && toRecord(row);
  }

  async list(options: { limit?: number; repository?: string } = {}): Promise<ImageRecord[]> {
    const limit = options.limit ?? 100;
    const rows =
      options.repository === undefined
        ? this.newest.all(limit)
        : this.newestIn.all(options.repository, limit);
    return (rows as ImageRow[]).map(toRecord);
  }
}
