/** The JSON shapes of payments, refunds and visits in responses (API.md). */
import type { Payment, Refund } from '../domain/payment';
import { availableCreditFen, tabFen, type Visit } from '../domain/visit';
import { settlementView } from '../usecases/visits/settle';
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

/** A visit as the API shows it: tab, credit left, charges, insurance hold and settlement. */
export function visitView(v: Visit) {
  const tab = tabFen(v.charges);
  return {
    visitId: v.visitId,
    patientId: v.patientId,
    channel: v.channel,
    status: v.status,
    insured: v.insured,
    creditLimitFen: v.creditLimitFen,
    tabFen: tab,
    availableCreditFen: availableCreditFen(v.creditLimitFen, tab),
    outOrderNo: v.outOrderNo,
    createdAt: v.createdAt,
    authoriseBy: v.authoriseBy,
    charges: v.charges.map(({ chargeId, category, description, amountFen, voided }) => ({
      chargeId,
      category,
      description,
      amountFen,
      voided,
    })),
    insurance: v.insurance ?? null,
    settlement: v.settlement ? settlementView(v) : null,
  };
}
