/**
 * Apply a verified provider event about a credit visit.
 *
 *   1. Find the visit by its out_order_no (or capture out_trade_no); none: record an orphan, acknowledge.
 *   2. Compare what the provider reports with what medpay recorded; a contradiction is an integrity alert.
 *   3. Advance the visit (authorised → OPEN; captured → the capture recorded, the saga finishes).
 *
 *   - authorisation.confirmed: the visit with that out_order_no becomes OPEN.
 *   - authorisation.captured (PAYSCORE.USER_PAID), or a paid trade whose out_trade_no is a visit's capture
 *     (Alipay): the capture is recorded (amount must equal the self-pay part) and the saga finishes.
 *   - anything about an order we never created is an orphan: recorded, acknowledged, never credited.
 */
import { assertAgrees, IntegrityAlertError } from '../../domain/errors';
import type { Settlement, Visit } from '../../domain/visit';
import type { ProviderEvent } from '../../ports/payment-provider';
import type { Versioned } from '../shared/records';
import { recordOrphan } from '../shared/orphans';
import { retryOnConflict } from '../shared/retry';
import { confirmAuthorisation } from './authorisation';
import type { VisitRecordDeps } from './deps';
import { loadVisit } from './records';
import { recordCapture } from './capture';
import { finishCaptured } from './settle';

/** The events this module applies. */
export type VisitEvent = Extract<
  ProviderEvent,
  { kind: 'authorisation.confirmed' | 'authorisation.captured' }
>;

/** Records a capture the provider reports collected, then lets the saga finish. */
export async function applyCollected(
  deps: VisitRecordDeps,
  found: Versioned<Visit>,
  collected: { providerTradeNo: string; amountFen: number; at: Date },
): Promise<'applied' | 'already-applied'> {
  const visitId = found.value.visitId;
  const outcome = await retryOnConflict(async () => {
    const current = await loadVisit(deps.ledger, visitId);
    const s: Settlement | undefined = current.value.settlement;
    // A collection for a visit that is not being settled, or for another amount or trade than the one
    // recorded, contradicts medpay's record whatever the visit's state.
    if (!s)
      throw new IntegrityAlertError(`visit ${visitId}`, [
        { field: 'settlement', recorded: current.value.status, reported: 'collected' },
      ]);
    assertAgrees(`visit ${visitId}`, {
      amountFen: [s.selfPayFen, collected.amountFen],
      providerTradeNo: [s.providerTradeNo, collected.providerTradeNo],
    });
    if (
      s.captureStatus === 'SUCCEEDED' ||
      !['SETTLING', 'PAYMENT_FAILED', 'OVERDUE'].includes(current.value.status)
    )
      return 'already-applied' as const;
    await recordCapture(deps, current, { status: 'SUCCEEDED', ...collected, capturedFen: s.selfPayFen });
    return 'applied' as const;
  });
  await finishCaptured(deps, visitId);
  return outcome;
}

/** Applies one verified visit event. */
export async function applyVisitEvent(deps: VisitRecordDeps, event: VisitEvent) {
  const found = await deps.ledger.visits.byOutOrderNo(event.channel, event.outOrderNo);
  if (!found) return recordOrphan(deps, event, event.outOrderNo);
  if (event.kind === 'authorisation.confirmed')
    return confirmAuthorisation(deps, found.value.visitId, {
      authNo: event.authNo,
      authorisedFen: event.authorisedFen,
      creditFen: event.creditFen,
      currency: event.currency,
      at: event.at,
    });
  return applyCollected(deps, found, event);
}

/** A paid trade that is a visit's capture (Alipay PREAUTH_PAY), or undefined when it is not one. */
export async function applyCaptureTrade(
  deps: VisitRecordDeps,
  event: Extract<ProviderEvent, { kind: 'payment.succeeded' }>,
) {
  const found = await deps.ledger.visits.byCaptureOutTradeNo(event.channel, event.outTradeNo);
  return found ? applyCollected(deps, found, { ...event, at: event.paidAt }) : undefined;
}
