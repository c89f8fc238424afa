/** LedgerStore on DynamoDB: every business change is ONE TransactWriteItems. */
import { createHash } from 'node:crypto';
import { TransactionCanceledException, type CancellationReason } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { businessDayOf, type BusinessDay } from '../../domain/business-day';
import {
  ConcurrentModificationError,
  StatusGuardError,
  NotFoundError,
  StorageUnavailableError,
  ValidationError,
} from '../../domain/errors';
import { hasTrackedBalance, type AccountId } from '../../domain/ledger/accounts';
import {
  journalTransaction,
  movementsByAccount,
  type JournalTransaction,
  type Side,
} from '../../domain/ledger/journal';
import type {
  AccountBalance,
  CommitOutcome,
  EntityWrite,
  LedgerChange,
  LedgerStore,
} from '../../ports/ledger-store';
import { dynamoEntityTable } from './entity-table';
import { rethrowStoreError } from './errors';
import { repositories } from './repositories';
import { queryIndexPage } from './query';
import { OUTBOX_PENDING } from './outbox-store';
import { JOURNAL_SHARDS, journalShard, type TableKeys } from './keys';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
/** What each TransactItem stands for, so cancellation reasons can be read back item by item. */
type ItemRole =
  { kind: 'entity'; write: EntityWrite } | { kind: 'journal' } | { kind: 'balance' } | { kind: 'event' };

const MAX_TRANSACTION_ITEMS = 100;

/** Creates the DynamoDB LedgerStore of one hospital (`keys`) in one table (see keys.ts for the layout). */
export function dynamoLedgerStore(
  doc: DynamoDBDocumentClient,
  tableName: string,
  keys: TableKeys,
): LedgerStore {
  async function commit(change: LedgerChange): Promise<CommitOutcome> {
    const now = new Date().toISOString();
    const items: TransactItem[] = [];
    const roles: ItemRole[] = [];

    for (const write of change.entities) {
      items.push(entityItem(tableName, keys, write, now));
      roles.push({ kind: 'entity', write });
    }
    if (change.journal) {
      items.push({
        Put: {
          TableName: tableName,
          Item: journalItem(keys, change.journal),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
      roles.push({ kind: 'journal' });
      for (const [account, m] of movementsByAccount(change.journal)) {
        if (!hasTrackedBalance(account)) continue; // hot account: see TRACKED_KINDS in accounts.ts
        items.push({
          Update: {
            TableName: tableName,
            Key: keys.balance(account),
            UpdateExpression:
              'ADD debitFen :d, creditFen :c SET account = :a, currency = :cur, updatedAt = :now',
            ExpressionAttributeValues: {
              ':d': m.debitFen,
              ':c': m.creditFen,
              ':a': account,
              ':cur': change.journal.currency,
              ':now': now,
            },
          },
        });
        roles.push({ kind: 'balance' });
      }
    }
    for (const event of change.events ?? []) {
      const day = businessDayOf(event.occurredAt);
      items.push({
        Put: {
          TableName: tableName,
          Item: {
            ...keys.outbox(event.eventId),
            eventId: event.eventId,
            eventType: event.type,
            occurredAt: event.occurredAt.toISOString(),
            payload: event.payload,
            businessDay: day,
            gsi1pk: keys.eventDay(day),
            gsi1sk: event.eventId,
            // Pending until the relay publishes it (see outbox-store.ts), which removes these keys.
            gsi2pk: keys.partition(OUTBOX_PENDING),
            gsi2sk: `${event.occurredAt.toISOString()}#${event.eventId}`,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
      roles.push({ kind: 'event' });
    }
    if (items.length === 0) throw new ValidationError('A ledger change must write something.');
    if (items.length > MAX_TRANSACTION_ITEMS) {
      throw new ValidationError(
        `A ledger change may write at most ${MAX_TRANSACTION_ITEMS} items; got ${items.length}.`,
      );
    }

    // The token makes an SDK retry after a lost response idempotent for 10 minutes at DynamoDB.
    const token = createHash('sha256').update(JSON.stringify(items)).digest('base64url').slice(0, 36);
    try {
      await doc.send(new TransactWriteCommand({ TransactItems: items, ClientRequestToken: token }));
      return 'committed';
    } catch (error) {
      if (error instanceof TransactionCanceledException) {
        return interpretCancellation(error, roles, change.journal);
      }
      return rethrowStoreError(error, 'commit');
    }
  }

  /** Turns per-item cancellation reasons into 'already-applied' or a typed domain error. */
  async function interpretCancellation(
    error: TransactionCanceledException,
    roles: ItemRole[],
    journal: JournalTransaction | undefined,
  ): Promise<CommitOutcome> {
    const reasons: CancellationReason[] = error.CancellationReasons ?? [];
    const codes = reasons.map((r) => r.Code ?? 'None');
    const journalIndex = roles.findIndex((r) => r.kind === 'journal');
    if (journalIndex >= 0 && codes[journalIndex] === 'ConditionalCheckFailed') return 'already-applied';

    if (codes.some((c) => c === 'ThrottlingError' || c === 'ProvisionedThroughputExceeded')) {
      throw new StorageUnavailableError(
        'The data store is throttling; nothing was written. Retry shortly.',
        { codes },
        { cause: error },
      );
    }
    if (codes.includes('TransactionConflict')) {
      throw new ConcurrentModificationError(
        'Another change to the same records was in progress; nothing was written. Retry.',
        { codes },
        { cause: error },
      );
    }
    const failedEntity = reasons.findIndex(
      (r, i) => r.Code === 'ConditionalCheckFailed' && roles[i]?.kind === 'entity',
    );
    if (failedEntity >= 0) {
      // DynamoDB may report only the first failed condition: if the journal already exists, it is a replay.
      if (journal && (await getTransaction(journal.txnId))) return 'already-applied';
      const role = roles[failedEntity] as { kind: 'entity'; write: EntityWrite };
      const old = reasons[failedEntity]?.Item ? unmarshall(reasons[failedEntity].Item) : undefined;
      throw entityConditionError(role.write, old, error);
    }
    if (codes.some((c) => c === 'ConditionalCheckFailed')) {
      throw new ConcurrentModificationError(
        'An outbox event with this id already exists; nothing was written.',
        { codes },
        { cause: error },
      );
    }
    throw new StorageUnavailableError(
      'The data store cancelled the transaction; nothing was written.',
      { codes },
      { cause: error },
    );
  }

  async function getTransaction(txnId: string): Promise<JournalTransaction | undefined> {
    try {
      const { Item } = await doc.send(
        new GetCommand({ TableName: tableName, Key: keys.journal(txnId), ConsistentRead: true }),
      );
      return Item ? fromJournalItem(Item) : undefined;
    } catch (error) {
      return rethrowStoreError(error, 'getTransaction');
    }
  }

  async function* journalForDay(day: BusinessDay): AsyncIterable<JournalTransaction> {
    for (let shard = 0; shard < JOURNAL_SHARDS; shard++) yield* shardOfDay(day, shard);
  }

  async function* shardOfDay(day: BusinessDay, shard: number): AsyncGenerator<JournalTransaction> {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await queryIndexPage(doc, tableName, {
        index: 'byTime',
        partition: keys.journalDay(day, shard),
        startKey,
      });
      for (const item of page.items) yield fromJournalItem(item);
      startKey = page.nextKey;
    } while (startKey);
  }

  /** A k-way merge of the day's shards, each read in sort-key order: one page per shard in memory. */
  async function* journalForDayInOrder(day: BusinessDay): AsyncIterable<JournalTransaction> {
    const order = (t: JournalTransaction) => `${t.occurredAt.toISOString()}#${t.txnId}`;
    const heads: Array<{ it: AsyncGenerator<JournalTransaction>; txn: JournalTransaction }> = [];
    for (let shard = 0; shard < JOURNAL_SHARDS; shard++) {
      const it = shardOfDay(day, shard);
      const first = await it.next();
      if (!first.done) heads.push({ it, txn: first.value });
    }
    while (heads.length > 0) {
      let min = 0;
      for (let i = 1; i < heads.length; i++)
        if (
          order((heads[i] as (typeof heads)[number]).txn) < order((heads[min] as (typeof heads)[number]).txn)
        )
          min = i;
      const head = heads[min] as (typeof heads)[number];
      yield head.txn;
      const next = await head.it.next();
      if (next.done) heads.splice(min, 1);
      else head.txn = next.value;
    }
  }

  async function balanceOf(account: AccountId): Promise<AccountBalance> {
    if (!hasTrackedBalance(account)) {
      throw new ValidationError(
        `${account} is a hot account with no balance item; sum its journal by business day.`,
      );
    }
    try {
      const { Item } = await doc.send(
        new GetCommand({ TableName: tableName, Key: keys.balance(account), ConsistentRead: true }),
      );
      const debitFen = (Item?.debitFen as number | undefined) ?? 0;
      const creditFen = (Item?.creditFen as number | undefined) ?? 0;
      return { account, debitFen, creditFen, netFen: debitFen - creditFen };
    } catch (error) {
      return rethrowStoreError(error, 'balanceOf');
    }
  }

  return {
    commit,
    getTransaction,
    journalForDay,
    journalForDayInOrder,
    balanceOf,
    ...repositories(dynamoEntityTable(doc, tableName, keys)),
  };
}

/** The TransactItem for one entity write: a conditional Put to create, a conditional Update otherwise. */
function entityItem(tableName: string, keys: TableKeys, write: EntityWrite, now: string): TransactItem {
  const key = keys.entity(write.type, write.id);
  const indexAttrs: Record<string, string> = {};
  const { byRef, byTime } = write.indexes ?? {};
  if (byRef) Object.assign(indexAttrs, { gsi1pk: keys.partition(byRef.partition), gsi1sk: byRef.sort });
  if (byTime) Object.assign(indexAttrs, { gsi2pk: keys.partition(byTime.partition), gsi2sk: byTime.sort });

  if (write.expect.kind === 'absent') {
    return {
      Put: {
        TableName: tableName,
        Item: {
          ...key,
          entityType: write.type,
          entityId: write.id,
          version: 1,
          state: write.state,
          createdAt: now,
          updatedAt: now,
          ...indexAttrs,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    };
  }
  const names: Record<string, string> = { '#state': 'state', '#v': 'version', '#u': 'updatedAt' };
  const values: Record<string, unknown> = { ':state': write.state, ':one': 1, ':now': now };
  const sets = ['#state = :state', '#v = #v + :one', '#u = :now'];
  for (const [attr, value] of Object.entries(indexAttrs)) {
    names[`#${attr}`] = attr;
    values[`:${attr}`] = value;
    sets.push(`#${attr} = :${attr}`);
  }
  // The entity is written in full: an index it no longer has is removed (sparse indexes stay accurate).
  const removes = [
    ...(write.indexes?.byRef ? [] : ['gsi1pk', 'gsi1sk']),
    ...(write.indexes?.byTime ? [] : ['gsi2pk', 'gsi2sk']),
  ];
  const conditions = ['attribute_exists(pk)'];
  if (write.expect.kind === 'status') {
    names['#status'] = 'status';
    const placeholders = write.expect.status.map((s, i) => {
      values[`:s${i}`] = s;
      return `:s${i}`;
    });
    conditions.push(`#state.#status IN (${placeholders.join(', ')})`);
  }
  const expectedVersion = write.expect.version;
  if (expectedVersion !== undefined) {
    values[':expectedVersion'] = expectedVersion;
    conditions.push('#v = :expectedVersion');
  }
  return {
    Update: {
      TableName: tableName,
      Key: key,
      UpdateExpression: `SET ${sets.join(', ')}${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`,
      ConditionExpression: conditions.join(' AND '),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  };
}

/** Explains why an entity's condition failed, using the stored item DynamoDB returned. */
function entityConditionError(
  write: EntityWrite,
  old: Record<string, unknown> | undefined,
  cause: unknown,
): Error {
  const label = `${write.type} ${write.id}`;
  if (write.expect.kind === 'absent') {
    return new ConcurrentModificationError(
      `${label} already exists.`,
      { type: write.type, id: write.id },
      { cause },
    );
  }
  if (!old) return new NotFoundError(write.type, write.id);
  const state = (old.state ?? {}) as Record<string, unknown>;
  const actualStatus = typeof state.status === 'string' ? state.status : undefined;
  if (
    write.expect.kind === 'status' &&
    (actualStatus === undefined || !write.expect.status.includes(actualStatus))
  ) {
    return new StatusGuardError(
      `${label} is ${actualStatus ?? 'in an unknown state'}; this needs ${write.expect.status.join(' or ')}.`,
      {
        type: write.type,
        id: write.id,
        status: actualStatus,
        expected: write.expect.status,
      },
    );
  }
  return new ConcurrentModificationError(
    `${label} was changed by someone else (version ${String(old.version)}); reload and retry.`,
    {
      type: write.type,
      id: write.id,
      expectedVersion: write.expect.version,
      actualVersion: old.version,
    },
    { cause },
  );
}

/** The stored form of a journal transaction, with its business-day shard for GSI2. */
function journalItem(keys: TableKeys, txn: JournalTransaction): Record<string, unknown> {
  const occurredAt = txn.occurredAt.toISOString();
  const day = businessDayOf(txn.occurredAt);
  return {
    ...keys.journal(txn.txnId),
    txnId: txn.txnId,
    postings: txn.postings.map((p) => ({ account: p.account, side: p.side, amountFen: p.amountFen })),
    currency: txn.currency,
    occurredAt,
    businessDay: day,
    refs: txn.refs,
    gsi2pk: keys.journalDay(day, journalShard(txn.txnId)),
    gsi2sk: `${occurredAt}#${txn.txnId}`,
  };
}

/** Rebuilds (and so re-validates) a journal transaction from its stored item. */
function fromJournalItem(item: Record<string, unknown>): JournalTransaction {
  return journalTransaction({
    txnId: item.txnId as string,
    occurredAt: new Date(item.occurredAt as string),
    refs: (item.refs ?? {}) as Record<string, string>,
    postings: (item.postings as Array<{ account: string; side: Side; amountFen: number }>).map((p) => ({
      account: p.account,
      side: p.side,
      amountFen: Number(p.amountFen),
    })),
  });
}
