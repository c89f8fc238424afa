/** LedgerStore port: commits one business change (entity, journal, balances, events) atomically. */
import type { AccountId } from '../domain/ledger/accounts';
import type { JournalTransaction } from '../domain/ledger/journal';
import type { BusinessDay } from '../domain/business-day';
import type { EntityWrite } from './entity-write';
import type { Repositories } from './repositories';

export type { EntityExpectation, EntityWrite } from './entity-write';

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

/** The running totals of an account with a tracked balance. */
export interface AccountBalance {
  readonly account: AccountId;
  readonly debitFen: number;
  readonly creditFen: number;
  /** debitFen − creditFen: positive for a receivable that is owed to the hospital. */
  readonly netFen: number;
}

/**
 * Writes and reads the ledger and the entities whose changes move money. Each aggregate is read through its
 * typed repository (`ledger.payments`, `ledger.visits`, …), which also builds the entity writes a change holds.
 * @example
 * const outcome = await ledger.commit({
 *   entities: [ledger.payments.transition(current, { ...payment, status: 'PAID' })],
 *   journal: journalTransaction({ txnId: `payment:${id}:captured`, postings, occurredAt }),
 * }); // 'committed' the first time, 'already-applied' on a replay
 */
export interface LedgerStore extends Repositories {
  /** Writes the change atomically; a replayed journal txnId returns 'already-applied'. */
  commit(change: LedgerChange): Promise<CommitOutcome>;
  /** Reads one journal transaction by its id. */
  getTransaction(txnId: string): Promise<JournalTransaction | undefined>;
  /** Streams every journal transaction of an Asia/Shanghai business day, page by page (not in time order). */
  journalForDay(day: BusinessDay): AsyncIterable<JournalTransaction>;
  /** The same, in time order (a merge of the day's shards; memory stays at one page per shard). */
  journalForDayInOrder(day: BusinessDay): AsyncIterable<JournalTransaction>;
  /** Reads the balance of an account with a tracked balance (patient, visit). Hot accounts: use journalForDay. */
  balanceOf(account: AccountId): Promise<AccountBalance>;
}
