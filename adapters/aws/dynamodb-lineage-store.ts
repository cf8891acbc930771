import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type TransactWriteItem,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { DrydockError } from '../../core/errors.js';
import type { BaseImage, ImagePublishedEvent } from '../../core/events/image-published.js';
import type { DescendantImage, ImageRecord, LineageStore } from '../../core/ports/lineage-store.js';
import { awsCall, hasAwsName } from './aws-service-error.js';
import { forEachLimited } from './concurrency.js';
import {
  BASE_REFERENCES,
  basePartition,
  baseReferenceKey,
  COUNTER_KEY,
  definitionListPartition,
  edgeKey,
  imageKey,
  listPartition,
  listSortKey,
} from './lineage-keys.js';

// Content addressing makes a cycle impossible; the bound keeps corrupt data from looping forever.
const MAX_DEPTH = 64;
// One transaction holds the image, the three list items and one edge per base: DynamoDB allows 100 actions.
const MAX_BASES = 96;
const QUERY_CONCURRENCY = 8;

type Item = Record<string, AttributeValue>;

const s = (value: string): AttributeValue => ({ S: value });
const key = (k: { pk: string; sk: string }): Item => ({ pk: s(k.pk), sk: s(k.sk) });

/** The image an item carries, or a clear error when the item is not one the adapter wrote. */
function imageOf(item: Item | undefined, where: string): ImageRecord {
  const json = item?.image?.S;
  if (json === undefined) {
    throw new DrydockError(`lineage item ${where} has no image attribute`, { code: 'LINEAGE_ITEM_INVALID' });
  }
  return JSON.parse(json) as ImageRecord;
}

/** Options of the DynamoDB lineage store. */
export interface DynamoDbLineageStoreOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
}

/**
 * Lineage in one DynamoDB table keyed as `lineage-keys.ts` describes: "every image built on X" is a Query on
 * `BASE#X`, and the transitive answer repeats that Query on each image found, breadth first, keeping for each
 * image the longest chain that reaches it.
 */
export class DynamoDbLineageStore implements LineageStore {
  private readonly client: DynamoDBClient;
  private readonly table: string;

  constructor(options: DynamoDbLineageStoreOptions) {
    this.client = options.client;
    this.table = options.tableName;
  }

  async record(event: ImagePublishedEvent): Promise<boolean> {
    const d = event.detail;
    // A cheap read first, so that a redelivered event does not use up a sequence number.
    if (await this.image(d.digest)) return false;
    const baseDigests = [...new Set(d.bases.map((b) => b.digest))];
    if (baseDigests.length > MAX_BASES) {
      throw new DrydockError(
        `image ${d.digest} has ${baseDigests.length} bases; lineage holds at most ${MAX_BASES}`,
        {
          code: 'LINEAGE_TOO_MANY_BASES',
        },
      );
    }
    const record: ImageRecord = {
      digest: d.digest,
      ref: d.ref,
      configDigest: d.configDigest,
      repository: d.repository,
      definition: d.definition,
      commit: d.commit,
      bases: d.bases,
      publishedAt: event.time,
      eventId: event.id,
    };
    const image = s(JSON.stringify(record));
    // Base references are written before the image and outside its transaction: every image built on a popular base
    // writes the same item, which would make concurrent transactions conflict; a reference left by a write that
    // failed afterwards only names a base nothing is recorded on yet, which a ban plan finds nothing under.
    await this.recordBaseReferences(d.bases);
    const seq = await this.nextSequence();
    const put = (k: { pk: string; sk: string }, extra: Item = {}): TransactWriteItem => ({
      Put: { TableName: this.table, Item: { ...key(k), image, ...extra } },
    });
    const items: TransactWriteItem[] = [
      {
        Put: {
          TableName: this.table,
          Item: { ...key(imageKey(d.digest)), image, seq: { N: String(seq) } },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      ...baseDigests.map((base) => put(edgeKey(base, d.digest))),
      put({ pk: listPartition(), sk: listSortKey(seq) }),
      put({ pk: listPartition(d.repository), sk: listSortKey(seq) }),
      put({ pk: definitionListPartition(d.repository, d.definition), sk: listSortKey(seq) }),
    ];
    try {
      await awsCall('dynamodb:TransactWriteItems', () =>
        this.client.send(new TransactWriteItemsCommand({ TransactItems: items })),
      );
      return true;
    } catch (err) {
      // Another delivery recorded the image between the read and the write.
      if (hasAwsName(err, 'TransactionCanceledException') && conditionFailedFirst(err)) return false;
      throw err;
    }
  }

  async image(digest: string): Promise<ImageRecord | undefined> {
    const out = await awsCall('dynamodb:GetItem', () =>
      this.client.send(
        new GetItemCommand({ TableName: this.table, Key: key(imageKey(digest)), ConsistentRead: true }),
      ),
    );
    return out.Item ? imageOf(out.Item, `IMAGE#${digest}`) : undefined;
  }

  async imagesBuiltOn(digest: string): Promise<DescendantImage[]> {
    return this.imagesBuiltOnAny([digest]);
  }

  async imagesBuiltOnAny(digests: readonly string[]): Promise<DescendantImage[]> {
    const children = new Map<string, ImageRecord[]>();
    const depth = new Map<string, number>();
    const records = new Map<string, ImageRecord>();
    let frontier = [...new Set(digests)];
    for (let level = 1; frontier.length > 0 && level <= MAX_DEPTH; level++) {
      const unknown = frontier.filter((parent) => !children.has(parent));
      await forEachLimited(unknown, QUERY_CONCURRENCY, async (parent) => {
        children.set(parent, await this.builtDirectlyOn(parent));
      });
      const next = new Set<string>();
      for (const parent of frontier) {
        for (const child of children.get(parent) ?? []) {
          records.set(child.digest, child);
          // A later, longer chain moves the image down, and its own children with it.
          if ((depth.get(child.digest) ?? 0) < level) {
            depth.set(child.digest, level);
            next.add(child.digest);
          }
        }
      }
      frontier = [...next];
    }
    return [...depth]
      .map(([d, n]) => ({ image: records.get(d)!, depth: n }))
      .sort((a, b) => a.depth - b.depth || a.image.digest.localeCompare(b.image.digest));
  }

  async baseReferences(): Promise<BaseImage[]> {
    const items = await this.query(BASE_REFERENCES, {});
    return items.map((item) => {
      const name = item.name?.S;
      const digest = item.digest?.S;
      if (name === undefined || digest === undefined) {
        throw new DrydockError(`lineage item ${BASE_REFERENCES} ${item.sk?.S} has no name or digest`, {
          code: 'LINEAGE_ITEM_INVALID',
        });
      }
      return { name, digest };
    });
  }

  async newestOf(repository: string, definition: string): Promise<ImageRecord | undefined> {
    const pk = definitionListPartition(repository, definition);
    const [item] = await this.query(pk, { newestFirst: true, limit: 1 });
    return item ? imageOf(item, pk) : undefined;
  }

  async list(
    options: { readonly limit?: number; readonly repository?: string } = {},
  ): Promise<ImageRecord[]> {
    const limit = options.limit ?? 100;
    const items = await this.query(listPartition(options.repository), { newestFirst: true, limit });
    return items.map((item) => imageOf(item, listPartition(options.repository)));
  }

  private async recordBaseReferences(bases: readonly BaseImage[]): Promise<void> {
    const distinct = new Map(bases.map((b) => [`${b.digest}#${b.name}`, b]));
    await forEachLimited([...distinct.values()], QUERY_CONCURRENCY, async (base) => {
      await awsCall('dynamodb:PutItem', () =>
        this.client.send(
          new PutItemCommand({
            TableName: this.table,
            Item: {
              ...key(baseReferenceKey(base.name, base.digest)),
              name: s(base.name),
              digest: s(base.digest),
            },
          }),
        ),
      );
    });
  }

  private async builtDirectlyOn(digest: string): Promise<ImageRecord[]> {
    const items = await this.query(basePartition(digest), {});
    return items.map((item) => imageOf(item, basePartition(digest)));
  }

  private async query(pk: string, options: { newestFirst?: boolean; limit?: number }): Promise<Item[]> {
    const out: Item[] = [];
    let start: Item | undefined;
    do {
      const page = await awsCall('dynamodb:Query', () =>
        this.client.send(
          new QueryCommand({
            TableName: this.table,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': s(pk) },
            ScanIndexForward: !options.newestFirst,
            ...(options.limit === undefined ? {} : { Limit: options.limit - out.length }),
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        ),
      );
      out.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start && (options.limit === undefined || out.length < options.limit));
    return out;
  }

  private async nextSequence(): Promise<number> {
    const out = await awsCall('dynamodb:UpdateItem', () =>
      this.client.send(
        new UpdateItemCommand({
          TableName: this.table,
          Key: key(COUNTER_KEY),
          UpdateExpression: 'ADD seq :one',
          ExpressionAttributeValues: { ':one': { N: '1' } },
          ReturnValues: 'UPDATED_NEW',
        }),
      ),
    );
    const seq = Number(out.Attributes?.seq?.N);
    if (!Number.isSafeInteger(seq)) {
      throw new DrydockError('lineage counter returned no sequence number', {
        code: 'LINEAGE_COUNTER_INVALID',
      });
    }
    return seq;
  }
}

function conditionFailedFirst(err: unknown): boolean {
  const inner = (err as { cause?: { CancellationReasons?: { Code?: string }[] } }).cause;
  return inner?.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed';
}
