/**
 * Apply a verified provider notification.
 *
 * Primary course:
 *   1. The adapter has already verified signature, merchant and timestamp (nothing unverified gets here).
 *   2. payment.succeeded: find the payment by out_trade_no and capture it (amount must match).
 *   3. refund.*: find the refund by out_refund_no and apply its outcome.
 *   4. A valid notification for an order we do not know is recorded as an orphan for reconciliation and
 *      acknowledged; money is never credited on a notification alone.
 * Replays and duplicates change nothing: the result is 'already-applied'.
 */
import type { ProviderEvent } from '../../ports/payment-provider';
import { capturePayment } from './capture-payment';
import type { PaymentDeps } from './deps';
import { findPaymentByOutTradeNo, findRefundByOutRefundNo } from './records';
import { applyRefundState } from './refund-payment';
import { recordOrphan } from '../shared/orphans';

/** What happened to the notification. */
export type NotificationOutcome = 'applied' | 'already-applied' | 'orphan' | 'ignored';

/** Applies one verified event. */
export async function applyNotification(
  deps: PaymentDeps,
  event: ProviderEvent,
): Promise<NotificationOutcome> {
  // Credit-visit events are routed to usecases/visits by usecases/notifications.ts.
  if (event.kind === 'ignored' || event.kind.startsWith('authorisation.')) return 'ignored';
  const orphan = (reference: string) => recordOrphan(deps, event, reference);

  if (event.kind === 'payment.succeeded') {
    const payment = await findPaymentByOutTradeNo(deps.ledger, event.channel, event.outTradeNo);
    if (!payment) return orphan(event.outTradeNo);
    const outcome = await capturePayment(deps, payment, event);
    return outcome === 'committed' ? 'applied' : 'already-applied';
  }
  if (event.kind !== 'refund.succeeded' && event.kind !== 'refund.failed') return 'ignored';
  const refund = await findRefundByOutRefundNo(deps.ledger, event.channel, event.outRefundNo);
  if (!refund) return orphan(event.outRefundNo);
  if (refund.value.status !== 'PROCESSING') return 'already-applied';
  await applyRefundState(deps, refund.value.refundId, {
    status: event.kind === 'refund.succeeded' ? 'SUCCEEDED' : 'FAILED',
    providerRefundId: event.providerRefundId,
    succeededAt: event.kind === 'refund.succeeded' ? event.at : undefined,
  });
  return 'applied';
}
