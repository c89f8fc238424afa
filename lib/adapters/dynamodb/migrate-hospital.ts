/**
 * The one-off migration of a table written before hospitals existed: every item moves into one hospital's
 * key space (its `pk` and index partitions gain `H#<hospital>#`), attribute for attribute. Each item moves in
 * one transaction (the new item put, the old one deleted), so a run that stops half-way is simply run again:
 * moved items are no longer legacy, and nothing is copied twice. A balance item merges into one the new code
 * may already have started (its debits and credits are added), so no fen is lost in either order.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { ScanCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { hospitalKeys, isLegacyKey } from './keys';

/** What a migration run did. */
export interface MigrationReport {
  readonly scanned: number;
  readonly moved: number;
  /** Legacy items left in place because the hospital already has an item under the new key (see the docs). */
  readonly conflicts: string[];
}

/** The index partition attributes a moved item's prefix applies to. */
const PARTITIONS = ['gsi1pk', 'gsi2pk'] as const;

/** Moves every legacy item of `tableName` into `hospitalId`'s key space, `segments` scans in parallel. */
export async function migrateToHospital(
  doc: DynamoDBDocumentClient,
  tableName: string,
  hospitalId: string,
  segments = 4,
): Promise<MigrationReport> {
  const { prefix } = hospitalKeys(hospitalId);
  let scanned = 0;
  let moved = 0;
  const conflicts: string[] = [];

  const move = async (item: Record<string, unknown>) => {
    const old = { pk: String(item.pk), sk: String(item.sk) };
    const next: Record<string, unknown> = { ...item, pk: `${prefix}${old.pk}` };
    for (const attr of PARTITIONS) if (typeof item[attr] === 'string') next[attr] = `${prefix}${item[attr]}`;
    const remove = {
      Delete: { TableName: tableName, Key: old, ConditionExpression: 'attribute_exists(pk)' },
    };
    const write =
      old.sk === 'BALANCE'
        ? {
            Update: {
              TableName: tableName,
              Key: { pk: next.pk, sk: old.sk },
              UpdateExpression:
                'ADD debitFen :d, creditFen :c SET account = :a, currency = :cur, updatedAt = :u',
              ExpressionAttributeValues: {
                ':d': item.debitFen ?? 0,
                ':c': item.creditFen ?? 0,
                ':a': item.account,
                ':cur': item.currency,
                ':u': item.updatedAt,
              },
            },
          }
        : { Put: { TableName: tableName, Item: next, ConditionExpression: 'attribute_not_exists(pk)' } };
    try {
      await doc.send(new TransactWriteCommand({ TransactItems: [write, remove] }));
      moved++;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const [put, del] = (error.CancellationReasons ?? []).map((r) => r.Code);
      // Deleted by a concurrent run: it moved there. The new key taken: a person decides (docs).
      if (del === 'ConditionalCheckFailed') return;
      if (put === 'ConditionalCheckFailed') conflicts.push(`${old.pk} ${old.sk}`);
      else throw error;
    }
  };

  const scan = async (segment: number) => {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(
        new ScanCommand({
          TableName: tableName,
          Segment: segment,
          TotalSegments: segments,
          ExclusiveStartKey: startKey,
          ConsistentRead: true,
        }),
      );
      const items = page.Items ?? [];
      scanned += items.length;
      for (const item of items) if (isLegacyKey(String(item.pk))) await move(item);
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  };
  await Promise.all(Array.from({ length: segments }, (_, s) => scan(s)));
  return { scanned, moved, conflicts };
}
