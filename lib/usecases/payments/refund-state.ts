/**
 * Apply a payment provider's word on a PROCESSING refund (from the call, a notification or the sweep):
 * SUCCEEDED posts the reversal (per part for an insured payment) and moves the payment on; FAILED releases
 * the reserved amount.
 */
import { addFen, subtractFen } from '../../domain/money';
import { refundTransaction, statusAfterRefund, type Payment, type Refund } from '../../domain/payment';
import type { RefundState } from '../../ports/payment-provider';
import { newEvent } from '../shared/events';
import { retryOnConflict } from '../shared/retry';
import type { RecordDeps } from './deps';
import { loadPayment, loadRefund, type Versioned } from './records';

/**
 * Applies the provider's word on a PROCESSING refund (from the call, a notification or the sweep).
 * SUCCEEDED posts the reversal and moves the payment on; FAILED releases the reserved amount.
 */
export async function applyRefundState(
  deps: RecordDeps,
  refundId: string,
  state: RefundState,
): Promise<Refund> {
  // The call's answer, the notification and the sweep may race: the loser re-reads and finds it done.
  return retryOnConflict(() => applyRefundStateOnce(deps, refundId, state), {
    codes: ['INVALID_STATE', 'CONCURRENT_MODIFICATION'],
    attempts: 4,
  });
}

async function applyRefundStateOnce(deps: RecordDeps, refundId: string, state: RefundState): Promise<Refund> {
  const current = await loadRefund(deps.ledger, refundId);
  const refund = current.value;
  if (refund.status !== 'PROCESSING' || (state.status !== 'SUCCEEDED' && state.status !== 'FAILED'))
    return refund;
  // An insured refund succeeds only once the platform gave the insured part back (refund-insured.ts).
  if (state.status === 'SUCCEEDED' && refund.insurance && refund.insurance.platform !== 'SUCCEEDED')
    return refund;
  const paymentNow: Versioned<Payment> = await loadPayment(deps.ledger, refund.paymentId);
  const payment = paymentNow.value;
  const succeeded = state.status === 'SUCCEEDED';
  const at = state.succeededAt ?? deps.clock.now();
  const refundedFen = succeeded ? addFen(payment.refundedFen, refund.amountFen) : payment.refundedFen;
  const nextPayment: Payment = {
    ...payment,
    refundingFen: subtractFen(payment.refundingFen, refund.amountFen),
    refundedFen,
    status: succeeded ? statusAfterRefund(payment.amountFen, refundedFen) : payment.status,
    ...(succeeded && payment.insurance
      ? {
          insurance: {
            ...payment.insurance,
            status: payment.insurance.mixPayType === 'CASH_ONLY' ? payment.insurance.status : 'REFUNDED',
            selfPayStatus: payment.insurance.split.selfPayFen > 0 ? 'REFUNDED' : 'NONE',
          },
        }
      : {}),
  };
  const nextRefund: Refund = {
    ...refund,
    status: succeeded ? 'SUCCEEDED' : 'FAILED',
    ...(refund.insurance && succeeded && refund.insurance.cash === 'PENDING'
      ? { insurance: { ...refund.insurance, cash: 'SUCCEEDED' as const } }
      : {}),
    ...(succeeded ? { succeededAt: at.toISOString() } : {}),
    ...(state.providerRefundId ? { providerRefundId: state.providerRefundId } : {}),
  };
  await deps.ledger.commit({
    entities: [
      deps.ledger.refunds.transition(current, nextRefund),
      deps.ledger.payments.write(nextPayment, { kind: 'version', version: paymentNow.version }),
    ],
    ...(succeeded
      ? {
          journal: refundTransaction({
            ...refund,
            purpose: payment.purpose,
            succeededAt: at,
            outTradeNo: payment.outTradeNo,
            settlesVisitId: payment.settlesVisitId,
            paymentAmountFen: payment.amountFen,
            revenueSplit: payment.revenueSplit,
            referenceId: payment.referenceId,
            providerRefundId: state.providerRefundId ?? refund.providerRefundId,
            split: refund.insurance?.split,
            payOrdId: payment.insurance?.payOrdId,
            admission: payment.admission,
          }),
        }
      : {}),
    events: [
      newEvent(deps, succeeded ? 'RefundSucceeded' : 'RefundFailed', {
        refundId,
        paymentId: refund.paymentId,
        patientId: refund.patientId,
        amountFen: refund.amountFen,
      }),
    ],
  });
  deps.metrics.count(succeeded ? 'RefundsSucceeded' : 'RefundsFailed', { channel: payment.channel });
  return nextRefund;
}
