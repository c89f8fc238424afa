/** LedgerStore port: commits one business change (entity, journal, balances, events) atomically. */
import type { AccountId } from '../domain/ledger/accounts';
import type { JournalTransaction } from '../domain/ledger/journal';
import type { BusinessDay } from '../domain/business-day';

/** What the stored entity must look like for the write to go ahead. */
export type EntityExpectation =
  /** Creation: no entity with this id may exist. */
  | { readonly kind: 'absent' }
  /** Optimistic concurrency: the stored version must equal this one. */
  | { readonly kind: 'version'; readonly version: number }
  /** State-machine guard: the stored status must be one of these (and, if given, the version must match). */
  | { readonly kind: 'status'; readonly status: readonly string[]; readonly version?: number };

/** A secondary lookup the entity can be found by (for example its outTradeNo, or its status and age). */
export interface EntityIndexKey {
  readonly partition: string;
  readonly sort: string;
}

/** The new state of one entity, written in full, guarded by `expect`. The store sets `version`: 1 on creation, +1 on every write. */
export interface EntityWrite {
  readonly type: string;
  readonly id: string;
  /** The entity's JSON-serialisable state, stored as it is. */
  readonly state: object;
  readonly expect: EntityExpectation;
  /** `byRef`: exact lookups by an external reference. `byTime`: ordered scans within a partition. */
  readonly indexes?: { readonly byRef?: EntityIndexKey; readonly byTime?: EntityIndexKey };
}

/** A domain event written to the outbox in the same transaction as the change that caused it. */
export interface OutboxEvent {
  readonly eventId: string;
  readonly type: string;
  readonly occurredAt: Date;
  readonly payload: Readonly<Record<string, unknown>>;
}

/** One business change. Everything in it is written together or not at all. */
export interface LedgerChange {
  readonly entities: readonly EntityWrite[];
  readonly journal?: JournalTransaction;
  readonly events?: readonly OutboxEvent[];
}

/** `already-applied`: the journal transaction already exists, so this change was a replay. */
export type CommitOutcome = 'committed' | 'already-applied';

/** A stored entity with its version. */
export interface StoredEntity {
  readonly type: string;
  readonly id: string;
  readonly version: number;
  readonly state: Record<string, unknown>;
}

/** The running totals of an account with a tracked balance. */
export interface AccountBalance {
  readonly account: AccountId;
  readonly debitFen: number;
  readonly creditFen: number;
  /** debitFen − creditFen: positive for a receivable that is owed to the hospital. */
  readonly netFen: number;
}

/**
 * Writes and reads the ledger and the entities whose changes move money.
 * @example
 * const outcome = await ledger.commit({
 *   entities: [{ type: 'payment', id, state: { ...payment, status: 'PAID' }, expect: { kind: 'status', status: ['PENDING'] } }],
 *   journal: journalTransaction({ txnId: `payment:${id}:captured`, postings, occurredAt }),
 * }); // 'committed' the first time, 'already-applied' on a replay
 */
export interface LedgerStore {
  /** Writes the change atomically; a replayed journal txnId returns 'already-applied'. */
  commit(change: LedgerChange): Promise<CommitOutcome>;
  /** Reads one entity, or undefined. */
  getEntity(type: string, id: string): Promise<StoredEntity | undefined>;
  /** Reads one journal transaction by its id. */
  getTransaction(txnId: string): Promise<JournalTransaction | undefined>;
  /** Streams every journal transaction of an Asia/Shanghai business day, page by page (not in time order). */
  journalForDay(day: BusinessDay): AsyncIterable<JournalTransaction>;
  /** The same, in time order (a merge of the day's shards; memory stays at one page per shard). */
  journalForDayInOrder(day: BusinessDay): AsyncIterable<JournalTransaction>;
  /** Finds the entity indexed under an exact external reference (`byRef.partition`). */
  findByRef(partition: string): Promise<StoredEntity | undefined>;
  /** Lists entities in a `byTime` partition whose sort key is below `before` (oldest first), up to `limit`. */
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
  /** Every entity in a `byTime` partition whose sort key is below `before`, oldest first, page by page. */
  scanByTime(partition: string, before: string): AsyncIterable<StoredEntity>;
  /** Reads the balance of an account with a tracked balance (patient, visit). Hot accounts: use journalForDay. */
  balanceOf(account: AccountId): Promise<AccountBalance>;
}
