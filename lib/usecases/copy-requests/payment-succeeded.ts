/**
 * React to PaymentSucceeded for a copy fee (an EventBridge rule on AWS, in-process dispatch locally): the
 * request becomes PAID. Idempotent (at-least-once delivery) and independent of any front end polling.
 *
 * Primary course:
 *   1. Re-read the payment (the event is a notice, the ledger is the truth): PAID, purpose copy-fee.
 *   2. The amount must equal the stored fee; AWAITING_PAYMENT → PAID with a CopyRequestPaid event.
 * Alternative: the money arrived for a request that can no longer be paid (expired or cancelled meanwhile)
 * → the payment is refunded in full, so nothing is kept that is not owed.
 */
import type { CopyRequest } from '../../domain/copy-request';
import type { DomainEventPayloads } from '../../domain/events';
import { loadPayment } from '../payments/records';
import { refundPayment } from '../payments/refund';
import { retryOnConflict } from '../shared/retry';
import { advanceCopyRequest, loadCopyRequest, type CopyRequestDeps } from './records';

/** The PaymentSucceeded event's detail (as published from the outbox; the fields this reaction reads). */
export type PaymentSucceededDetail = Pick<DomainEventPayloads['PaymentSucceeded'], 'paymentId'> &
  Partial<Pick<DomainEventPayloads['PaymentSucceeded'], 'purpose' | 'referenceId'>>;

/** Applies a PaymentSucceeded event; returns what it did. */
export async function onPaymentSucceeded(
  deps: CopyRequestDeps,
  detail: PaymentSucceededDetail,
): Promise<'paid' | 'already-paid' | 'refunded' | 'ignored'> {
  if (detail.purpose !== 'copy-fee' || !detail.referenceId) return 'ignored';
  const { value: payment } = await loadPayment(deps.ledger, detail.paymentId);
  if (payment.purpose !== 'copy-fee' || payment.status === 'PENDING' || payment.status === 'CLOSED')
    return 'ignored';
  // A copy-fee payment always names its request; should one ever not, there is nothing to move.
  if (!(await deps.ledger.copyRequests.get(payment.referenceId))) return 'ignored';
  return retryOnConflict(
    async () => {
      const current = await loadCopyRequest(deps.ledger, payment.referenceId);
      const request = current.value;
      if (request.paidAt && request.paymentId === payment.paymentId) return 'already-paid';
      if (request.status !== 'AWAITING_PAYMENT' || request.fee?.totalFen !== payment.amountFen) {
        if (payment.refundIds.length > 0) return 'refunded';
        await refundPayment(deps, {
          paymentId: payment.paymentId,
          amountFen: payment.amountFen,
          reason: `复印申请 ${request.copyRequestId} 已${request.status === 'EXPIRED' ? '过期' : '不可支付'}，全额退款`,
        });
        return 'refunded';
      }
      const next: CopyRequest = {
        ...request,
        status: 'PAID',
        paymentId: payment.paymentId,
        paidAt: payment.paidAt ?? deps.clock.now().toISOString(),
      };
      await advanceCopyRequest(deps, current, next, 'CopyRequestPaid', {
        paymentId: payment.paymentId,
        totalFen: payment.amountFen,
      });
      return 'paid';
      // The request changed meanwhile (expired, cancelled, paid by a racing delivery): decide again.
    },
    { codes: ['CONCURRENT_MODIFICATION', 'INVALID_STATE'] },
  );
}
