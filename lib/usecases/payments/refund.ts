/**
 * Refund a payment, fully or partly, as often as needed up to what was paid.
 *
 * Primary course:
 *   1. Load the payment (a patient sees only their own). Derive the refundId from the request's key: when
 *      an earlier attempt of the same request already reserved that refund, carry it on (step 3) instead of
 *      reserving again. Otherwise check the refund (status, refundable amount, 50 refunds, one year).
 *   2. Reserve the amount: the refund is created PROCESSING and the payment's refundingFen grows, in ONE
 *      transaction guarded by the payment's version, so concurrent refunds can never pass the paid amount.
 *   3. Ask the provider, with a deterministic out_refund_no (so a retry never refunds twice).
 *   4. SUCCEEDED → complete it (postings, status); FAILED → release the reservation; PROCESSING → the
 *      notification or the refund sweep completes it.
 */
import { ProviderUnavailableError } from '../../domain/errors';
import { addFen, fen, subtractFen, type Fen } from '../../domain/money';
import {
  assertRefundable,
  outRefundNoFor,
  refundableFen,
  refundTransaction,
  statusAfterRefund,
  type Payment,
  type Refund,
  type RefundInsurance,
} from '../../domain/payment';
import { insuredPart, PartialInsuredRefundError } from '../../domain/insurance';
import { driveInsuredRefund } from './refund-insured';
import type { RefundState } from '../../ports/payment-provider';
import { retryOnConflict } from '../shared/retry';
import { providerFor, type PaymentDeps, type RecordDeps } from './deps';
import { loadPayment, loadRefund, type Versioned } from './records';
import { newEvent } from '../shared/events';
import { idFor } from '../shared/records';

/** Starts a refund and drives it as far as the provider's answer allows. */
export async function refundPayment(
  deps: PaymentDeps,
  input: {
    paymentId: string;
    amountFen: Fen;
    reason: string;
    patientScope?: string;
    batchId?: string;
    /** The request's key (hashed caller-scoped Idempotency-Key, or batch + payment for a bulk refund). */
    requestKey?: string;
  },
): Promise<Refund> {
  const current = await loadPayment(deps.ledger, input.paymentId, input.patientScope);
  const payment = current.value;
  const refundId = idFor(deps.ids, 'refund', input.requestKey);
  if (payment.refundIds.includes(refundId)) return resumeRefund(deps, payment, refundId);
  const now = deps.clock.now();
  assertRefundable(payment, input.amountFen, now);
  const insurance = payment.insurance && insuredRefundParts(payment, input.amountFen);

  const refund: Refund = {
    refundId,
    paymentId: payment.paymentId,
    patientId: payment.patientId,
    channel: payment.channel,
    amountFen: input.amountFen,
    reason: input.reason,
    outRefundNo: outRefundNoFor(refundId),
    status: 'PROCESSING',
    createdAt: now.toISOString(),
    ...(input.batchId ? { batchId: input.batchId } : {}),
    ...(insurance ? { insurance } : {}),
  };
  const reserved: Payment = {
    ...payment,
    refundingFen: addFen(payment.refundingFen, input.amountFen),
    refundCount: payment.refundCount + 1,
    refundIds: [...payment.refundIds, refundId],
  };
  try {
    await deps.ledger.commit({
      entities: [
        deps.ledger.payments.write(reserved, {
          kind: 'status',
          status: ['PAID', 'PARTIALLY_REFUNDED'],
          version: current.version,
        }),
        deps.ledger.refunds.write(refund, { kind: 'absent' }),
      ],
    });
  } catch (error) {
    // A concurrent attempt of the same request may have reserved it first: carry that one on.
    const now = input.requestKey ? (await loadPayment(deps.ledger, payment.paymentId)).value : undefined;
    if (now?.refundIds.includes(refundId)) return resumeRefund(deps, now, refundId);
    throw error;
  }
  deps.metrics.count('RefundsRequested', { channel: payment.channel });
  return refund.insurance ? driveInsuredRefund(deps, payment, refund) : askProvider(deps, payment, refund);
}

/**
 * The parts of an insured payment's refund: everything still paid (partial insured refunds are refused,
 * docs/insurance.md), the insured part through the platform and the self-pay part through the wallet.
 */
function insuredRefundParts(payment: Payment, amountFen: Fen): RefundInsurance {
  const left = refundableFen(payment);
  if (amountFen !== left || payment.refundedFen > 0)
    throw new PartialInsuredRefundError(payment.paymentId, left);
  const split = payment.insurance?.split ?? {
    fundFen: fen(0),
    personalAccountFen: fen(0),
    selfPayFen: amountFen,
  };
  const insured = insuredPart(split) > 0 && payment.insurance?.mixPayType !== 'CASH_ONLY';
  return {
    split: insured ? split : { fundFen: fen(0), personalAccountFen: fen(0), selfPayFen: split.selfPayFen },
    platform: insured ? 'PENDING' : 'SUCCEEDED',
    cash: split.selfPayFen > 0 ? 'PENDING' : 'NONE',
    walletNotified: !insured,
  };
}

/** An earlier attempt reserved this refund: a PROCESSING one is asked for again (same out_refund_no). */
async function resumeRefund(deps: PaymentDeps, payment: Payment, refundId: string): Promise<Refund> {
  const { value: refund } = await loadRefund(deps.ledger, refundId);
  if (refund.status !== 'PROCESSING') return refund;
  return refund.insurance ? driveInsuredRefund(deps, payment, refund) : askProvider(deps, payment, refund);
}

/** Asks the provider for the refund (deterministic out_refund_no, so never twice) and applies its answer. */
async function askProvider(deps: PaymentDeps, payment: Payment, refund: Refund): Promise<Refund> {
  let state: RefundState;
  try {
    state = await providerFor(deps, payment.channel).refund({
      outTradeNo: payment.outTradeNo,
      outRefundNo: refund.outRefundNo,
      amountFen: refund.amountFen,
      totalFen: payment.amountFen,
      reason: refund.reason,
    });
  } catch (error) {
    // The refund stays PROCESSING: the refund sweep asks the provider and finishes it either way.
    if (error instanceof ProviderUnavailableError) return refund;
    throw error;
  }
  return applyRefundState(deps, refund.refundId, state);
}

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
