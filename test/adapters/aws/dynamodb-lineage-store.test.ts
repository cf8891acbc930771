import {
  DynamoDBClient,
  QueryCommand,
  ScanCommand,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbLineageStore } from '../../../adapters/aws/dynamodb-lineage-store.js';
import {
  BASE_REFERENCES,
  basePartition,
  baseReferenceKey,
  definitionListPartition,
  edgeKey,
  imageKey,
} from '../../../adapters/aws/lineage-keys.js';
import { lineageStoreContract } from '../../contracts/lineage-store.contract.js';
import { digest, published } from '../../contracts/sample-events.js';
import { FakeDynamoDb } from './fake-dynamodb.js';

const TABLE = 'lineage';
const store = () =>
  new DynamoDbLineageStore({ client: new DynamoDBClient({ region: 'eu-west-1' }), tableName: TABLE });

lineageStoreContract('DynamoDbLineageStore (over a conditional in-memory DynamoDB)', () => {
  const fake = new FakeDynamoDb();
  // Pages of two items, so that every multi-item query goes through pagination.
  fake.pageSize = 2;
  return { subject: store(), reopen: store, close: () => fake.restore() };
});

describe('DynamoDbLineageStore keys', () => {
  let fake: FakeDynamoDb;
  beforeEach(() => {
    fake = new FakeDynamoDb();
  });
  afterEach(() => fake.restore());

  it('writes the image item and one edge per distinct base, keyed as lineage-keys.ts says', async () => {
    const event = published('app', ['ops-python', 'ops-tools', 'ops-python']);
    expect(await store().record(event)).toBe(true);
    const keys = fake.items(TABLE).map((i) => `${i.pk?.S} ${i.sk?.S}`);
    expect(keys).toContain(`${imageKey(digest('app')).pk} IMAGE`);
    const edges = keys.filter((k) => k.startsWith('BASE#'));
    expect(edges.sort()).toEqual(
      [edgeKey(digest('ops-python'), digest('app')), edgeKey(digest('ops-tools'), digest('app'))]
        .map((k) => `${k.pk} ${k.sk}`)
        .sort(),
    );
  });

  it('writes one base reference per distinct (name, digest) and a list item per definition', async () => {
    const event = published('app', ['ops-python', 'ops-tools', 'ops-python']);
    expect(await store().record(event)).toBe(true);
    const keys = fake.items(TABLE).map((i) => `${i.pk?.S} ${i.sk?.S}`);
    const refs = keys.filter((k) => k.startsWith(`${BASE_REFERENCES} `));
    expect(refs.sort()).toEqual(
      event.detail.bases
        .slice(0, 2)
        .map((b) => baseReferenceKey(b.name, b.digest))
        .map((k) => `${k.pk} ${k.sk}`)
        .sort(),
    );
    expect(keys.filter((k) => k.startsWith('LIST#DEFINITION#'))).toEqual([
      `${definitionListPartition('team/apps', 'app/Dockerfile')} SEQ#000000000001`,
    ]);
    // A "#" inside a repository or definition cannot make two definitions share a partition.
    expect(definitionListPartition('a#b', 'c')).not.toBe(definitionListPartition('a', 'b#c'));
  });

  it('answers the newest image of a definition with one Query of one item', async () => {
    await store().record(published('app', ['debian']));
    fake.mock.resetHistory();
    expect((await store().newestOf('team/apps', 'app/Dockerfile'))?.digest).toBe(digest('app'));
    const calls = fake.mock.commandCalls(QueryCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input.Limit).toBe(1);
    expect(calls[0]!.args[0].input.ScanIndexForward).toBe(false);
  });

  it('answers "built on X" with Queries on BASE#X partitions, never a Scan', async () => {
    await store().record(published('ops-python', ['debian']));
    await store().record(published('app', ['ops-python']));
    fake.mock.resetHistory();
    await store().imagesBuiltOn(digest('debian'));
    expect(fake.mock.commandCalls(ScanCommand)).toHaveLength(0);
    const partitions = fake.mock
      .commandCalls(QueryCommand)
      .map((c) => c.args[0].input.ExpressionAttributeValues?.[':pk']?.S);
    expect(partitions).toEqual([
      basePartition(digest('debian')),
      basePartition(digest('ops-python')),
      basePartition(digest('app')),
    ]);
  });

  it('returns false, writing nothing, when another delivery wins the conditional write after the first read', async () => {
    const event = published('app', ['debian']);
    const winner = { ...imageKey(digest('app')), image: 'written by the other delivery' };
    fake.beforeNextTransaction = () =>
      fake.put(TABLE, {
        pk: { S: winner.pk },
        sk: { S: winner.sk },
        image: { S: JSON.stringify(winner.image) },
      });
    expect(await store().record(event)).toBe(false);
    expect(fake.mock.commandCalls(TransactWriteItemsCommand)).toHaveLength(1);
    // All or nothing: neither the edge nor the list items of the losing write exist; the base reference, written
    // before the transaction on purpose, names the same base the winner recorded.
    expect(
      fake
        .items(TABLE)
        .map((i) => i.pk?.S)
        .sort(),
    ).toEqual([BASE_REFERENCES, 'COUNTER', winner.pk]);
  });
});
