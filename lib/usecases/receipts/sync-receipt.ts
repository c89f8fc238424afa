/**
 * Bring a payment's fiscal e-receipts in line with what it has left paid (after its capture, each refund,
 * and the receipts sweep for what failed).
 *
 * Primary course:
 *   1. What is paid: the amount less what was refunded, once the payment is PAID (or refunded). An
 *      admission's payments get none here: deposits and the discharge are receipted by the inpatient
 *      settlement (住院收费票据), which is the HIS's (docs/receipts.md).
 *   2. A receipt for another amount is reversed (冲红); then, if anything is paid, a receipt is issued for
 *      it under the next business number (a retry gets the same receipt: the number is idempotent).
 *   3. Each receipt and reversal is recorded on the payment as soon as the platform gives its numbers.
 * An outage or a refusal never touches the payment's money: the receipt stays PENDING with the error and
 * the time of the next attempt (1, 2, 4 … minutes, at most an hour), which the sweep makes.
 */
import { addDays, businessDayOf } from '../../domain/business-day';
import { MedpayError } from '../../domain/errors';
import { subtractFen, type Fen } from '../../domain/money';
import {
  nextReceiptStep,
  receiptBusNo,
  receiptRetryMs,
  type PaymentReceipt,
  type ReceiptBill,
} from '../../domain/receipt';
import type { Payment } from '../../domain/payment';
import type { IssuedBill, ReceiptIssuer } from '../../ports/receipt-issuer';
import type { RecordDeps } from '../payments/deps';
import { loadPayment } from '../payments/records';
import { transition } from '../shared/records';
import { retryOnConflict } from '../shared/retry';

/** What receipts need: the records and, where configured, the platform. */
export type ReceiptDeps = RecordDeps & { readonly receipts?: ReceiptIssuer };

/** The most steps one sync takes: a reversal, a new receipt, and recording that they are in line. */
const MAX_STEPS = 3;

/** A receipt or red receipt the platform numbered, as the payment records it. */
const recordOf = (kind: ReceiptBill['kind'], b: IssuedBill, amountFen: Fen): ReceiptBill => ({
  kind,
  billBatchCode: b.billBatchCode,
  billNo: b.billNo,
  random: b.random,
  at: b.createdAt.toISOString(),
  ...(b.url ? { url: b.url } : {}),
  amountFen,
});

/** Whether a payment gets receipts here, and how much they should cover. */
function paidOf(payment: Payment) {
  if (payment.admission) return undefined;
  if (payment.status === 'PENDING' || payment.status === 'CLOSED') return undefined;
  return subtractFen(payment.amountFen, payment.refundedFen);
}

/**
 * Converges the payment's receipts; returns them as they stand (never throws for the platform's sake). A
 * payment written meanwhile (a refund) is read again: the platform answers a repeated receipt or reversal
 * with the one it already made.
 */
export function syncReceipt(deps: ReceiptDeps, paymentId: string): Promise<PaymentReceipt | undefined> {
  return retryOnConflict(() => syncOnce(deps, paymentId), { attempts: 5 });
}

/** One pass over the steps, against the payment as read at each. */
async function syncOnce(deps: ReceiptDeps, paymentId: string): Promise<PaymentReceipt | undefined> {
  const issuer = deps.receipts;
  if (!issuer) return undefined;
  for (let step = 0; step < MAX_STEPS; step++) {
    const current = await loadPayment(deps.ledger, paymentId);
    const payment = current.value;
    const paid = paidOf(payment);
    if (paid === undefined) return payment.receipt;
    const next = nextReceiptStep(payment.receipt, paid);
    const receipt: PaymentReceipt = payment.receipt ?? { status: 'PENDING', bills: [], attempts: 0 };
    if (next.action === 'NONE') {
      const settled: PaymentReceipt['status'] = paid > 0 ? 'ISSUED' : 'REVERSED';
      if (receipt.status === settled || receipt.bills.length === 0) return payment.receipt;
      await transition(deps.ledger, deps.ledger.payments, current, {
        ...payment,
        receipt: { status: settled, bills: receipt.bills, attempts: 0 },
      });
      return { status: settled, bills: receipt.bills, attempts: 0 };
    }
    const at = deps.clock.now();
    let bill: ReceiptBill;
    try {
      if (next.action === 'REVERSE') {
        const red = await issuer.reverse({
          billBatchCode: next.bill.billBatchCode,
          billNo: next.bill.billNo,
          reason: paid > 0 ? '部分退费，冲红后按余额重开' : '退费',
          at,
        });
        bill = {
          ...recordOf('REVERSED', red, next.bill.amountFen),
          reverses: { billBatchCode: next.bill.billBatchCode, billNo: next.bill.billNo },
        };
      } else {
        const issued = await issuer.issue({
          busNo: receiptBusNo(payment.paymentId, receipt.bills.filter((b) => b.kind === 'ISSUED').length + 1),
          patientId: payment.patientId,
          payer: payment.payerId ?? payment.patientId,
          amountFen: paid,
          item: payment.description,
          at,
        });
        bill = recordOf('ISSUED', issued, paid);
      }
    } catch (error) {
      if (!(error instanceof MedpayError)) throw error;
      // The platform is out or refused: the payment stays as it is; the receipt waits for the next attempt.
      const attempts = receipt.attempts + 1;
      const waiting: PaymentReceipt = {
        ...receipt,
        status: 'PENDING',
        attempts,
        lastError: error.message,
        nextAttemptAt: new Date(at.getTime() + receiptRetryMs(attempts)).toISOString(),
      };
      await transition(deps.ledger, deps.ledger.payments, current, { ...payment, receipt: waiting }).catch(
        () => undefined, // another sync recorded it first
      );
      deps.metrics.count('ReceiptsDelayed', { action: next.action });
      return waiting;
    }
    const bills = [...receipt.bills, bill];
    await transition(deps.ledger, deps.ledger.payments, current, {
      ...payment,
      receipt: { status: 'PENDING', bills, attempts: 0 },
    });
    deps.metrics.count(bill.kind === 'ISSUED' ? 'ReceiptsIssued' : 'ReceiptsReversed', {});
  }
  return (await loadPayment(deps.ledger, paymentId)).value.receipt;
}

/**
 * The receipts sweep: every payment the journal touched yesterday and today (Asia/Shanghai) whose receipts
 * do not yet cover what it has left paid, and whose next attempt is due. Returns how many it moved.
 */
export async function sweepReceipts(deps: ReceiptDeps): Promise<number> {
  if (!deps.receipts) return 0;
  const today = businessDayOf(deps.clock.now());
  const days = [addDays(today, -1), today];
  const seen = new Set<string>();
  let moved = 0;
  const now = deps.clock.now().toISOString();
  for (const day of days)
    for await (const t of deps.ledger.journalForDay(day)) {
      const paymentId = t.refs.paymentId;
      if (!paymentId || seen.has(paymentId)) continue;
      seen.add(paymentId);
      const payment = (await deps.ledger.payments.get(paymentId))?.value;
      const paid = payment && paidOf(payment);
      if (!payment || paid === undefined) continue;
      if (nextReceiptStep(payment.receipt, paid).action === 'NONE') continue;
      if (payment.receipt?.nextAttemptAt && payment.receipt.nextAttemptAt > now) continue;
      const after = await syncReceipt(deps, paymentId);
      if (after?.status !== payment.receipt?.status || after?.bills.length !== payment.receipt?.bills.length)
        moved++;
    }
  return moved;
}
