/**
 * The discharge plan (the deduction, and a surplus allocated over the paid top-ups, or the arrears), and how
 * a planned refund is asked for (discharge surpluses and legacy balances alike).
 */
import {
  allocateSurplus,
  dischargePlan,
  type Admission,
  type DischargePlan,
  type RefundableTopUp,
  type SurplusRefund,
} from '../../domain/admission';
import { MedpayError } from '../../domain/errors';
import type { Split } from '../../domain/insurance';
import { refundableFen, type Payment } from '../../domain/payment';
import type { PaymentDeps } from '../payments/deps';
import { loadPayment } from '../payments/records';
import { refundPayment } from '../payments/refund';

/** The request key a settlement's refund of a top-up is asked under (so a re-run finds it, never a second). */
export const surplusRefundKey = (admissionId: string, paymentId: string) =>
  `admission:${admissionId}:surplus:${paymentId}`;

/** A paid payment as a surplus allocation sees it: what it has left to refund, and how old it is. */
export const refundableOf = (p: Payment, paidAtOtherwise: string): RefundableTopUp => ({
  paymentId: p.paymentId,
  channel: p.channel,
  ...(p.payerId ? { payerId: p.payerId } : {}),
  paidAt: p.paidAt ?? paidAtOtherwise,
  refundableFen: refundableFen(p),
  refundCount: p.refundCount,
});

/** The plan for a split: the deduction, and the surplus over the paid top-ups or the arrears. */
export async function planFor(
  deps: Pick<PaymentDeps, 'ledger' | 'ids' | 'clock'>,
  admission: Admission,
  split: Split,
): Promise<DischargePlan> {
  const { deductedFen, surplusFen, arrearsFen } = dischargePlan(admission, split);
  const topUps: RefundableTopUp[] = [];
  if (surplusFen > 0)
    for (const t of admission.topUps.filter((t) => t.status === 'PAID'))
      topUps.push(
        refundableOf((await loadPayment(deps.ledger, t.paymentId)).value, t.paidAt ?? admission.openedAt),
      );
  const { refunds, unrefundableFen } = allocateSurplus(topUps, surplusFen, deps.clock.now(), (paymentId) =>
    deps.ids.derive('refund', surplusRefundKey(admission.admissionId, paymentId)),
  );
  return { split, deductedFen, surplusFen, arrearsFen, refunds, unrefundableFen };
}

/** Errors that say "not now" (a race, an outage): the planned refund is asked again on the next run. */
const NOT_NOW: ReadonlySet<string> = new Set([
  'CONCURRENT_MODIFICATION',
  'PROVIDER_UNAVAILABLE',
  'STORAGE_UNAVAILABLE',
]);

/**
 * Asks for one planned refund through the usual refund path under its key (a re-run finds the same refund,
 * never a second), and says where it stands. A refusal before anything was asked (the payment can no longer
 * be refunded online) is FAILED with its reason; a race or an outage is thrown, for the next run.
 */
export async function askPlannedRefund(
  deps: PaymentDeps,
  planned: SurplusRefund,
  request: { reason: string; requestKey: string; forAdmission?: boolean },
): Promise<{ status: SurplusRefund['status']; refusal?: string }> {
  try {
    const refund = await refundPayment(deps, {
      paymentId: planned.paymentId,
      amountFen: planned.amountFen,
      ...request,
    });
    return { status: refund.status };
  } catch (error) {
    if (!(error instanceof MedpayError) || NOT_NOW.has(error.code)) throw error;
    return { status: 'FAILED', refusal: error.message };
  }
}
