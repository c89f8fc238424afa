/**
 * The entity items of one key space, read generically: by primary key, by an exact reference (GSI1) or by a
 * partition in sort order (GSI2). Only the repositories use it; they own the keys they read and write, and
 * the key space (keys.ts) puts them under their hospital.
 */
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ValidationError } from '../../domain/errors';
import { rethrowStoreError } from './errors';
import type { TableKeys } from './keys';
import { queryIndexPage } from './query';

/** A stored entity with its version. */
export interface StoredEntity {
  readonly type: string;
  readonly id: string;
  readonly version: number;
  readonly state: Record<string, unknown>;
}

/** Generic reads of entity items. */
export interface EntityTable {
  /** Reads one entity (strongly consistent), or undefined. */
  getEntity(type: string, id: string): Promise<StoredEntity | undefined>;
  /** The entity indexed under an exact reference (`byRef.partition`), re-read from its base item. */
  findByRef(partition: string): Promise<StoredEntity | undefined>;
  /** Entities in a `byTime` partition whose sort key is below `before` (lowest first), up to `limit`. */
  listByTime(partition: string, before: string, limit: number): Promise<StoredEntity[]>;
  /**
   * One page of an index partition, lowest sort key first; `cursor` (opaque, from the previous page) goes
   * on from there, and the answer's `cursor` is absent on the last page. A malformed cursor, or one of
   * another partition, is a ValidationError.
   */
  pageIndex(
    index: 'byRef' | 'byTime',
    partition: string,
    page: { readonly limit: number; readonly cursor?: string },
  ): Promise<{ entities: StoredEntity[]; cursor?: string }>;
  /** Every entity in a `byTime` partition whose sort key is below `before`, lowest first, page by page. */
  scanByTime(partition: string, before: string): AsyncIterable<StoredEntity>;
}

/** The EntityTable of one key space (a hospital's, or the platform's) in one DynamoDB table. */
export function dynamoEntityTable(
  doc: DynamoDBDocumentClient,
  tableName: string,
  keys: TableKeys,
): EntityTable {
  async function getEntity(type: string, id: string): Promise<StoredEntity | undefined> {
    try {
      const { Item } = await doc.send(
        new GetCommand({ TableName: tableName, Key: keys.entity(type, id), ConsistentRead: true }),
      );
      if (!Item) return undefined;
      return { type, id, version: Item.version as number, state: Item.state as Record<string, unknown> };
    } catch (error) {
      return rethrowStoreError(error, 'getEntity');
    }
  }

  const toEntity = (item: Record<string, unknown>): StoredEntity => ({
    type: item.entityType as string,
    id: item.entityId as string,
    version: item.version as number,
    state: item.state as Record<string, unknown>,
  });

  async function findByRef(partition: string): Promise<StoredEntity | undefined> {
    const [item] = (
      await queryIndexPage(doc, tableName, { index: 'byRef', partition: keys.partition(partition), limit: 1 })
    ).items;
    // GSIs are eventually consistent: re-read the base item so callers see its latest version.
    return item ? getEntity(item.entityType as string, item.entityId as string) : undefined;
  }

  async function listByTime(partition: string, before: string, limit: number): Promise<StoredEntity[]> {
    const page = await queryIndexPage(doc, tableName, {
      index: 'byTime',
      partition: keys.partition(partition),
      before,
      limit,
    });
    return page.items.map(toEntity);
  }

  async function pageIndex(
    index: 'byRef' | 'byTime',
    partition: string,
    page: { limit: number; cursor?: string },
  ): Promise<{ entities: StoredEntity[]; cursor?: string }> {
    const stored = keys.partition(partition);
    const startKey = page.cursor === undefined ? undefined : decodeCursor(page.cursor, index, stored);
    const result = await queryIndexPage(doc, tableName, {
      index,
      partition: stored,
      limit: page.limit,
      startKey,
    });
    return {
      entities: result.items.map(toEntity),
      ...(result.nextKey ? { cursor: encodeCursor(result.nextKey) } : {}),
    };
  }

  async function* scanByTime(partition: string, before: string): AsyncIterable<StoredEntity> {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await queryIndexPage(doc, tableName, {
        index: 'byTime',
        partition: keys.partition(partition),
        before,
        limit: 100,
        startKey,
      });
      for (const item of page.items) yield toEntity(item);
      startKey = page.nextKey;
    } while (startKey);
  }

  return { getEntity, findByRef, listByTime, pageIndex, scanByTime };
}

/** A page's LastEvaluatedKey as an opaque cursor (base64url JSON: the item's table and index keys). */
const encodeCursor = (key: Record<string, unknown>) => Buffer.from(JSON.stringify(key)).toString('base64url');

/** The start key a cursor stands for, checked: four string keys, and the partition being read. */
function decodeCursor(cursor: string, index: 'byRef' | 'byTime', partition: string): Record<string, string> {
  const [pk, sk] = index === 'byRef' ? ['gsi1pk', 'gsi1sk'] : ['gsi2pk', 'gsi2sk'];
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    key = undefined;
  }
  const fields = ['pk', 'sk', pk, sk];
  const valid =
    typeof key === 'object' &&
    key !== null &&
    Object.keys(key).length === 4 &&
    fields.every((f) => typeof (key as Record<string, unknown>)[f] === 'string') &&
    (key as Record<string, string>)[pk] === partition;
  if (!valid)
    throw new ValidationError('The cursor is not one this search returned.', [
      { path: 'query.cursor', message: 'not a cursor of this search' },
    ]);
  return key as Record<string, string>;
}
