/**
 * A payment's fiscal e-receipt (财政电子票据, #24): issued by the hospital's e-receipt platform once the
 * payment is settled, reversed (冲红) when it is refunded. A fiscal e-receipt cannot be changed or partly
 * reversed: a partial refund reverses it and a new one is issued for what is left paid. Each receipt is
 * named by the platform's 票据代码 (billBatchCode), 票据号码 (billNo) and 校验码 (random), with a link the
 * patient opens (docs/receipts.md). Issuing never blocks the payment: it converges afterwards, retried.
 */
import type { Fen } from './money';

/** One e-receipt or its reversal (红票), as the platform numbered it. */
export interface ReceiptBill {
  readonly kind: 'ISSUED' | 'REVERSED';
  readonly billBatchCode: string;
  readonly billNo: string;
  readonly random: string;
  readonly at: string;
  /** The receipt's page (pictureNetUrl, else pictureUrl). */
  readonly url?: string;
  /** What it covers; a reversal repeats the receipt it reverses. */
  readonly amountFen: Fen;
  /** A reversal: the receipt it reverses. */
  readonly reverses?: { readonly billBatchCode: string; readonly billNo: string };
}

/** Where a payment's receipts stand, and what was tried when the platform did not answer. */
export interface PaymentReceipt {
  /** ISSUED: the current receipt covers what is paid; REVERSED: nothing is left paid; PENDING: work to do. */
  readonly status: 'PENDING' | 'ISSUED' | 'REVERSED';
  /** Every receipt and reversal, in order. */
  readonly bills: readonly ReceiptBill[];
  readonly attempts: number;
  readonly lastError?: string;
  readonly nextAttemptAt?: string;
}

/** The receipt that stands (issued and not reversed), if any. */
export function currentBill(receipt: PaymentReceipt | undefined): ReceiptBill | undefined {
  const bills = receipt?.bills ?? [];
  const issued = bills.filter((b) => b.kind === 'ISSUED');
  return issued.find(
    (b) =>
      !bills.some(
        (r) =>
          r.kind === 'REVERSED' &&
          r.reverses?.billNo === b.billNo &&
          r.reverses.billBatchCode === b.billBatchCode,
      ),
  );
}

/**
 * What to do next so the receipts cover exactly what is paid (`paidFen`: the amount less what was refunded):
 * reverse a receipt for another amount, issue one for what is paid, or nothing.
 */
export function nextReceiptStep(
  receipt: PaymentReceipt | undefined,
  paidFen: Fen,
): { readonly action: 'REVERSE'; readonly bill: ReceiptBill } | { readonly action: 'ISSUE' | 'NONE' } {
  const current = currentBill(receipt);
  if (current && current.amountFen !== paidFen) return { action: 'REVERSE', bill: current };
  if (!current && paidFen > 0) return { action: 'ISSUE' };
  return { action: 'NONE' };
}

/** The platform's business number of a payment's n-th receipt (idempotent: a retry gets the same receipt). */
export const receiptBusNo = (paymentId: string, n: number) =>
  `${paymentId.replace(/[^A-Za-z0-9]/g, '').slice(-28)}R${n}`;

/** How long after the n-th failed attempt the next is made: 1, 2, 4 … minutes, at most an hour. */
export const receiptRetryMs = (attempts: number) => Math.min(60, 2 ** Math.max(0, attempts - 1)) * 60_000;
