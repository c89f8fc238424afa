/**
 * Apply what the wallet says about an insured payment's mixed order (the sweep; WeChat sends
 * MEDICAL_INSURANCE.SUCCESS once and retries for 30 s only, so every order still MIX_PAY_CREATED is asked).
 *
 * Primary course:
 *   1. PAID (both parts succeeded): capture, comparing the split, the platform's order and the amounts.
 *   2. Still PENDING before the payment expires, or UNKNOWN: nothing yet.
 *   3. FAILED, or PENDING / NOT_FOUND past expiry: the upload is revoked (6401), the cash order closed, and
 *      cash the wallet took anyway is refunded (W5 §2.8 C: MIX_PAY_FAIL with SELF_PAY_SUCCESS); the payment
 *      is CLOSED with its insurance REVOKED.
 */
import { InsuranceRefusedError } from '../../domain/insurance';
import { outRefundNoFor, type Payment } from '../../domain/payment';
import type { MedicalOrderState } from '../../ports/medical-orders';
import { capturePayment } from './capture-payment';
import { insuredFor, providerFor, type PaymentDeps } from './deps';
import { loadPayment, type Versioned } from './records';
import { transition } from '../shared/records';
import { newEvent } from '../shared/events';

/** Applies the mixed order's state; returns the payment as it ends. */
export async function settleInsured(
  deps: PaymentDeps,
  current: Versioned<Payment>,
  state: MedicalOrderState,
  /** Close now (POST /payments/{id}/close) rather than waiting for the payment to expire. */
  closeNow = false,
): Promise<Payment> {
  const payment = current.value;
  const insurance = payment.insurance;
  if (!insurance || payment.status !== 'PENDING') return payment;
  if (state.status === 'PAID') {
    await capturePayment(deps, current, {
      providerTradeNo: state.channelOrderNo ?? insurance.channelOrderNo ?? '',
      amountFen: state.totalFen ?? payment.amountFen,
      paidAt: state.paidAt ?? deps.clock.now(),
      split: state.split,
      cashAdjustments: state.cashAdjustments,
      payOrdId: state.payOrdId,
    });
    return (await loadPayment(deps.ledger, payment.paymentId)).value;
  }
  const expired = closeNow || new Date(payment.expiresAt).getTime() <= deps.clock.now().getTime();
  if (
    state.status === 'UNKNOWN' ||
    ((state.status === 'PENDING' || state.status === 'NOT_FOUND') && !expired)
  )
    return payment;
  const parts = insuredFor(deps, payment.channel);
  if (insurance.payOrdId && insurance.payToken && insurance.status !== 'REVOKED') {
    try {
      await parts.platform.revoke({ payOrdId: insurance.payOrdId, payToken: insurance.payToken });
    } catch (error) {
      // The platform will not revoke (it settled the insured part although the wallet order did not
      // complete): nothing is closed, and operators are alerted to settle it by hand (docs/operations.md).
      if (!(error instanceof InsuranceRefusedError)) throw error;
      deps.metrics.count('InsuredPaymentsNeedingAttention', { channel: payment.channel });
      return payment;
    }
  }
  if (insurance.split.selfPayFen > 0) {
    const cashier = providerFor(deps, payment.channel);
    if (state.cashTaken)
      await cashier.refund({
        outTradeNo: payment.outTradeNo,
        outRefundNo: outRefundNoFor(`${payment.paymentId}FAIL`),
        amountFen: insurance.split.selfPayFen,
        totalFen: insurance.split.selfPayFen,
        reason: '医保混合支付失败，退还自费部分',
      });
    else await cashier.closeOrder(payment.outTradeNo);
  }
  const closed: Payment = {
    ...payment,
    status: 'CLOSED',
    closedAt: deps.clock.now().toISOString(),
    insurance: {
      ...insurance,
      status: 'REVOKED',
      selfPayStatus: state.cashTaken ? 'REFUNDED' : insurance.selfPayStatus,
    },
  };
  await transition(deps.ledger, deps.ledger.payments, current, closed, {
    events: [newEvent(deps, 'PaymentClosed', { paymentId: closed.paymentId })],
  });
  return closed;
}
