/** One page of a GSI query by partition (and optionally an upper sort bound), with store errors mapped. */
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { rethrowStoreError } from './errors';
import { INDEX } from './keys';

/** Which GSI partition to read, and how much. */
export interface IndexQuery {
  readonly index: keyof typeof INDEX;
  readonly partition: string;
  /** Only items whose sort key is below this. */
  readonly before?: string;
  /** Only items whose sort key is above this (not with `before`). */
  readonly after?: string;
  readonly limit?: number;
  readonly startKey?: Record<string, unknown>;
}

/** Reads one page, oldest (lowest sort key) first. */
export async function queryIndexPage(doc: DynamoDBDocumentClient, tableName: string, q: IndexQuery) {
  const [pk, sk] = q.index === 'byRef' ? ['gsi1pk', 'gsi1sk'] : ['gsi2pk', 'gsi2sk'];
  const boundValue = q.before ?? q.after;
  const bound = boundValue === undefined ? {} : { ':bound': boundValue };
  const page = await doc
    .send(
      new QueryCommand({
        TableName: tableName,
        IndexName: INDEX[q.index],
        KeyConditionExpression:
          q.before !== undefined
            ? `${pk} = :p AND ${sk} < :bound`
            : q.after !== undefined
              ? `${pk} = :p AND ${sk} > :bound`
              : `${pk} = :p`,
        ExpressionAttributeValues: { ':p': q.partition, ...bound },
        Limit: q.limit,
        ExclusiveStartKey: q.startKey,
      }),
    )
    .catch((error: unknown) => rethrowStoreError(error, `query ${q.index}`));
  return { items: page.Items ?? [], nextKey: page.LastEvaluatedKey };
}
