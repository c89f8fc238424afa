/** OutboxStore on DynamoDB: a hospital's unpublished events sit in its GSI2 partition OUTBOX#PENDING until relayed. */
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { OutboxEvent } from '../../ports/ledger-store';
import type { OutboxStore } from '../../ports/event-publisher';
import { rethrowStoreError } from './errors';
import type { TableKeys } from './keys';
import { queryIndexPage } from './query';

/** GSI2 partition (within a hospital's key space) of events not yet published. */
export const OUTBOX_PENDING = 'OUTBOX#PENDING';

/** An outbox item as the event it holds. */
const toEvent = (item: Record<string, unknown>): OutboxEvent => ({
  eventId: item.eventId as string,
  type: item.eventType as string,
  occurredAt: new Date(item.occurredAt as string),
  payload: item.payload as Record<string, unknown>,
});

/** Creates the DynamoDB OutboxStore of one hospital's events. */
export function dynamoOutboxStore(
  doc: DynamoDBDocumentClient,
  tableName: string,
  keys: TableKeys,
): OutboxStore {
  return {
    async pending(limit) {
      const page = await queryIndexPage(doc, tableName, {
        index: 'byTime',
        partition: keys.partition(OUTBOX_PENDING),
        limit,
      });
      return page.items.map(toEvent);
    },
    async get(eventId) {
      const { Item } = await doc
        .send(new GetCommand({ TableName: tableName, Key: keys.outbox(eventId) }))
        .catch((error: unknown) => rethrowStoreError(error, 'outbox.get'));
      return Item ? toEvent(Item) : undefined;
    },
    async pageOfDay(day, after, limit) {
      const page = await queryIndexPage(doc, tableName, {
        index: 'byRef',
        partition: keys.eventDay(day),
        after,
        limit,
      });
      return { events: page.items.map(toEvent), more: page.nextKey !== undefined };
    },
    async markPublished(eventIds, at) {
      for (const eventId of eventIds) {
        await doc
          .send(
            new UpdateCommand({
              TableName: tableName,
              Key: keys.outbox(eventId),
              UpdateExpression: 'SET publishedAt = :at REMOVE gsi2pk, gsi2sk',
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeValues: { ':at': at.toISOString() },
            }),
          )
          .catch((error: unknown) => rethrowStoreError(error, 'outbox.markPublished'));
      }
    },
  };
}
