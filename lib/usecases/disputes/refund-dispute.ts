/**
 * Staff refund within a dispute (POST /disputes/{disputeId}/refund): a real refund through the usual path,
 * linked to the dispute. Approving a refund inside a wallet complaint does not refund by itself (WeChat: "同意
 * 退款后,需要额外调退款接口发起原路退款"), so medpay does both.
 *
 * Primary course:
 *   1. The dispute must be open and concern a payment medpay made (409 otherwise).
 *   2. A WeChat complaint that asked for a refund (problem_type REFUND) is approved at WeChat first
 *      (update-refund-progress APPROVE), once the payment is known to be refundable by that amount (a retry of
 *      a request already linked is not approved again); Alipay has no such step.
 *   3. The refund is made by refundPayment with the request's key (a retry never refunds twice; its checks —
 *      refundable amount, admission deposits — apply as for any refund).
 *   4. The refund's id is recorded on the dispute, with a staff message saying so.
 */
import { withMessage, type Dispute } from '../../domain/dispute';
import { InvalidStateError } from '../../domain/errors';
import type { Fen } from '../../domain/money';
import type { Refund } from '../../domain/payment';
import type { PaymentDeps } from '../payments/deps';
import { refundPayment } from '../payments/refund';
import { loadPayment } from '../payments/records';
import { assertRefundable } from '../../domain/payment';
import { idFor } from '../shared/records';
import { retryOnConflict } from '../shared/retry';
import { deskOf, loadDispute } from './records';
import { assertOpen } from './reply-dispute';

/** What staff send. */
export interface DisputeRefundInput {
  readonly amountFen: Fen;
  readonly by: string;
  readonly requestKey?: string;
}

/** Refunds and links the refund; returns the dispute and the refund. */
export async function refundDispute(
  deps: PaymentDeps,
  disputeId: string,
  input: DisputeRefundInput,
): Promise<{ dispute: Dispute; refund: Refund }> {
  const dispute = assertOpen((await loadDispute(deps.ledger, disputeId)).value);
  const paymentId = dispute.paymentId;
  if (!paymentId)
    throw new InvalidStateError(
      `Dispute ${disputeId} names an order medpay did not make; refund it at the wallet.`,
      {
        disputeId,
      },
    );
  const desk = deskOf(deps, dispute);
  const expected = idFor(deps.ids, 'refund', input.requestKey);
  if (desk && dispute.provider && !dispute.refundIds.includes(expected)) {
    // The wallet hears of the refund only once it is known to be possible (a deposit is refunded at
    // discharge; the amount must still be refundable).
    const payment = (await loadPayment(deps.ledger, paymentId)).value;
    if (payment.admission)
      throw new InvalidStateError(
        `Payment ${paymentId} is an admission's deposit; its discharge refunds it.`,
        {
          disputeId,
          paymentId,
        },
      );
    assertRefundable(payment, input.amountFen, deps.clock.now());
    await desk.approveRefund(dispute.provider);
  }
  const refund = await refundPayment(deps, {
    paymentId,
    amountFen: input.amountFen,
    reason: `争议退款 ${disputeId}`,
    ...(input.requestKey ? { requestKey: input.requestKey } : {}),
  });
  const linked = await retryOnConflict(async () => {
    const current = await loadDispute(deps.ledger, disputeId);
    if (current.value.refundIds.includes(refund.refundId)) return current.value;
    const at = deps.clock.now().toISOString();
    const next = withMessage(
      { ...current.value, refundIds: [...current.value.refundIds, refund.refundId] },
      { at, from: 'staff', text: `退款 ${refund.amountFen} 分（${refund.refundId}）`, by: input.by },
    );
    await deps.ledger.commit({
      entities: [deps.ledger.disputes.write(next, { kind: 'version', version: current.version })],
    });
    return next;
  });
  deps.metrics.count('DisputeRefunds', { source: dispute.source });
  return { dispute: linked, refund };
}
