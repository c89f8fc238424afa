/**
 * Staff complete a dispute (POST /disputes/{disputeId}/complete).
 *
 * Primary course:
 *   1. The dispute must be open (409 otherwise).
 *   2. A wallet complaint is reported handled at the wallet first (WeChat complete; Alipay feedback.submit,
 *      02 when a refund was made, else 05); refused, nothing changes and staff see why (400).
 *   3. The dispute is RESOLVED with who, when and the note; DisputeResolved tells the HIS. A repeat
 *      complaint from the patient reopens it (sync-complaint.ts).
 */
import { withMessage, type Dispute } from '../../domain/dispute';
import type { PaymentDeps } from '../payments/deps';
import { retryOnConflict } from '../shared/retry';
import { deskOf, disputeEvent, loadDispute } from './records';
import { assertOpen } from './reply-dispute';

/** Completes the dispute at the wallet and here; returns it. */
export async function completeDispute(
  deps: PaymentDeps,
  disputeId: string,
  input: { readonly note: string; readonly by: string },
): Promise<Dispute> {
  const dispute = assertOpen((await loadDispute(deps.ledger, disputeId)).value);
  const desk = deskOf(deps, dispute);
  if (desk && dispute.provider)
    await desk.complete(dispute.provider.complaintId, {
      refunded: dispute.refundIds.length > 0,
      note: input.note,
    });
  return retryOnConflict(async () => {
    const current = await loadDispute(deps.ledger, disputeId);
    assertOpen(current.value);
    const at = deps.clock.now().toISOString();
    const next: Dispute = withMessage(
      {
        ...current.value,
        status: 'RESOLVED',
        resolvedAt: at,
        resolution: { by: input.by, at, note: input.note },
      },
      { at, from: 'staff', text: input.note, by: input.by },
    );
    await deps.ledger.commit({
      entities: [deps.ledger.disputes.transition(current, next)],
      events: [disputeEvent(deps, 'DisputeResolved', next)],
    });
    deps.metrics.count('DisputesResolved', { source: next.source });
    return next;
  });
}
