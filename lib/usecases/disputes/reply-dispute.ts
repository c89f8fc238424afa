/**
 * Staff answer a dispute (POST /disputes/{disputeId}/reply).
 *
 * Primary course:
 *   1. The dispute must still be open (409 otherwise).
 *   2. A wallet complaint's reply goes to the wallet first (WeChat response, Alipay reply.submit); refused,
 *      nothing is recorded and staff see why (400).
 *   3. The reply is recorded with who sent it; the first reply moves the dispute to REPLIED, and the
 *      resolution deadline applies from then on.
 */
import { isDisputeOpen, withMessage, type Dispute } from '../../domain/dispute';
import { InvalidStateError } from '../../domain/errors';
import type { PaymentDeps } from '../payments/deps';
import { retryOnConflict } from '../shared/retry';
import { deskOf, loadDispute } from './records';

/** Sends the reply and records it; returns the dispute as it now stands. */
export async function replyDispute(
  deps: PaymentDeps,
  disputeId: string,
  input: { readonly text: string; readonly by: string },
): Promise<Dispute> {
  const dispute = assertOpen((await loadDispute(deps.ledger, disputeId)).value);
  const desk = deskOf(deps, dispute);
  if (desk && dispute.provider) await desk.reply(dispute.provider.complaintId, input.text);
  return retryOnConflict(async () => {
    const current = await loadDispute(deps.ledger, disputeId);
    const at = deps.clock.now().toISOString();
    const replied = withMessage(current.value, { at, from: 'staff', text: input.text, by: input.by });
    const next: Dispute =
      current.value.status === 'OPEN' ? { ...replied, status: 'REPLIED', repliedAt: at } : replied;
    await deps.ledger.commit({ entities: [deps.ledger.disputes.transition(current, next)] });
    return next;
  });
}

/** The dispute, if staff may still act on it; INVALID_STATE otherwise. */
export function assertOpen(dispute: Dispute): Dispute {
  if (!isDisputeOpen(dispute))
    throw new InvalidStateError(`Dispute ${dispute.disputeId} is ${dispute.status}; it is no longer open.`, {
      disputeId: dispute.disputeId,
      status: dispute.status,
    });
  return dispute;
}
