/** OutboxStore on DynamoDB: unpublished events sit in the GSI2 partition OUTBOX#PENDING until relayed. */
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { OutboxEvent } from '../../ports/ledger-store';
import type { OutboxStore } from '../../ports/event-publisher';
import { rethrowStoreError } from './errors';
import { eventDayPartition, outboxKey } from './keys';
import { queryIndexPage } from './query';

/** GSI2 partition of events not yet published. */
export const OUTBOX_PENDING = 'OUTBOX#PENDING';

/** An outbox item as the event it holds. */
const toEvent = (item: Record<string, unknown>): OutboxEvent => ({
  eventId: item.eventId as string,
  type: item.eventType as string,
  occurredAt: new Date(item.occurredAt as string),
  payload: item.payload as Record<string, unknown>,
});

/** Creates the DynamoDB OutboxStore. */
export function dynamoOutboxStore(doc: DynamoDBDocumentClient, tableName: string): OutboxStore {
  return {
    async pending(limit) {
      const page = await queryIndexPage(doc, tableName, {
        index: 'byTime',
        partition: OUTBOX_PENDING,
        limit,
      });
      return page.items.map(toEvent);
    },
    async get(eventId) {
      const { Item } = await doc
        .send(new GetCommand({ TableName: tableName, Key: outboxKey(eventId) }))
        .catch((error: unknown) => rethrowStoreError(error, 'outbox.get'));
      return Item ? toEvent(Item) : undefined;
    },
    async pageOfDay(day, after, limit) {
      const page = await queryIndexPage(doc, tableName, {
        index: 'byRef',
        partition: eventDayPartition(day),
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
              Key: outboxKey(eventId),
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
