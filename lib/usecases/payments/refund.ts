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
 *      notification or the refund sweep completes it (refund-state.ts). An insured payment's refund goes
 *      through its parts instead (refund-insured.ts).
 */
import { InvalidStateError, ProviderUnavailableError } from '../../domain/errors';
import { addFen, fen, type Fen } from '../../domain/money';
import {
  assertRefundable,
  outRefundNoFor,
  refundableFen,
  type Payment,
  type Refund,
  type RefundInsurance,
} from '../../domain/payment';
import { insuredPart, PartialInsuredRefundError } from '../../domain/insurance';
import { DEFAULT_REFUND_POLICY, withStep } from '../../domain/refund-progress';
import { driveInsuredRefund } from './refund-insured';
import { applyRefundState, progressEvent } from './refund-state';
import type { RefundState } from '../../ports/payment-provider';
import { providerFor, type PaymentDeps } from './deps';
import { loadPayment, loadRefund } from './records';
import { idFor } from '../shared/records';
import { retryOnConflict } from '../shared/retry';

/** What a refund asks. */
interface RefundInput {
  paymentId: string;
  amountFen: Fen;
  reason: string;
  patientScope?: string;
  batchId?: string;
  /** The request's key (hashed caller-scoped Idempotency-Key, or batch + payment for a bulk refund). */
  requestKey?: string;
  /** Set by an admission's discharge settlement: the only way its top-ups are refunded. */
  forAdmission?: boolean;
}

/**
 * Starts a refund and drives it as far as the provider's answer allows. The payment may be written
 * meanwhile by something else (its receipt, another refund's outcome): the reservation is then made again on
 * the payment as it now is.
 */
export function refundPayment(deps: PaymentDeps, input: RefundInput): Promise<Refund> {
  return retryOnConflict(() => refundOnce(deps, input), { attempts: 5 });
}

/** One attempt: reserve against the payment as read, then ask the provider. */
async function refundOnce(deps: PaymentDeps, input: RefundInput): Promise<Refund> {
  const current = await loadPayment(deps.ledger, input.paymentId, input.patientScope);
  const payment = current.value;
  const refundId = idFor(deps.ids, 'refund', input.requestKey);
  if (payment.refundIds.includes(refundId)) return resumeRefund(deps, payment, refundId);
  const now = deps.clock.now();
  if (payment.admission && !input.forAdmission)
    throw new InvalidStateError(
      `Payment ${payment.paymentId} belongs to admission ${payment.admission.admissionId}; its discharge settlement refunds what is left of the deposits.`,
      { paymentId: payment.paymentId, admissionId: payment.admission.admissionId },
    );
  assertRefundable(payment, input.amountFen, now);
  const insurance = payment.insurance && insuredRefundParts(payment, input.amountFen);

  const requested = { step: 'REQUESTED' as const, at: now.toISOString() };
  const refund: Refund = withStep(
    {
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
      // The providers refund to the account that paid ("原路退回", WeChat channel ORIGINAL): whoever paid.
      ...(payment.payerId ? { payerId: payment.payerId } : {}),
    },
    requested,
    {},
    deps.refunds ?? DEFAULT_REFUND_POLICY,
  );
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
      events: [progressEvent(deps, refund, requested)],
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
