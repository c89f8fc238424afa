/**
 * Which use case reacts to which domain event. On AWS an EventBridge rule per subscriber routes the event
 * to its Lambda (functions/events/, functions/jobs/deliver-callbacks.ts); on the local stack the relay
 * dispatches here, in process.
 */
import type { OutboxEvent } from '../../ports/ledger-store';
import { isEvent } from '../../domain/events';
import { fanOut } from '../callbacks/deliveries';
import type { CallbackDeps } from '../callbacks/records';
import { onPaymentSucceeded } from '../copy-requests/payment-succeeded';
import type { CopyRequestDeps } from '../copy-requests/records';
import { onTopUpPaid, onTopUpRefunded } from '../admissions/payment-events';
import { syncReceipt, syncVisitReceipt } from '../receipts/sync-receipt';
import { syncComplaint } from '../disputes/sync-complaint';
import type { PerHospitalDeps } from '../shared/hospitals';

/** Delivers one event to its subscribers: copy fees, admissions, receipts, disputes, and the HIS endpoints' queues. */
export async function dispatchEvent(
  deps: CopyRequestDeps & CallbackDeps & PerHospitalDeps,
  event: OutboxEvent,
): Promise<void> {
  if (isEvent(event, 'PaymentSucceeded')) {
    if (event.payload.purpose === 'deposit') await onTopUpPaid(deps, event.payload.paymentId);
    else await onPaymentSucceeded(deps, event.payload);
  }
  if (isEvent(event, 'RefundSucceeded') || isEvent(event, 'RefundFailed'))
    await onTopUpRefunded(deps, event.payload.paymentId);
  // Fiscal e-receipts follow the money; the platform's failures wait in the receipt, never here.
  if (isEvent(event, 'PaymentSucceeded') || isEvent(event, 'RefundSucceeded'))
    await syncReceipt(deps, event.payload.paymentId);
  if (isEvent(event, 'VisitSettled')) await syncVisitReceipt(deps, event.payload.visitId);
  // A wallet's complaint is read with the merchant's key and brought into its hospital's disputes.
  if (isEvent(event, 'ComplaintReceived')) await syncComplaint(deps, event.payload);
  await fanOut(deps, event);
}
