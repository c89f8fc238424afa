/** The discharge plan: the deduction, and a surplus allocated over the paid top-ups, or the arrears. */
import {
  allocateSurplus,
  dischargePlan,
  type Admission,
  type DischargePlan,
  type RefundableTopUp,
} from '../../domain/admission';
import type { Split } from '../../domain/insurance';
import { refundableFen } from '../../domain/payment';
import type { PaymentDeps } from '../payments/deps';
import { loadPayment } from '../payments/records';

/** The request key a settlement's refund of a top-up is asked under (so a re-run finds it, never a second). */
export const surplusRefundKey = (admissionId: string, paymentId: string) =>
  `admission:${admissionId}:surplus:${paymentId}`;

/** The plan for a split: the deduction, and the surplus over the paid top-ups or the arrears. */
export async function planFor(
  deps: Pick<PaymentDeps, 'ledger' | 'ids' | 'clock'>,
  admission: Admission,
  split: Split,
): Promise<DischargePlan> {
  const { deductedFen, surplusFen, arrearsFen } = dischargePlan(admission, split);
  const topUps: RefundableTopUp[] = [];
  if (surplusFen > 0)
    for (const t of admission.topUps.filter((t) => t.status === 'PAID')) {
      const { value: p } = await loadPayment(deps.ledger, t.paymentId);
      topUps.push({
        paymentId: p.paymentId,
        channel: p.channel,
        ...(p.payerId ? { payerId: p.payerId } : {}),
        paidAt: p.paidAt ?? t.paidAt ?? admission.openedAt,
        refundableFen: refundableFen(p),
        refundCount: p.refundCount,
      });
    }
  const { refunds, unrefundableFen } = allocateSurplus(topUps, surplusFen, deps.clock.now(), (paymentId) =>
    deps.ids.derive('refund', surplusRefundKey(admission.admissionId, paymentId)),
  );
  return { split, deductedFen, surplusFen, arrearsFen, refunds, unrefundableFen };
}
