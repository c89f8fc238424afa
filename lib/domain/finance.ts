/** Finance: provider bill lines, the reconciliation classes, and the business-day rules for asking. */
import { businessDayOf, parseBusinessDay } from './business-day';
import { ErrorCode, MedpayError, ValidationError } from './errors';
import type { Channel } from './ledger/accounts';
import type { Fen } from './money';

/** One line of a provider's bill, in medpay's terms. `feeFen` is what the provider kept (negative: returned). */
export interface BillLine {
  readonly kind: 'payment' | 'refund';
  readonly outTradeNo: string;
  readonly outRefundNo?: string;
  readonly providerNo: string;
  readonly amountFen: Fen;
  readonly feeFen: number;
  readonly at: Date;
}

/** How a line was classified. */
export const RECONCILIATION_CLASSES = [
  'matched',
  'missingInLedger',
  'missingAtProvider',
  'amountMismatch',
  'timing',
] as const;
export type ReconciliationClass = (typeof RECONCILIATION_CLASSES)[number];

/** A line of a reconciliation that is not matched (stored with the run). */
export interface DiscrepancyLine {
  readonly class: Exclude<ReconciliationClass, 'matched'>;
  readonly kind: 'payment' | 'refund';
  readonly reference: string;
  readonly ledgerFen?: number;
  readonly providerFen?: number;
  readonly providerNo?: string;
  readonly otherDay?: string;
  readonly txnId?: string;
  /** A refund line's original out_trade_no, as the bill names it. */
  readonly outTradeNo?: string;
}

/** The key both sides are matched on: out_trade_no for payments, out_refund_no for refunds. */
export const matchKey = (kind: 'payment' | 'refund', no: string) => `${kind}:${no}`;

/** The provider has not published the bill yet. */
export class BillNotAvailableError extends MedpayError {
  constructor(channel: Channel, day: string) {
    super(
      ErrorCode.BILL_NOT_AVAILABLE,
      `The ${channel} bill for ${day} is not available yet (providers publish it from about 09:00 the next day); retry later.`,
      { channel, day },
    );
  }
}

/** The bill file is corrupt, truncated or fails its checksum: nothing is reconciled or posted. */
export class BillRejectedError extends MedpayError {
  constructor(
    readonly channel: Channel,
    readonly day: string,
    readonly reason: string,
    /** The run it was stored as, once stored (FAILED). */
    reconciliationId?: string,
  ) {
    super(ErrorCode.BILL_REJECTED, `The ${channel} bill for ${day} was rejected: ${reason}.`, {
      channel,
      day,
      reason,
      ...(reconciliationId ? { reconciliationId } : {}),
    });
  }
}

/** Checks a `yyyy-mm-dd` business day: well formed, a real date, and not in the future (Asia/Shanghai). */
export function assertPastOrToday(day: string, now: Date): string {
  parseBusinessDay(day);
  const today = businessDayOf(now);
  if (day > today)
    throw new ValidationError(`${day} is in the future (today is ${today} in Asia/Shanghai).`, [
      { path: 'date', message: 'future date' },
    ]);
  return day;
}

/** The business day before and after `day`. */
export function adjacentDays(day: string): { previous: string; next: string } {
  const t = Date.parse(`${day}T00:00:00Z`);
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return { previous: iso(t - 86_400_000), next: iso(t + 86_400_000) };
}

/** A reconciliation run's stored report. */
export interface Reconciliation {
  readonly reconciliationId: string;
  readonly date: string;
  readonly channel: Channel;
  /** COMPLETED_WITH_DISCREPANCIES when a line is missing or mismatched (timing differences are expected). */
  readonly status: 'COMPLETED' | 'COMPLETED_WITH_DISCREPANCIES' | 'FAILED';
  readonly summary: Record<ReconciliationClass, number> & { feesFen: number; feesPostedFen: number };
  readonly previousReconciliationId?: string;
  readonly failure?: string;
  readonly lineCount: number;
  readonly requestedBy: string;
  readonly createdAt: string;
}

/** A channel's reconciled business day: its latest run, the fees posted so far, and whether finance closed it. */
export interface ReconciledDay {
  readonly channel: Channel;
  readonly date: string;
  readonly reconciliationId: string;
  readonly feesPostedFen: number;
  readonly closedAt?: string;
  readonly closedBy?: string;
}

/** A valid provider notification about something medpay never created: kept for reconciliation, never credited. */
export interface UnmatchedNotification {
  readonly status: 'UNMATCHED';
  readonly channel: string;
  readonly kind: string;
  readonly notificationId: string;
  readonly reference: string;
  readonly receivedAt: string;
}
