/**
 * Apply a verified provider notification (both webhook entries call this).
 *
 *   1. An authorisation event (confirmed, captured): apply it to its credit visit.
 *   2. A paid trade whose out_trade_no is a visit's capture: apply it to the visit.
 *   3. Anything else: apply it to its payment or refund.
 */
import type { ProviderEvent } from '../ports/payment-provider';
import { applyNotification, type NotificationOutcome } from './payments/apply-notification';
import { applyCaptureTrade, applyVisitEvent } from './visits/apply-event';
import type { VisitRecordDeps } from './visits/deps';
import { VISIT_CAPTURE_PREFIX } from '../domain/visit';
import { notificationHospital, type PerHospitalDeps } from './shared/hospitals';
import { revokeMerchant } from './hospitals/revoke-merchant';
import { receiveComplaint } from './disputes/receive-complaint';

/**
 * Applies one verified event within the hospital it belongs to (notificationHospital: its sub-merchant, and
 * the hospital its URL names, `sentTo`); the outcome is logged by the webhook.
 */
export async function applyProviderEvent<D extends VisitRecordDeps & PerHospitalDeps>(
  deps: D,
  event: ProviderEvent,
  sentTo?: string,
): Promise<NotificationOutcome> {
  if (event.kind === 'merchant.revoked') return revokeMerchant(deps, event.channel, event.subMerchant);
  if (event.kind === 'complaint.changed') return receiveComplaint(deps, event);
  const hospitalId = await notificationHospital(deps, event, sentTo);
  return applyInHospital(await deps.inHospital(deps, hospitalId), event);
}

/** Applies one verified event to the hospital `deps` belong to. */
async function applyInHospital(deps: VisitRecordDeps, event: ProviderEvent): Promise<NotificationOutcome> {
  if (event.kind === 'authorisation.confirmed' || event.kind === 'authorisation.captured')
    return applyVisitEvent(deps, event);
  // Visit captures use their own out_trade_no prefix (visitProviderNumbers): no lookup for payments.
  if (event.kind === 'payment.succeeded' && event.outTradeNo.startsWith(VISIT_CAPTURE_PREFIX)) {
    const visitCapture = await applyCaptureTrade(deps, event);
    if (visitCapture) return visitCapture;
  }
  return applyNotification(deps, event);
}
