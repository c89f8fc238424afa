/**
 * Capture a payment the provider reports paid (shared by notifications, close and the sweep).
 *
 * Primary course:
 *   1. The provider's amount (and trade number, once known) must equal the payment's, whatever its status,
 *      or nothing is believed: an IntegrityAlertError.
 *   2. A payment already PAID (or refunded) is left alone: "already applied". A trade number that already
 *      paid another payment is an integrity alert.
 *   3. PENDING (or CLOSED, when a notification races our close) → PAID, with the capture postings and a
 *      PaymentSucceeded event, in ONE transaction; a replay of the same capture is "already applied".
 */
import { assertAgrees, IntegrityAlertError } from '../../domain/errors';
import type { CashAdjustments, Split } from '../../domain/insurance';
import type { Fen } from '../../domain/money';
import { captureTransaction, type Payment } from '../../domain/payment';
import type { CommitOutcome, EntityWrite } from '../../ports/ledger-store';
import { authorisedFen, type Visit } from '../../domain/visit';
import { loadVisit } from '../visits/records';
import type { RecordDeps } from './deps';
import { assertTradeNoFree, type Versioned } from './records';
import { newEvent } from '../shared/events';
import { admissionCaptured } from '../admissions/top-up';

/** What the provider said about the paid order (for a mixed order: the split and the platform's order too). */
export interface ProviderPaid {
  readonly providerTradeNo: string;
  readonly amountFen: Fen;
  readonly paidAt: Date;
  readonly split?: Split;
  /** A mixed order's cash adjustments, as reported (absent: none). */
  readonly cashAdjustments?: CashAdjustments;
  readonly payOrdId?: string;
  /** Who paid, as the provider names them: recorded on an order anyone could pay, compared otherwise. */
  readonly payerId?: string;
}

/** The visit a pay-off payment settles, written SETTLED in the same transaction (if it still owes). */
async function paidOffVisit(deps: RecordDeps, payment: Payment): Promise<EntityWrite[]> {
  const current = await loadVisit(deps.ledger, payment.settlesVisitId as string);
  const visit = current.value;
  if ((visit.status !== 'PAYMENT_FAILED' && visit.status !== 'OVERDUE') || !visit.settlement) return [];
  const settled: Visit = {
    ...visit,
    status: 'SETTLED',
    closedAt: deps.clock.now().toISOString(),
    authorisationReleased: false, // the visit job releases it
    settlement: {
      ...visit.settlement,
      step: 'DONE',
      paidByPaymentId: payment.paymentId,
      nextAttemptAt: undefined,
      releasedFen: authorisedFen(visit),
    },
  };
  return [deps.ledger.visits.transition(current, settled), deps.ledger.creditLocks.free(visit.patientId)];
}

/** Moves the payment to PAID with its ledger postings; returns 'already-applied' on a replay. */
export async function capturePayment(
  deps: RecordDeps,
  current: Versioned<Payment>,
  paid: ProviderPaid,
): Promise<CommitOutcome> {
  const payment = current.value;
  const insurance = payment.insurance;
  assertAgrees(`payment ${payment.paymentId}`, {
    amountFen: [payment.amountFen, paid.amountFen],
    providerTradeNo: [payment.providerTradeNo ?? insurance?.channelOrderNo, paid.providerTradeNo],
    payerId: [payment.payerId, paid.payerId],
    ...(insurance
      ? {
          fundFen: [insurance.split.fundFen, paid.split?.fundFen],
          personalAccountFen: [insurance.split.personalAccountFen, paid.split?.personalAccountFen],
          selfPayFen: [insurance.split.selfPayFen, paid.split?.selfPayFen],
          // A cash-only order carries no platform order: its upload was revoked.
          payOrdId: [insurance.mixPayType === 'CASH_ONLY' ? undefined : insurance.payOrdId, paid.payOrdId],
          // A discharge's unlisted charges and deposits taken off: none reported where some were sent is a
          // contradiction too.
          unlistedFen: [insurance.cashAdjustments?.unlistedFen ?? 0, paid.cashAdjustments?.unlistedFen ?? 0],
          prepaidFen: [insurance.cashAdjustments?.prepaidFen ?? 0, paid.cashAdjustments?.prepaidFen ?? 0],
        }
      : {}),
  });
  if (insurance && !paid.split)
    throw new IntegrityAlertError(`payment ${payment.paymentId}`, [
      { field: 'split', recorded: insurance.split, reported: 'a payment without an insured split' },
    ]);
  if (payment.status !== 'PENDING' && payment.status !== 'CLOSED') return 'already-applied';
  const next = capturedPayment(payment, paid);
  const admission = await admissionCaptured(deps, next);
  const change = {
    entities: [
      deps.ledger.payments.transition(current, next),
      ...(paid.providerTradeNo ? [deps.ledger.payments.claimTradeNo(next, paid.providerTradeNo)] : []),
      ...(next.settlesVisitId ? await paidOffVisit(deps, next) : []),
      ...admission.entities,
    ],
    journal: captureTransaction({ ...next, paidAt: paid.paidAt }),
    events: [
      newEvent(deps, 'PaymentSucceeded', {
        paymentId: next.paymentId,
        patientId: next.patientId,
        purpose: next.purpose,
        referenceId: next.referenceId,
        amountFen: next.amountFen,
        channel: next.channel,
        ...(next.mode ? { mode: next.mode } : {}),
        ...(next.payerId ? { payerId: next.payerId } : {}),
        ...(next.counter ? { counter: next.counter } : {}),
      }),
      ...admission.events,
    ],
  };
  try {
    const outcome = await deps.ledger.commit(change);
    if (outcome === 'committed') deps.metrics.count('PaymentsPaid', { channel: next.channel });
    return outcome;
  } catch (error) {
    // The trade number's claim is written with the capture: if the write failed because another payment
    // holds it, that is an integrity alert; otherwise the original failure stands.
    if (paid.providerTradeNo) await assertTradeNoFree(deps.ledger, payment, paid.providerTradeNo);
    throw error;
  }
}

/** The payment as a capture leaves it: PAID, with the provider's numbers and the payer it names. */
export function capturedPayment(payment: Payment, paid: ProviderPaid): Payment {
  const insurance = payment.insurance;
  return {
    ...payment,
    status: 'PAID',
    paidAt: paid.paidAt.toISOString(),
    providerTradeNo: paid.providerTradeNo,
    ...(paid.payerId && !payment.payerId ? { payerId: paid.payerId } : {}),
    ...(payment.paymentCode ? { paymentCode: { ...payment.paymentCode, state: 'PAID' as const } } : {}),
    ...(insurance
      ? {
          insurance: {
            ...insurance,
            status: insurance.mixPayType === 'CASH_ONLY' ? insurance.status : 'SETTLED',
            selfPayStatus: insurance.split.selfPayFen > 0 ? 'PAID' : 'NONE',
          },
        }
      : {}),
  };
}
