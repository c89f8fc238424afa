/**
 * Legacy outpatient deposit balances (门诊预交金), abolished by 国卫办财务发〔2025〕5号: the HIS imports each
 * patient's balance with the payments it came from, and medpay refunds it to those payments (the most
 * recent first, never beyond what a payment has left, within the providers' refund window), or records why
 * it cannot. Pure: the use case persists and refunds.
 */
import { allocateSurplus, type RefundableTopUp, type SurplusRefund } from './admission';
import { fen, type Fen } from './money';
import { MAX_REFUNDS_PER_PAYMENT, REFUND_WINDOW_MS } from './payment';

/** The most balances one batch imports (larger lists go in several batches). */
export const MAX_LEGACY_BALANCES = 1_000;

/** Why (part of) a balance cannot be refunded online. */
export const LEGACY_FAILURES = [
  'UNKNOWN_PAYMENT',
  'OTHER_PATIENT',
  'REFUND_WINDOW_PASSED',
  'REFUND_LIMIT_REACHED',
  'ALREADY_REFUNDED',
  'REFUND_FAILED',
] as const;
export type LegacyFailure = (typeof LEGACY_FAILURES)[number];

/** One imported balance, kept under its HIS id: a balance is refunded once, whichever batch names it. */
export interface LegacyBalance {
  readonly balanceId: string;
  readonly patientId: string;
  readonly amountFen: Fen;
  /** The payments the balance was paid with (medpay payment ids). */
  readonly paymentIds: readonly string[];
  /** The batch that took it. */
  readonly batchId: string;
  /** PENDING → PLANNED (refunds allocated) → REFUNDED, PARTIAL (some refunded) or FAILED (none). */
  readonly status: 'PENDING' | 'PLANNED' | 'REFUNDED' | 'PARTIAL' | 'FAILED';
  readonly refunds: readonly SurplusRefund[];
  /** What no payment could take, and why. */
  readonly unrefundableFen: Fen;
  readonly failures: ReadonlyArray<{
    readonly paymentId?: string;
    readonly code: LegacyFailure;
    readonly detail: string;
  }>;
}

/** A named payment as the plan sees it: unknown, another patient's, or its refundable amounts. */
export type LegacyPayment =
  | { readonly paymentId: string; readonly found: false }
  | (RefundableTopUp & { readonly found: true; readonly patientId: string });

/** Allocates a balance over its payments, and says why each payment that takes nothing does. */
export function planLegacyRefund(
  balance: Pick<LegacyBalance, 'balanceId' | 'patientId' | 'amountFen'>,
  payments: readonly LegacyPayment[],
  now: Date,
  refundIdOf: (paymentId: string) => string,
): Pick<LegacyBalance, 'refunds' | 'unrefundableFen' | 'failures'> {
  const failures: Array<LegacyBalance['failures'][number]> = [];
  const usable: RefundableTopUp[] = [];
  for (const p of payments) {
    if (!p.found)
      failures.push({ paymentId: p.paymentId, code: 'UNKNOWN_PAYMENT', detail: 'no such payment' });
    else if (p.patientId !== balance.patientId)
      failures.push({ paymentId: p.paymentId, code: 'OTHER_PATIENT', detail: "another patient's payment" });
    else usable.push(p);
  }
  const { refunds, unrefundableFen } = allocateSurplus(usable, balance.amountFen, now, refundIdOf);
  if (unrefundableFen > 0)
    for (const p of usable.filter((u) => !refunds.some((r) => r.paymentId === u.paymentId))) {
      const expired = now.getTime() - new Date(p.paidAt).getTime() > REFUND_WINDOW_MS;
      failures.push(
        expired
          ? {
              paymentId: p.paymentId,
              code: 'REFUND_WINDOW_PASSED',
              detail: `paid ${p.paidAt}, over a year ago`,
            }
          : p.refundCount >= MAX_REFUNDS_PER_PAYMENT
            ? {
                paymentId: p.paymentId,
                code: 'REFUND_LIMIT_REACHED',
                detail: `${p.refundCount} refunds already`,
              }
            : { paymentId: p.paymentId, code: 'ALREADY_REFUNDED', detail: 'nothing left to refund on it' },
      );
    }
  if (unrefundableFen > 0 && failures.length === 0)
    failures.push({
      code: 'ALREADY_REFUNDED',
      detail: 'its payments have less left to refund than the balance',
    });
  return { refunds, unrefundableFen: fen(unrefundableFen), failures };
}

/** The balance's outcome once its refunds were asked for (a processing refund counts: the sweep ends it). */
export function legacyOutcome(
  balance: Pick<LegacyBalance, 'refunds' | 'unrefundableFen'>,
): LegacyBalance['status'] {
  const taken = balance.refunds.filter((r) => r.status === 'SUCCEEDED' || r.status === 'PROCESSING');
  if (taken.length === 0) return 'FAILED';
  return taken.length === balance.refunds.length && balance.unrefundableFen === 0 ? 'REFUNDED' : 'PARTIAL';
}

/** A batch of legacy balances and its progress, as stored and returned. */
export interface LegacyRefundBatch {
  readonly batchId: string;
  readonly reason: string;
  readonly status: 'PROCESSING' | 'COMPLETED';
  readonly createdAt: string;
  readonly completedAt?: string;
  /** The balances this batch took, in the order imported. */
  readonly balanceIds: readonly string[];
  /** Balances an earlier batch took already (never refunded twice). */
  readonly skipped: ReadonlyArray<{ readonly balanceId: string; readonly batchId: string }>;
  readonly totals: {
    readonly balances: number;
    readonly done: number;
    readonly refunded: number;
    readonly partial: number;
    readonly failed: number;
    readonly skipped: number;
    readonly refundedFen: number;
    readonly unrefundableFen: number;
  };
  /** Every balance that could not be refunded whole, with why (filled as they are done). */
  readonly failures: ReadonlyArray<{
    readonly balanceId: string;
    readonly status: 'PARTIAL' | 'FAILED';
    readonly unrefundableFen: number;
    readonly reasons: readonly LegacyFailure[];
  }>;
}
