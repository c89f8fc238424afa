/**
 * How admissions react to their payments' events (at-least-once, idempotent), and the sweep that carries
 * discharge settlements on when no event does:
 *   - a top-up paid after its admission stopped taking deposits (a closed order paid at the last moment)
 *     is refunded in full: nothing is kept that the stay does not count;
 *   - a discharge's mixed order that was paid, or a surplus refund that completed, runs its admission's
 *     settlement on.
 */
import { MedpayError } from '../../domain/errors';
import type { PaymentDeps } from '../payments/deps';
import { loadPayment } from '../payments/records';
import { refundPayment } from '../payments/refund';
import { runDischarge } from './discharge';
import { loadAdmission } from './records';

/**
 * A payment with purpose deposit was captured: a top-up its admission did not count is refunded whole; a
 * discharge's mixed order runs the settlement on.
 */
export async function onTopUpPaid(
  deps: PaymentDeps,
  paymentId: string,
): Promise<'counted' | 'refunded' | 'settling' | 'ignored'> {
  const { value: payment } = await loadPayment(deps.ledger, paymentId);
  if (payment.status === 'PENDING' || payment.status === 'CLOSED') return 'ignored';
  if (payment.admission?.kind === 'DISCHARGE') {
    await runDischarge(deps, payment.admission.admissionId);
    return 'settling';
  }
  if (payment.admission?.kind !== 'DEPOSIT') return 'ignored';
  const { value: admission } = await loadAdmission(deps.ledger, payment.admission.admissionId);
  const counted = admission.topUps.some((t) => t.paymentId === paymentId && t.status === 'PAID');
  if (counted || admission.status === 'OPEN') return counted ? 'counted' : 'ignored';
  await refundPayment(deps, {
    paymentId,
    amountFen: payment.amountFen,
    reason: `住院 ${admission.admissionId} 已出院结算，预交金全额退还`,
    requestKey: `admission:${admission.admissionId}:late:${paymentId}`,
    forAdmission: true,
  });
  return 'refunded';
}

/** A refund of a payment completed (or failed): if the payment is an admission's top-up, its settlement runs on. */
export async function onTopUpRefunded(deps: PaymentDeps, paymentId: string): Promise<void> {
  const { value: payment } = await loadPayment(deps.ledger, paymentId);
  if (payment.admission?.kind === 'DEPOSIT') await runDischarge(deps, payment.admission.admissionId);
}

/** Runs on every settlement started more than `olderThanMinutes` ago and still SETTLING; returns how many moved. */
export async function sweepDischarges(
  deps: PaymentDeps,
  olderThanMinutes: number,
  limit = 50,
): Promise<number> {
  const before = new Date(deps.clock.now().getTime() - olderThanMinutes * 60_000).toISOString();
  let moved = 0;
  for (const admission of await deps.ledger.admissions.settlingSince(before, limit)) {
    // One admission that cannot go on (an integrity alert, a refusal) does not hold up the others.
    const after = await runDischarge(deps, admission.admissionId).catch((error: unknown) => {
      if (error instanceof MedpayError && error.code !== 'STORAGE_UNAVAILABLE') return admission;
      throw error;
    });
    if (after.status !== admission.status || after.settlement?.step !== admission.settlement?.step) moved++;
  }
  return moved;
}
