/** The JSON shapes of payments and refunds in responses (API.md). */
import type { Payment, Refund } from '../domain/payment';
import type { LedgerStore } from '../ports/ledger-store';

/** A refund as the API shows it. */
export function refundView(r: Refund) {
  return {
    refundId: r.refundId,
    paymentId: r.paymentId,
    amountFen: r.amountFen,
    status: r.status,
    outRefundNo: r.outRefundNo,
    reason: r.reason,
    createdAt: r.createdAt,
    ...(r.succeededAt ? { succeededAt: r.succeededAt } : {}),
  };
}

/** A payment as the API shows it, with its refunds. */
export async function paymentView(p: Payment, ledger: LedgerStore) {
  const refunds = await Promise.all(p.refundIds.map((id) => ledger.getEntity('refund', id)));
  return {
    paymentId: p.paymentId,
    status: p.status,
    channel: p.channel,
    purpose: p.purpose,
    referenceId: p.referenceId,
    amountFen: p.amountFen,
    outTradeNo: p.outTradeNo,
    createdAt: p.createdAt,
    expiresAt: p.expiresAt,
    ...(p.paidAt ? { paidAt: p.paidAt } : {}),
    refundedFen: p.refundedFen,
    refunds: refunds.flatMap((r) => (r ? [refundView(r.state as unknown as Refund)] : [])),
  };
}
