/**
 * Bring a payment's fiscal e-receipts in line with what it has left paid (after its capture, each refund,
 * and the receipts sweep for what failed); likewise a settled pay-later visit's (VisitSettled).
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
import { addFen, subtractFen, type Fen } from '../../domain/money';
import {
  nextReceiptStep,
  receiptBusNo,
  receiptRetryMs,
  type PaymentReceipt,
  type ReceiptBill,
} from '../../domain/receipt';
import type { Payment } from '../../domain/payment';
import type { Visit } from '../../domain/visit';
import type { LedgerStore } from '../../ports/ledger-store';
import type { StatusRepository, Versioned } from '../../ports/repositories';
import { loadVisit } from '../visits/records';
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

/** What a record owes a receipt for, and how the receipt names it. */
interface ReceiptDue {
  /** What the receipts should cover (what is left paid). */
  readonly paidFen: Fen;
  readonly patientId: string;
  readonly payer: string;
  readonly item: string;
}

/** A kind of record that carries receipts: a payment, or a settled pay-later visit. */
interface ReceiptHolder<T extends { readonly status: string; readonly receipt?: PaymentReceipt }> {
  readonly load: (ledger: LedgerStore, id: string) => Promise<Versioned<T>>;
  readonly repository: (ledger: LedgerStore) => StatusRepository<T>;
  /** What it owes a receipt for; undefined while it gets none (unpaid, an admission's deposit…). */
  readonly due: (value: T) => ReceiptDue | undefined;
}

/** Whether a payment gets receipts here, and how much they should cover. */
function paidOf(payment: Payment) {
  if (payment.admission) return undefined;
  if (payment.status === 'PENDING' || payment.status === 'CLOSED') return undefined;
  return subtractFen(payment.amountFen, payment.refundedFen);
}

const PAYMENTS: ReceiptHolder<Payment> = {
  load: (ledger, id) => loadPayment(ledger, id),
  repository: (ledger) => ledger.payments,
  due: (p) => {
    const paidFen = paidOf(p);
    return paidFen === undefined
      ? undefined
      : { paidFen, patientId: p.patientId, payer: p.payerId ?? p.patientId, item: p.description };
  },
};

/**
 * A settled pay-later visit's receipt covers what the visit itself collected: the insurance parts and the
 * self-pay captured on the wallet. What was left outstanding and paid by a payment (POST /payments) is that
 * payment's receipt.
 */
const VISITS: ReceiptHolder<Visit> = {
  load: (ledger, id) => loadVisit(ledger, id),
  repository: (ledger) => ledger.visits,
  due: (v) => {
    const s = v.settlement;
    if (v.status !== 'SETTLED' || !s) return undefined;
    return {
      paidFen: addFen(addFen(s.insuredFen, s.personalAccountFen), s.capturedFen),
      patientId: v.patientId,
      payer: v.patientId,
      item: '门诊诊疗费（先诊疗后付费）',
    };
  },
};

/**
 * Converges the payment's receipts; returns them as they stand (never throws for the platform's sake). A
 * payment written meanwhile (a refund) is read again: the platform answers a repeated receipt or reversal
 * with the one it already made.
 */
export function syncReceipt(deps: ReceiptDeps, paymentId: string): Promise<PaymentReceipt | undefined> {
  return retryOnConflict(() => syncOnce(deps, PAYMENTS, paymentId), { attempts: 5 });
}

/** Converges a settled visit's receipt (VisitSettled, and the sweep); returns it as it stands. */
export function syncVisitReceipt(deps: ReceiptDeps, visitId: string): Promise<PaymentReceipt | undefined> {
  return retryOnConflict(() => syncOnce(deps, VISITS, visitId), { attempts: 5 });
}

/** One pass over the steps, against the record as read at each. */
async function syncOnce<T extends { readonly status: string; readonly receipt?: PaymentReceipt }>(
  deps: ReceiptDeps,
  holder: ReceiptHolder<T>,
  id: string,
): Promise<PaymentReceipt | undefined> {
  const issuer = deps.receipts;
  if (!issuer) return undefined;
  const repository = holder.repository(deps.ledger);
  const save = (current: Versioned<T>, receipt: PaymentReceipt) =>
    transition(deps.ledger, repository, current, { ...current.value, receipt });
  for (let step = 0; step < MAX_STEPS; step++) {
    const current = await holder.load(deps.ledger, id);
    const due = holder.due(current.value);
    if (due === undefined) return current.value.receipt;
    const paid = due.paidFen;
    const next = nextReceiptStep(current.value.receipt, paid);
    const receipt: PaymentReceipt = current.value.receipt ?? { status: 'PENDING', bills: [], attempts: 0 };
    if (next.action === 'NONE') {
      const settled: PaymentReceipt['status'] = paid > 0 ? 'ISSUED' : 'REVERSED';
      if (receipt.status === settled || receipt.bills.length === 0) return current.value.receipt;
      await save(current, { status: settled, bills: receipt.bills, attempts: 0 });
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
          busNo: receiptBusNo(id, receipt.bills.filter((b) => b.kind === 'ISSUED').length + 1),
          patientId: due.patientId,
          payer: due.payer,
          amountFen: paid,
          item: due.item,
          at,
        });
        bill = recordOf('ISSUED', issued, paid);
      }
    } catch (error) {
      if (!(error instanceof MedpayError)) throw error;
      // The platform is out or refused: the money stays as it is; the receipt waits for the next attempt.
      const attempts = receipt.attempts + 1;
      const waiting: PaymentReceipt = {
        ...receipt,
        status: 'PENDING',
        attempts,
        lastError: error.message,
        nextAttemptAt: new Date(at.getTime() + receiptRetryMs(attempts)).toISOString(),
      };
      await save(current, waiting).catch(
        () => undefined, // another sync recorded it first
      );
      deps.metrics.count('ReceiptsDelayed', { action: next.action });
      return waiting;
    }
    await save(current, { status: 'PENDING', bills: [...receipt.bills, bill], attempts: 0 });
    deps.metrics.count(bill.kind === 'ISSUED' ? 'ReceiptsIssued' : 'ReceiptsReversed', {});
  }
  return (await holder.load(deps.ledger, id)).value.receipt;
}

/**
 * The receipts sweep: every payment and settled visit the journal touched yesterday and today
 * (Asia/Shanghai) whose receipts do not yet cover what it has left paid, and whose next attempt is due.
 * Returns how many it moved.
 */
export async function sweepReceipts(deps: ReceiptDeps): Promise<number> {
  if (!deps.receipts) return 0;
  const today = businessDayOf(deps.clock.now());
  const days = [addDays(today, -1), today];
  const seen = new Set<string>();
  let moved = 0;
  const now = deps.clock.now().toISOString();
  /** Syncs one record if its receipts are behind and due; counts it when they moved. */
  async function sweepOne<T extends { readonly status: string; readonly receipt?: PaymentReceipt }>(
    holder: ReceiptHolder<T>,
    id: string,
    sync: (deps: ReceiptDeps, id: string) => Promise<PaymentReceipt | undefined>,
  ) {
    if (seen.has(id)) return;
    seen.add(id);
    const value = (await holder.repository(deps.ledger).get(id))?.value;
    const due = value && holder.due(value);
    if (!value || due === undefined) return;
    if (nextReceiptStep(value.receipt, due.paidFen).action === 'NONE') return;
    if (value.receipt?.nextAttemptAt && value.receipt.nextAttemptAt > now) return;
    const after = await sync(deps, id);
    if (after?.status !== value.receipt?.status || after?.bills.length !== value.receipt?.bills.length)
      moved++;
  }
  for (const day of days)
    for await (const t of deps.ledger.journalForDay(day)) {
      if (t.refs.paymentId) await sweepOne(PAYMENTS, t.refs.paymentId, syncReceipt);
      if (t.refs.visitId) await sweepOne(VISITS, t.refs.visitId, syncVisitReceipt);
    }
  return moved;
}
