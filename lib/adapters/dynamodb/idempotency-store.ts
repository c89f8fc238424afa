/** IdempotencyStore on DynamoDB: one conditional put claims a key; records expire by the table's TTL. */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Clock } from '../../ports/clock';
import type { BeginResult, IdempotencyStore, StoredResponse } from '../../ports/idempotency-store';
import { rethrowStoreError } from './errors';
import type { TableKeys } from './keys';

/** How long a completed record is kept, and how soon a client should retry while one is in flight. */
export interface IdempotencyStoreOptions {
  readonly ttlSec: number;
  readonly retryAfterSec: number;
}

/**
 * Creates the DynamoDB IdempotencyStore.
 *
 * The claim is a single conditional put, so concurrent requests race at DynamoDB and exactly one wins:
 *
 *   A: put IN_PROGRESS ──ok──► run handler ──► update COMPLETED(response)
 *   B: put IN_PROGRESS ──✗ (ALL_OLD = IN_PROGRESS) ──► 409, Retry-After
 *   C:                                    put ──✗ (ALL_OLD = COMPLETED) ──► replay response
 *
 * A claim whose lock has expired (the Lambda died mid-request) or a record past its TTL (DynamoDB deletes
 * expired items lazily) may be taken over by a request with the same body.
 */
export function dynamoIdempotencyStore(
  doc: DynamoDBDocumentClient,
  tableName: string,
  clock: Clock,
  options: IdempotencyStoreOptions,
  keys: TableKeys,
): IdempotencyStore {
  async function begin(
    scopedKey: string,
    requestHash: string,
    { lockMs }: { lockMs: number },
  ): Promise<BeginResult> {
    const nowMs = clock.now().getTime();
    const nowSec = Math.floor(nowMs / 1000);
    try {
      await doc.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            ...keys.idempotency(scopedKey),
            status: 'IN_PROGRESS',
            requestHash,
            lockExpiresAtEpochMs: nowMs + lockMs,
            expiresAtEpochSec: nowSec + options.ttlSec,
          },
          ConditionExpression:
            'attribute_not_exists(pk) OR expiresAtEpochSec < :nowSec OR (#status = :inProgress AND lockExpiresAtEpochMs < :nowMs AND requestHash = :hash)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':nowSec': nowSec,
            ':nowMs': nowMs,
            ':inProgress': 'IN_PROGRESS',
            ':hash': requestHash,
          },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { kind: 'started' };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException))
        return rethrowStoreError(error, 'idempotency.begin');
      const old = error.Item ? unmarshall(error.Item) : undefined;
      if (!old || old.requestHash !== requestHash) return { kind: 'mismatch' };
      if (old.status === 'COMPLETED') return { kind: 'completed', response: old.response as StoredResponse };
      return { kind: 'in-progress', retryAfterSec: options.retryAfterSec };
    }
  }

  async function complete(scopedKey: string, requestHash: string, response: StoredResponse): Promise<void> {
    try {
      await doc.send(
        new UpdateCommand({
          TableName: tableName,
          Key: keys.idempotency(scopedKey),
          UpdateExpression: 'SET #status = :completed, #response = :response REMOVE lockExpiresAtEpochMs',
          ConditionExpression: 'requestHash = :hash AND #status = :inProgress',
          ExpressionAttributeNames: { '#status': 'status', '#response': 'response' },
          ExpressionAttributeValues: {
            ':completed': 'COMPLETED',
            ':inProgress': 'IN_PROGRESS',
            ':response': response,
            ':hash': requestHash,
          },
        }),
      );
    } catch (error) {
      // Lost the claim (it expired and another request took it over): that request will store its own answer.
      if (error instanceof ConditionalCheckFailedException) return;
      rethrowStoreError(error, 'idempotency.complete');
    }
  }

  /**
   * Gives a failed request's claim back: the record is marked expired (so the next `begin` with any body
   * takes it over) and left for TTL to delete. No DeleteItem: no role may delete from the table.
   */
  async function release(scopedKey: string, requestHash: string): Promise<void> {
    try {
      await doc.send(
        new UpdateCommand({
          TableName: tableName,
          Key: keys.idempotency(scopedKey),
          UpdateExpression: 'SET expiresAtEpochSec = :expired REMOVE lockExpiresAtEpochMs',
          ConditionExpression: 'requestHash = :hash AND #status = :inProgress',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':inProgress': 'IN_PROGRESS',
            ':hash': requestHash,
            // One second in the past: expired for `begin`, and recent enough for TTL to delete it.
            ':expired': Math.floor(clock.now().getTime() / 1000) - 1,
          },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return;
      rethrowStoreError(error, 'idempotency.release');
    }
  }

  return { begin, complete, release };
}
