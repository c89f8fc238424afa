/** OutboxStore on DynamoDB: unpublished events sit in the GSI2 partition OUTBOX#PENDING until relayed. */
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { OutboxEvent } from '../../ports/ledger-store';
import type { OutboxStore } from '../../ports/event-publisher';
import { rethrowStoreError } from './errors';
import { outboxKey } from './keys';
import { queryIndexPage } from './query';

/** GSI2 partition of events not yet published. */
export const OUTBOX_PENDING = 'OUTBOX#PENDING';

/** Creates the DynamoDB OutboxStore. */
export function dynamoOutboxStore(doc: DynamoDBDocumentClient, tableName: string): OutboxStore {
  return {
    async pending(limit) {
      const page = await queryIndexPage(doc, tableName, {
        index: 'byTime',
        partition: OUTBOX_PENDING,
        limit,
      });
      return page.items.map((item): OutboxEvent => ({
        eventId: item.eventId as string,
        type: item.eventType as string,
        occurredAt: new Date(item.occurredAt as string),
        payload: item.payload as Record<string, unknown>,
      }));
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
