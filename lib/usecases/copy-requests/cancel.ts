/**
 * Cancel a copy request.
 *
 *   1. Load the caller's request; shipped or delivered: 409.
 *   2. Move it to CANCELLED (so it can no longer be paid or shipped), with its event.
 *   3. Unpaid: close the pending payment at the provider. Paid: refund the fee in full.
 *   4. Return the request.
 *
 * Before payment (SUBMITTED, AWAITING_PAYMENT): CANCELLED; a pending payment is closed at the provider.
 * After payment, before shipping (PAID): CANCELLED first (so it can no longer be shipped), then the fee is
 * refunded in full through the refund capability (reversing revenue:copy-fee and revenue:courier). A retry
 * after a failed refund call finds the refund already reserved and records it instead of refunding twice.
 * Shipped or delivered: 409.
 */
import type { CopyRequest } from '../../domain/copy-request';
import { assertCopyRequestTransition } from '../../domain/copy-request';
import { closePayment } from '../payments/close';
import { loadPayment } from '../payments/records';
import { refundPayment } from '../payments/refund';
import { retryOnConflict } from '../shared/retry';
import { advanceCopyRequest, loadCopyRequest, type CopyRequestDeps } from './records';
import { transition } from '../shared/records';
import { newEvent } from '../shared/events';

/** Cancels the request; refunds it when it was paid. */
export async function cancelCopyRequest(
  deps: CopyRequestDeps,
  id: string,
  patientScope: string | undefined,
  reason: string,
): Promise<CopyRequest> {
  const cancelled = await retryOnConflict(async () => {
    const current = await loadCopyRequest(deps.ledger, id, patientScope);
    const request = current.value;
    if (request.status === 'CANCELLED') return request;
    assertCopyRequestTransition(id, request.status, 'CANCELLED');
    const next: CopyRequest = {
      ...request,
      status: 'CANCELLED',
      cancelledAt: deps.clock.now().toISOString(),
      cancelReason: reason,
    };
    return advanceCopyRequest(deps, current, next, 'CopyRequestCancelled', {
      refund: request.status === 'PAID',
    });
  });
  if (!cancelled.paymentId || cancelled.refundId) return cancelled;
  const payment = await loadPayment(deps.ledger, cancelled.paymentId);
  if (payment.value.status === 'PENDING') {
    await closePayment(deps, payment.value.paymentId).catch(() => undefined); // the sweep closes it otherwise
    return cancelled;
  }
  if (!cancelled.paidAt) return cancelled;
  const refundId =
    payment.value.refundIds[0] ??
    (
      await refundPayment(deps, {
        paymentId: payment.value.paymentId,
        amountFen: payment.value.amountFen,
        reason: `复印申请已取消：${reason}`.slice(0, 80),
      })
    ).refundId;
  const current = await loadCopyRequest(deps.ledger, id);
  const next: CopyRequest = { ...current.value, refundId };
  await transition(deps.ledger, deps.ledger.copyRequests, current, next, {
    events: [
      newEvent(deps, 'CopyRequestRefunded', {
        copyRequestId: id,
        patientId: next.patientId,
        refundId,
        amountFen: payment.value.amountFen,
      }),
    ],
  });
  return next;
}
