/**
 * The key schema of the lineage table, shared by the DynamoDB adapter and the CDK stack.
 *
 * Table: partition key `pk` (string), sort key `sk` (string), no secondary index, on-demand capacity,
 * point-in-time recovery. Every item stores the image record as JSON in `image`, so a query returns whole
 * records and never needs a second read.
 *
 * | item | pk | sk | answers |
 * |---|---|---|---|
 * | image | `IMAGE#<image digest>` | `IMAGE` | `image(digest)`; its conditional put makes `record` once per digest |
 * | edge, one per distinct base | `BASE#<base digest>` | `IMAGE#<image digest>` | "every image built on X" is a Query on `BASE#X`; transitive descent repeats it on each child |
 * | newest-first list | `LIST#ALL` | `SEQ#<12-digit sequence>` | `list()` is a Query, descending |
 * | newest-first list per repository | `LIST#REPOSITORY#<repository>` | `SEQ#<12-digit sequence>` | `list({ repository })` |
 * | newest-first list per definition | `LIST#DEFINITION#<JSON [repository, definition]>` | `SEQ#<12-digit sequence>` | `newestOf(repository, definition)` is a Query, descending, Limit 1 |
 * | base reference, one per distinct (name, digest) | `BASEREFS` | `REF#<base digest>#<base name>` | `baseReferences()` is a Query (attributes `name`, `digest`; no `image`) |
 * | sequence counter | `COUNTER` | `IMAGES` | the next sequence number (attribute `seq`, atomic ADD) |
 */
export const LINEAGE_TABLE_KEYS = { partitionKey: 'pk', sortKey: 'sk' } as const;

/** The image item's key. */
export const imageKey = (digest: string) => ({ pk: `IMAGE#${digest}`, sk: 'IMAGE' });

/** The partition holding one edge per image built directly on `baseDigest`. */
export const basePartition = (baseDigest: string) => `BASE#${baseDigest}`;

/** The edge item's key: `image` was built on `base`. */
export const edgeKey = (baseDigest: string, imageDigest: string) => ({
  pk: basePartition(baseDigest),
  sk: `IMAGE#${imageDigest}`,
});

/** The newest-first list partitions: every image, and the images of one repository. */
export const LIST_ALL = 'LIST#ALL';
export const listPartition = (repository?: string) =>
  repository === undefined ? LIST_ALL : `LIST#REPOSITORY#${repository}`;

/** The newest-first list partition of one definition; JSON keeps a `#` in either part from making two keys collide. */
export const definitionListPartition = (repository: string, definition: string) =>
  `LIST#DEFINITION#${JSON.stringify([repository, definition])}`;

/** The partition holding one item per distinct base reference (name, digest) ever recorded. */
export const BASE_REFERENCES = 'BASEREFS';

/** A base reference item's key. */
export const baseReferenceKey = (name: string, digest: string) => ({
  pk: BASE_REFERENCES,
  sk: `REF#${digest}#${name}`,
});

/** A list item's sort key: the sequence number, zero-padded so that string order is numeric order. */
export const listSortKey = (seq: number) => `SEQ#${String(seq).padStart(12, '0')}`;

/** The counter item that hands out sequence numbers. */
export const COUNTER_KEY = { pk: 'COUNTER', sk: 'IMAGES' } as const;

/**
 * The key schema of the idempotency table used by Powertools idempotency (its defaults): partition key `id`
 * (string), no sort key, TTL attribute `expiration`.
 */
export const IDEMPOTENCY_TABLE_KEYS = { partitionKey: 'id', ttlAttribute: 'expiration' } as const;
