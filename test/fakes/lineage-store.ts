import type { BaseImage, ImagePublishedEvent } from '../../core/events/image-published.js';
import type { DescendantImage, ImageRecord, LineageStore } from '../../core/ports/lineage-store.js';

// The bound of the SQLite walk: a corrupt graph cannot loop forever.
const MAX_DEPTH = 64;

/** The images of in-memory lineage, in the order recorded, shared by every view `reopen` gives. */
class LineageTable {
  readonly images: ImageRecord[] = [];
}

/**
 * Lineage in memory with the behaviour of `SqliteLineageStore` (the LineageStore contract runs against both): one
 * record per digest, descendants at their deepest depth sorted by depth then digest, newest first by recording order.
 */
export class InMemoryLineageStore implements LineageStore {
  readonly #table: LineageTable;

  constructor(table: LineageTable = new LineageTable()) {
    this.#table = table;
  }

  /** Another view of the same lineage, as a second connection to the same database. */
  reopen(): InMemoryLineageStore {
    return new InMemoryLineageStore(this.#table);
  }

  async record(event: ImagePublishedEvent): Promise<boolean> {
    const d = event.detail;
    if (this.#table.images.some((i) => i.digest === d.digest)) return false;
    this.#table.images.push({
      digest: d.digest,
      ref: d.ref,
      configDigest: d.configDigest,
      repository: d.repository,
      definition: d.definition,
      commit: d.commit,
      bases: d.bases.map((b) => ({ name: b.name, digest: b.digest })),
      publishedAt: event.time,
      eventId: event.id,
    });
    return true;
  }

  async image(digest: string): Promise<ImageRecord | undefined> {
    const image = this.#table.images.find((i) => i.digest === digest);
    return image && copy(image);
  }

  async imagesBuiltOn(digest: string): Promise<DescendantImage[]> {
    return this.imagesBuiltOnAny([digest]);
  }

  async imagesBuiltOnAny(digests: readonly string[]): Promise<DescendantImage[]> {
    const deepest = new Map<string, number>();
    let level = new Set(digests);
    for (let depth = 1; depth <= MAX_DEPTH && level.size > 0; depth++) {
      const next = new Set<string>();
      for (const image of this.#table.images) {
        if (image.bases.some((b) => level.has(b.digest))) next.add(image.digest);
      }
      for (const d of next) deepest.set(d, depth);
      level = next;
    }
    return [...deepest]
      .map(([digest, depth]) => ({
        image: copy(this.#table.images.find((i) => i.digest === digest)!),
        depth,
      }))
      .sort((a, b) => a.depth - b.depth || compare(a.image.digest, b.image.digest));
  }

  async baseReferences(): Promise<BaseImage[]> {
    const seen = new Map<string, BaseImage>();
    for (const image of this.#table.images) {
      for (const b of image.bases) seen.set(`${b.name}\n${b.digest}`, { name: b.name, digest: b.digest });
    }
    return [...seen.values()].sort((a, b) => compare(a.name, b.name) || compare(a.digest, b.digest));
  }

  async newestOf(repository: string, definition: string): Promise<ImageRecord | undefined> {
    const image = this.#table.images.findLast(
      (i) => i.repository === repository && i.definition === definition,
    );
    return image && copy(image);
  }

  async list(options: { limit?: number; repository?: string } = {}): Promise<ImageRecord[]> {
    return [...this.#table.images]
      .reverse()
      .filter((i) => options.repository === undefined || i.repository === options.repository)
      .slice(0, options.limit ?? 100)
      .map(copy);
  }
}

function copy(image: ImageRecord): ImageRecord {
  return { ...image, bases: image.bases.map((b) => ({ name: b.name, digest: b.digest })) };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
