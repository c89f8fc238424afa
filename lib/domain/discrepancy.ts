/**
 * Reconciliation discrepancies as a workflow (差错处理): each missing or mismatched bill line is a record,
 * OPEN until finance resolves it with a typed action and a note. Pure: the rules for which action fits
 * which discrepancy, and the balanced correction each one posts.
 */
import { InvalidStateError } from './errors';
import { Accounts, type Channel } from './ledger/accounts';
import { journalTransaction, type JournalTransaction } from './ledger/journal';
import { fen } from './money';

/** The classes that need a person (timing differences resolve themselves on the adjacent day). */
export const DISCREPANCY_CLASSES = ['missingInLedger', 'missingAtProvider', 'amountMismatch'] as const;
export type DiscrepancyClass = (typeof DISCREPANCY_CLASSES)[number];

export const RESOLUTION_ACTIONS = ['matched-late', 'refund-at-provider', 'write-off', 're-query'] as const;
export type ResolutionAction = (typeof RESOLUTION_ACTIONS)[number];

export type DiscrepancyStatus = 'OPEN' | 'RESOLVED';

/** One step in a discrepancy's audit trail: who did what, when and why, and what came of it. */
export interface AuditEntry {
  readonly at: string;
  readonly by: string;
  readonly action: ResolutionAction | 'opened' | 'seen-again';
  readonly note?: string;
  readonly outcome: string;
  readonly txnId?: string;
  readonly reconciliationId?: string;
}

/** A discrepancy: one bill line (or ledger line) of a channel's day that did not match. */
export interface Discrepancy {
  readonly discrepancyId: string;
  readonly channel: Channel;
  readonly date: string;
  readonly class: DiscrepancyClass;
  readonly kind: 'payment' | 'refund';
  /** out_trade_no (payments) or out_refund_no (refunds). */
  readonly reference: string;
  /** A refund's original out_trade_no, when the bill names it. */
  readonly outTradeNo?: string;
  readonly ledgerFen?: number;
  readonly providerFen?: number;
  readonly providerNo?: string;
  readonly txnId?: string;
  readonly status: DiscrepancyStatus;
  readonly reconciliationId: string;
  readonly resolution?: {
    readonly action: ResolutionAction;
    readonly note: string;
    readonly by: string;
    readonly at: string;
    readonly txnId?: string;
  };
  readonly history: readonly AuditEntry[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** Which actions fit which discrepancy (the others are refused with INVALID_STATE, saying why). */
export function assertActionFits(d: Discrepancy, action: ResolutionAction): void {
  if (d.status !== 'OPEN')
    throw new InvalidStateError(`Discrepancy ${d.discrepancyId} is already ${d.status}.`, {
      discrepancyId: d.discrepancyId,
    });
  const why =
    action === 'matched-late' && d.class !== 'missingAtProvider'
      ? 'matched-late is for a line the provider billed a day later (missingAtProvider)'
      : action === 'refund-at-provider' && !(d.class === 'missingInLedger' && d.kind === 'refund')
        ? 'refund-at-provider is for a refund the bill has and the ledger lacks (missingInLedger, refund)'
        : undefined;
  if (why)
    throw new InvalidStateError(`Discrepancy ${d.discrepancyId} is ${d.class} (${d.kind}): ${why}.`, {
      discrepancyId: d.discrepancyId,
      class: d.class,
      action,
    });
}

/**
 * What the provider's bill says minus what the ledger says, as an effect on the channel's clearing
 * account (payments add to it, refunds take from it): positive when the provider holds more.
 */
export function clearingDifference(d: Pick<Discrepancy, 'kind' | 'providerFen' | 'ledgerFen'>): number {
  const sign = d.kind === 'payment' ? 1 : -1;
  return sign * ((d.providerFen ?? 0) - (d.ledgerFen ?? 0));
}

/**
 * The write-off: moves the difference between the channel's clearing account and the reconciliation
 * suspense account, so clearing agrees with the provider while the suspense balance shows what finance
 * still owes an explanation for. Balanced by construction.
 */
export function writeOffTransaction(d: Discrepancy, at: Date, by: string): JournalTransaction {
  const difference = clearingDifference(d);
  if (difference === 0)
    throw new InvalidStateError(`Discrepancy ${d.discrepancyId} has no amount to write off.`, {
      discrepancyId: d.discrepancyId,
    });
  const clearing = Accounts.channelClearing(d.channel);
  const suspense = Accounts.reconciliationSuspense();
  const amountFen = fen(Math.abs(difference));
  const [debit, credit] = difference > 0 ? [clearing, suspense] : [suspense, clearing];
  return journalTransaction({
    txnId: `discrepancy:${d.discrepancyId}:write-off`,
    occurredAt: at,
    refs: {
      kind: 'discrepancy-write-off',
      purpose: 'write-off',
      discrepancyId: d.discrepancyId,
      channel: d.channel,
      date: d.date,
      resolvedBy: by,
    },
    postings: [
      { account: debit, side: 'debit', amountFen },
      { account: credit, side: 'credit', amountFen },
    ],
  });
}

/** The discrepancy resolved: status, resolution and its audit entry, together. */
export function resolved(
  d: Discrepancy,
  entry: AuditEntry & { action: ResolutionAction; note: string },
): Discrepancy {
  return {
    ...d,
    status: 'RESOLVED',
    resolution: {
      action: entry.action,
      note: entry.note,
      by: entry.by,
      at: entry.at,
      ...(entry.txnId ? { txnId: entry.txnId } : {}),
    },
    history: [...d.history, entry],
    updatedAt: entry.at,
  };
}
