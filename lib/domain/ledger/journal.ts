/** Journal transactions: balanced sets of postings, identified by the business event that caused them. */
import { CURRENCY, type Currency, type Fen, isFen } from '../money';
import { UnbalancedTransactionError, ValidationError } from '../errors';
import { type AccountId, parseAccount } from './accounts';

/** Which side of an account a posting lands on. */
export type Side = 'debit' | 'credit';

/** One leg of a journal transaction. */
export interface Posting {
  readonly account: AccountId;
  readonly side: Side;
  readonly amountFen: Fen;
}

/** A balanced, immutable journal transaction. Build it with `journalTransaction()`. */
export interface JournalTransaction {
  /** Derived from the business event (`payment:<id>:captured`), so a replay can never post twice. */
  readonly txnId: string;
  readonly postings: readonly Posting[];
  readonly currency: Currency;
  readonly occurredAt: Date;
  /** Business references (paymentId, visitId, outTradeNo …) for statements and reconciliation. */
  readonly refs: Readonly<Record<string, string>>;
}

/** DynamoDB allows 100 items per transaction; leave room for the entity, journal and outbox items. */
export const MAX_POSTINGS = 40;
const TXN_ID = /^[a-z][a-z-]*:[A-Za-z0-9_.-]+(:[A-Za-z0-9_.-]+)*$/;

/** Builds the deterministic id of the journal transaction for a business event. */
export function txnIdFor(entity: string, id: string, event: string): string {
  return `${entity}:${id}:${event}`;
}

/** Debits minus credits over postings (positive means the debits are larger). */
export function netOf(postings: readonly Posting[]): number {
  let net = 0;
  for (const p of postings) {
    if (p.side === 'debit') net += p.amountFen;
    else net -= p.amountFen;
  }
  return net;
}

/**
 * Validates and freezes a journal transaction. Refuses (UnbalancedTransactionError) anything whose
 * debits and credits differ, that has fewer than two postings, a zero or invalid amount, or an
 * account outside the chart of accounts.
 */
export function journalTransaction(input: {
  txnId: string;
  postings: ReadonlyArray<{ account: string; side: Side; amountFen: number }>;
  occurredAt: Date;
  refs?: Record<string, string>;
}): JournalTransaction {
  if (!TXN_ID.test(input.txnId) || input.txnId.length > 200) {
    throw new ValidationError(`txnId ${JSON.stringify(input.txnId)} must look like "payment:<id>:captured".`);
  }
  if (input.postings.length < 2 || input.postings.length > MAX_POSTINGS) {
    throw new UnbalancedTransactionError(
      `A journal transaction needs 2 to ${MAX_POSTINGS} postings; got ${input.postings.length}.`,
      { txnId: input.txnId },
    );
  }
  const postings = input.postings.map((p): Posting => {
    if (!isFen(p.amountFen) || p.amountFen === 0) {
      throw new UnbalancedTransactionError('Every posting needs a positive whole number of fen.', {
        txnId: input.txnId,
        account: p.account,
      });
    }
    if (p.side !== 'debit' && p.side !== 'credit') {
      throw new UnbalancedTransactionError(`Unknown posting side ${String(p.side)}.`, { txnId: input.txnId });
    }
    return Object.freeze({ account: parseAccount(p.account), side: p.side, amountFen: p.amountFen });
  });
  const net = netOf(postings);
  if (net !== 0 || !Number.isSafeInteger(net)) {
    throw new UnbalancedTransactionError(`Debits and credits differ by ${net} fen.`, {
      txnId: input.txnId,
      net,
    });
  }
  if (Number.isNaN(input.occurredAt.getTime())) {
    throw new ValidationError('occurredAt must be a valid instant.');
  }
  return Object.freeze({
    txnId: input.txnId,
    postings: Object.freeze(postings),
    currency: CURRENCY,
    occurredAt: new Date(input.occurredAt.getTime()),
    refs: Object.freeze({ ...(input.refs ?? {}) }),
  });
}

/** Sums each account's debits and credits in a transaction (an account may appear more than once). */
export function movementsByAccount(
  txn: JournalTransaction,
): Map<AccountId, { debitFen: number; creditFen: number }> {
  const out = new Map<AccountId, { debitFen: number; creditFen: number }>();
  for (const p of txn.postings) {
    const m = out.get(p.account) ?? { debitFen: 0, creditFen: 0 };
    if (p.side === 'debit') m.debitFen += p.amountFen;
    else m.creditFen += p.amountFen;
    out.set(p.account, m);
  }
  return out;
}

/** The reversing transaction of `txn`: every posting on the other side. Entries are never edited. */
export function reversalOf(txn: JournalTransaction, txnId: string, occurredAt: Date): JournalTransaction {
  return journalTransaction({
    txnId,
    occurredAt,
    refs: { ...txn.refs, reverses: txn.txnId },
    postings: txn.postings.map((p) => ({ ...p, side: p.side === 'debit' ? 'credit' : 'debit' })),
  });
}
