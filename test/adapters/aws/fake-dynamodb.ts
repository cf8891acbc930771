import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactionCanceledException,
  type TransactWriteItem,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';

type Item = Record<string, AttributeValue>;
type Names = Record<string, string> | undefined;
type Values = Record<string, AttributeValue> | undefined;

/**
 * An in-memory DynamoDB behind aws-sdk-client-mock, for tests at the SDK boundary: items keyed by `pk`/`sk` (or
 * `id`), conditional writes evaluated for real (attribute_exists / attribute_not_exists, =, <, >, AND, OR,
 * parentheses), SET/ADD updates, Query on the partition key with order, Limit and pagination, and
 * all-or-nothing TransactWriteItems. Enough to make "written once" and "read back" claims able to fail.
 */
export class FakeDynamoDb {
  readonly mock = mockClient(DynamoDBClient);
  private readonly tables = new Map<string, Map<string, Item>>();
  /** Items per Query page, to exercise pagination. */
  pageSize = Number.POSITIVE_INFINITY;
  /** Runs once before the next transaction applies: another writer racing this one. */
  beforeNextTransaction: (() => void) | undefined;

  constructor() {
    const m = this.mock;
    m.on(GetItemCommand).callsFake((input) => {
      const item = this.table(input.TableName).get(this.keyOf(input.Key));
      return { Item: item && structuredClone(item) };
    });
    m.on(PutItemCommand).callsFake((input) => {
      const table = this.table(input.TableName);
      const key = this.keyOf(input.Item);
      const old = table.get(key);
      if (
        input.ConditionExpression &&
        !evaluate(
          input.ConditionExpression,
          old,
          input.ExpressionAttributeNames,
          input.ExpressionAttributeValues,
        )
      ) {
        throw new ConditionalCheckFailedException({
          message: 'The conditional request failed',
          $metadata: { httpStatusCode: 400 },
          ...(input.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' && old
            ? { Item: structuredClone(old) }
            : {}),
        });
      }
      table.set(key, structuredClone(input.Item ?? {}));
      return {};
    });
    m.on(UpdateItemCommand).callsFake((input) => {
      const table = this.table(input.TableName);
      const key = this.keyOf(input.Key);
      const item: Item = structuredClone(table.get(key) ?? input.Key ?? {});
      applyUpdate(
        item,
        input.UpdateExpression ?? '',
        input.ExpressionAttributeNames,
        input.ExpressionAttributeValues,
      );
      table.set(key, item);
      return input.ReturnValues === 'UPDATED_NEW' || input.ReturnValues === 'ALL_NEW'
        ? { Attributes: structuredClone(item) }
        : {};
    });
    m.on(DeleteItemCommand).callsFake((input) => {
      this.table(input.TableName).delete(this.keyOf(input.Key));
      return {};
    });
    m.on(QueryCommand).callsFake((input) => {
      const match = /^\s*(#?\w+)\s*=\s*(:\w+)\s*$/.exec(input.KeyConditionExpression ?? '');
      if (!match)
        throw new Error(`fake DynamoDB: unsupported KeyConditionExpression ${input.KeyConditionExpression}`);
      const attr = resolveName(match[1]!, input.ExpressionAttributeNames);
      const want = input.ExpressionAttributeValues?.[match[2]!]?.S;
      let items = [...this.table(input.TableName).values()]
        .filter((item) => item[attr]?.S === want)
        .sort((a, b) => (a.sk?.S ?? '').localeCompare(b.sk?.S ?? ''));
      if (input.ScanIndexForward === false) items.reverse();
      if (input.ExclusiveStartKey) {
        const after = input.ExclusiveStartKey.sk?.S;
        const at = items.findIndex((i) => i.sk?.S === after);
        items = items.slice(at + 1);
      }
      const limit = Math.min(input.Limit ?? Number.POSITIVE_INFINITY, this.pageSize);
      const page = items.slice(0, limit);
      const more = items.length > page.length;
      return {
        Items: page.map((i) => structuredClone(i)),
        Count: page.length,
        ...(more ? { LastEvaluatedKey: this.keyAttributes(page.at(-1)!) } : {}),
      };
    });
    m.on(TransactWriteItemsCommand).callsFake((input) => {
      const race = this.beforeNextTransaction;
      this.beforeNextTransaction = undefined;
      race?.();
      const actions: TransactWriteItem[] = input.TransactItems ?? [];
      const reasons = actions.map((a) => {
        const put = a.Put;
        if (!put) throw new Error('fake DynamoDB: only Put in transactions');
        const old = this.table(put.TableName).get(this.keyOf(put.Item));
        const ok =
          !put.ConditionExpression ||
          evaluate(put.ConditionExpression, old, put.ExpressionAttributeNames, put.ExpressionAttributeValues);
        return { Code: ok ? 'None' : 'ConditionalCheckFailed' };
      });
      const keys = actions.map((a) => `${a.Put?.TableName}|${this.keyOf(a.Put?.Item)}`);
      if (new Set(keys).size !== keys.length) {
        throw Object.assign(new Error('Transaction request cannot include multiple operations on one item'), {
          name: 'ValidationException',
          $metadata: { httpStatusCode: 400 },
        });
      }
      if (reasons.some((r: { Code: string }) => r.Code !== 'None')) {
        throw new TransactionCanceledException({
          message: 'Transaction cancelled',
          $metadata: { httpStatusCode: 400 },
          CancellationReasons: reasons,
        });
      }
      for (const a of actions)
        this.table(a.Put!.TableName).set(this.keyOf(a.Put!.Item), structuredClone(a.Put!.Item ?? {}));
      return {};
    });
  }

  /** Stores an item directly, as another writer would. */
  put(table: string, item: Item): void {
    this.table(table).set(this.keyOf(item), structuredClone(item));
  }

  /** Every item of a table, as stored. */
  items(table: string): Item[] {
    return [...this.table(table).values()];
  }

  /** Restores the real client. */
  restore(): void {
    this.mock.restore();
  }

  private table(name: string | undefined): Map<string, Item> {
    const key = name ?? '';
    let table = this.tables.get(key);
    if (!table) {
      table = new Map();
      this.tables.set(key, table);
    }
    return table;
  }

  private keyAttributes(item: Item): Item {
    return 'pk' in item ? { pk: item.pk!, ...(item.sk ? { sk: item.sk } : {}) } : { id: item.id! };
  }

  private keyOf(item: Item | undefined): string {
    if (!item) throw new Error('fake DynamoDB: no key');
    if (item.pk) return `${item.pk.S}|${item.sk?.S ?? ''}`;
    if (item.id) return `${item.id.S}`;
    throw new Error(`fake DynamoDB: item without pk or id: ${JSON.stringify(item)}`);
  }
}

function resolveName(token: string, names: Names): string {
  if (!token.startsWith('#')) return token;
  const name = names?.[token];
  if (name === undefined) throw new Error(`fake DynamoDB: undefined name ${token}`);
  return name;
}

function value(token: string, values: Values): AttributeValue {
  const v = values?.[token];
  if (v === undefined) throw new Error(`fake DynamoDB: undefined value ${token}`);
  return v;
}

const scalar = (v: AttributeValue | undefined): string | number | undefined =>
  v === undefined ? undefined : v.N !== undefined ? Number(v.N) : v.S;

// A tiny recursive-descent evaluator of condition expressions.
function evaluate(expression: string, item: Item | undefined, names: Names, values: Values): boolean {
  const tokens = expression.match(/\(|\)|<=|>=|<>|=|<|>|,|[#:]?[\w.]+/g) ?? [];
  let i = 0;
  const peek = () => tokens[i];
  const next = () => tokens[i++];
  const operand = (): string | number | undefined => {
    const t = next()!;
    if (t.startsWith(':')) return scalar(value(t, values));
    return scalar(item?.[resolveName(t, names)]);
  };
  const primary = (): boolean => {
    const t = peek();
    if (t === '(') {
      next();
      const v = or();
      next();
      return v;
    }
    if (t === 'attribute_exists' || t === 'attribute_not_exists') {
      next();
      next();
      const name = resolveName(next()!, names);
      next();
      const exists = item !== undefined && item[name] !== undefined;
      return t === 'attribute_exists' ? exists : !exists;
    }
    const left = operand();
    const op = next();
    const right = operand();
    if (left === undefined || right === undefined) return false;
    switch (op) {
      case '=':
        return left === right;
      case '<>':
        return left !== right;
      case '<':
        return left < right;
      case '>':
        return left > right;
      case '<=':
        return left <= right;
      case '>=':
        return left >= right;
      default:
        throw new Error(`fake DynamoDB: unsupported operator ${op}`);
    }
  };
  const and = (): boolean => {
    let v = primary();
    while (peek() === 'AND') {
      next();
      v = primary() && v;
    }
    return v;
  };
  const or = (): boolean => {
    let v = and();
    while (peek() === 'OR') {
      next();
      v = and() || v;
    }
    return v;
  };
  return or();
}

function applyUpdate(item: Item, expression: string, names: Names, values: Values): void {
  const sections = expression.split(/\b(SET|ADD)\b/).filter((s) => s.trim() !== '');
  for (let i = 0; i < sections.length; i += 2) {
    const verb = sections[i]!.trim();
    for (const clause of sections[i + 1]!.split(',')) {
      if (verb === 'SET') {
        const [left, right] = clause.split('=').map((s) => s.trim());
        item[resolveName(left!, names)] = structuredClone(value(right!, values));
      } else if (verb === 'ADD') {
        const [left, right] = clause.trim().split(/\s+/);
        const name = resolveName(left!, names);
        const current = Number(item[name]?.N ?? 0);
        item[name] = { N: String(current + Number(value(right!, values).N)) };
      } else {
        throw new Error(`fake DynamoDB: unsupported update ${verb}`);
      }
    }
  }
}
