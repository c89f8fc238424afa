/**
 * Scheduled sweeps for late or lost notifications.
 *
 * Payments — primary course:
 *   1. List payments PENDING for longer than `olderThanMinutes`.
 *   2. Ask the provider: PAID is captured (a payment paid but never notified ends PAID); an expired
 *      order that is still unpaid is closed at the provider and here; NOT_FOUND past expiry is closed.
 *   An insured payment asks the wallet for its mixed order instead (settle-insured.ts); a payment-code
 *   payment is decided, or reversed past its deadline (follow-payment-code.ts).
 * Refunds — primary course:
 *   1. List refunds PROCESSING for longer than `olderThanMinutes`.
 *   2. Ask the provider; SUCCEEDED or FAILED is applied; NOT_FOUND is asked again (same out_refund_no).
 *   An insured refund is carried on through its parts instead (refund-insured.ts).
 */
import { settleWithProviderState } from './provider-state';
import { followPaymentCode, queryCode } from './follow-payment-code';
import { insuredFor, providerFor, type PaymentDeps } from './deps';
import { settleInsured } from './settle-insured';
import { driveInsuredRefund } from './refund-insured';
import { loadPayment } from './records';
import { applyRefundState } from './refund-state';

/** Resolves stale pending payments; returns how many changed. */
export async function sweepPendingPayments(deps: PaymentDeps, olderThanMinutes: number, limit = 100) {
  const now = deps.clock.now();
  const before = new Date(now.getTime() - olderThanMinutes * 60_000).toISOString();
  const stale = await deps.ledger.payments.pendingCreatedBefore(before, limit);
  const result = { examined: stale.length, paid: 0, closed: 0 };
  for (const stored of stale) {
    const payment = stored.value;
    if (payment.insurance) {
      const state = await insuredFor(deps, payment.channel).orders.query(payment.outTradeNo);
      const after = await settleInsured(deps, stored, state);
      if (after.status === 'PAID') result.paid += 1;
      if (after.status === 'CLOSED') result.closed += 1;
      continue;
    }
    const provider = providerFor(deps, payment.channel);
    if (payment.paymentCode) {
      // A code payment the follow-up did not finish: decided now, or reversed once past its deadline.
      const state = await queryCode(provider, payment.outTradeNo);
      const after = await followPaymentCode(deps, payment.paymentId, state, now.getTime());
      if (after.status === 'PAID') result.paid += 1;
      if (after.status === 'CLOSED') result.closed += 1;
      continue;
    }
    let state = await provider.queryOrder(payment.outTradeNo);
    const expired = new Date(payment.expiresAt).getTime() <= now.getTime();
    if (state.status === 'PENDING' && !expired) continue;
    if (state.status === 'PENDING' || (state.status === 'NOT_FOUND' && expired))
      state = await provider.closeOrder(payment.outTradeNo);
    if (state.status === 'NOT_FOUND' && !expired) continue;
    const after = await settleWithProviderState(deps, { value: payment, version: stored.version }, state);
    if (after.status === 'PAID') result.paid += 1;
    if (after.status === 'CLOSED') result.closed += 1;
  }
  return result;
}

/** Resolves refunds stuck PROCESSING; returns how many changed. */
export async function sweepProcessingRefunds(deps: PaymentDeps, olderThanMinutes: number, limit = 100) {
  const before = new Date(deps.clock.now().getTime() - olderThanMinutes * 60_000).toISOString();
  const stale = await deps.ledger.refunds.processingCreatedBefore(before, limit);
  const result = { examined: stale.length, settled: 0 };
  for (const refund of stale) {
    const payment = (await loadPayment(deps.ledger, refund.paymentId)).value;
    if (refund.insurance) {
      const after = await driveInsuredRefund(deps, payment, refund);
      if (after.status !== 'PROCESSING') result.settled += 1;
      continue;
    }
    const provider = providerFor(deps, refund.channel);
    let state = await provider.queryRefund(payment.outTradeNo, refund.outRefundNo);
    if (state.status === 'NOT_FOUND') {
      state = await provider.refund({
        outTradeNo: payment.outTradeNo,
        outRefundNo: refund.outRefundNo,
        amountFen: refund.amountFen,
        totalFen: payment.amountFen,
        reason: refund.reason,
      });
    }
    const after = await applyRefundState(deps, refund.refundId, state);
    if (after.status !== 'PROCESSING') result.settled += 1;
  }
  return result;
}
