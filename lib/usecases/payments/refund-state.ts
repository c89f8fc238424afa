/**
 * Apply a payment provider's word on a PROCESSING refund (from the call, a notification or the sweep):
 * SUCCEEDED posts the reversal (per part for an insured payment) and moves the payment on; FAILED releases
 * the reserved amount. On the way, its progress is recorded: accepted (and where the money goes), ABNORMAL
 * (the card could not take it: staff re-route it), each step with its time and a RefundProgressed event.
 */
import { addFen, subtractFen } from '../../domain/money';
import { refundTransaction, statusAfterRefund, type Payment, type Refund } from '../../domain/payment';
import { DEFAULT_REFUND_POLICY, stepsOf, withStep, type RefundStep } from '../../domain/refund-progress';
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
  if (refund.status !== 'PROCESSING') return refund;
  if (state.status === 'PROCESSING' || state.status === 'ABNORMAL')
    return recordProgress(deps, current, state.status, state);
  if (state.status !== 'SUCCEEDED' && state.status !== 'FAILED') return refund;
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
  const nextRefund: Refund = withStep(
    {
      ...refund,
      status: succeeded ? 'SUCCEEDED' : 'FAILED',
      ...(refund.insurance && succeeded && refund.insurance.cash === 'PENDING'
        ? { insurance: { ...refund.insurance, cash: 'SUCCEEDED' as const } }
        : {}),
      ...(succeeded ? { succeededAt: at.toISOString() } : {}),
      ...(state.providerRefundId ? { providerRefundId: state.providerRefundId } : {}),
    },
    { step: succeeded ? 'SUCCEEDED' : 'FAILED', at: (succeeded ? at : deps.clock.now()).toISOString() },
    { destination: state.destination },
    deps.refunds ?? DEFAULT_REFUND_POLICY,
  );
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
        ...(nextRefund.destination ? { destination: nextRefund.destination } : {}),
      }),
    ],
  });
  deps.metrics.count(succeeded ? 'RefundsSucceeded' : 'RefundsFailed', { channel: payment.channel });
  return nextRefund;
}

/**
 * The provider still has it: accepted (once), or ABNORMAL (once per episode: a re-routed refund can turn
 * ABNORMAL again). Where the money goes is kept as the provider names it. Nothing new: nothing written.
 */
async function recordProgress(
  deps: RecordDeps,
  current: Versioned<Refund>,
  status: 'PROCESSING' | 'ABNORMAL',
  { destination, providerRefundId }: Pick<RefundState, 'destination' | 'providerRefundId'>,
): Promise<Refund> {
  const refund = current.value;
  const at = deps.clock.now().toISOString();
  const steps = stepsOf(refund);
  const step: RefundStep | undefined =
    status === 'ABNORMAL'
      ? refund.abnormal && !refund.abnormal.reroute
        ? undefined
        : { step: 'ABNORMAL', at }
      : steps.some((s) => s.step === 'ACCEPTED')
        ? undefined
        : { step: 'ACCEPTED', at };
  const moved = destination && destination.account !== refund.destination?.account;
  // The provider's refund number is kept as soon as it is known: re-routing an ABNORMAL refund names it.
  const numbered = providerRefundId && providerRefundId !== refund.providerRefundId;
  if (!step && !moved && !numbered) return refund;
  const next = withStep(
    { ...refund, ...(providerRefundId ? { providerRefundId } : {}) },
    step,
    { destination, ...(step?.step === 'ABNORMAL' ? { abnormal: { since: at } } : {}) },
    deps.refunds ?? DEFAULT_REFUND_POLICY,
  );
  await deps.ledger.commit({
    entities: [deps.ledger.refunds.transition(current, next)],
    events: step ? [progressEvent(deps, next, step)] : [],
  });
  if (step?.step === 'ABNORMAL') deps.metrics.count('RefundsAbnormal', { channel: refund.channel });
  return next;
}

/** RefundProgressed: the step, where the money goes and when it should arrive (the HIS tells the patient). */
export function progressEvent(deps: RecordDeps, refund: Refund, step: RefundStep) {
  return newEvent(deps, 'RefundProgressed', {
    refundId: refund.refundId,
    paymentId: refund.paymentId,
    patientId: refund.patientId,
    amountFen: refund.amountFen,
    step: step.step,
    at: step.at,
    ...(refund.destination ? { destination: refund.destination } : {}),
    ...(refund.expectedBy ? { expectedBy: refund.expectedBy } : {}),
  });
}
