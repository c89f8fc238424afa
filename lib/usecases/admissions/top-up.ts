/**
 * Top-ups of an admission's deposit: any payment path (mini-program, QR, payment link, payment code) with
 * purpose `deposit` and the admission as its referenceId. Asking records the top-up PENDING on the
 * admission, with the payment, in one transaction; the capture counts it in the deposits (capture-payment.ts).
 */
import {
  assertMayTopUp,
  awaitedOrder,
  withOrderPaid,
  withTopUpPaid,
  type Admission,
} from '../../domain/admission';
import type { Channel } from '../../domain/ledger/accounts';
import type { Fen } from '../../domain/money';
import type { Payment, PaymentAdmission } from '../../domain/payment';
import type { EntityWrite, OutboxEvent } from '../../ports/ledger-store';
import type { RecordDeps } from '../payments/deps';
import { planFor } from './plan';
import { admissionEvent, loadAdmission } from './records';

/** What a deposit payment asks of its admission. */
interface TopUpRequest {
  readonly purpose: string;
  readonly referenceId: string;
  readonly patientId: string;
  readonly amountFen: Fen;
  readonly channel: Channel;
}

/**
 * For a deposit payment: the admission it tops up, checked (the patient's own, OPEN, under its cap) and
 * written with the top-up PENDING, guarded by its version. Undefined for any other payment.
 */
export async function depositTopUp(
  deps: Pick<RecordDeps, 'ledger'>,
  paymentId: string,
  request: TopUpRequest,
): Promise<{ admission: PaymentAdmission; write: EntityWrite } | undefined> {
  if (request.purpose !== 'deposit') return undefined;
  const { value: admission, version } = await loadAdmission(
    deps.ledger,
    request.referenceId,
    request.patientId,
  );
  assertMayTopUp(admission, request.amountFen);
  const next: Admission = {
    ...admission,
    topUps: [
      ...admission.topUps,
      { paymentId, amountFen: request.amountFen, channel: request.channel, status: 'PENDING' },
    ],
  };
  return {
    admission: { admissionId: admission.admissionId, kind: 'DEPOSIT' },
    write: deps.ledger.admissions.write(next, { kind: 'status', status: ['OPEN'], version }),
  };
}

/**
 * What capturing an admission's payment writes to the admission, in the capture's transaction: a top-up
 * counted in the deposits (while the admission is OPEN; a late one is refunded, see payment-events.ts), the
 * discharge's mixed order paid, which fixes the plan (the saga goes on to book the deduction), or the
 * arrears paid, which settles the admission.
 */
export async function admissionCaptured(
  deps: Pick<RecordDeps, 'ledger' | 'ids' | 'clock'>,
  payment: Payment,
): Promise<{ entities: EntityWrite[]; events: OutboxEvent[] }> {
  const none = { entities: [], events: [] };
  if (!payment.admission) return none;
  const current = await loadAdmission(deps.ledger, payment.admission.admissionId);
  const admission = current.value;
  if (payment.admission.kind === 'DEPOSIT') {
    const topUp = admission.topUps.find((t) => t.paymentId === payment.paymentId);
    if (admission.status !== 'OPEN' || !topUp || topUp.status === 'PAID') return none;
    const next = withTopUpPaid(admission, {
      paymentId: payment.paymentId,
      paidAt: payment.paidAt ?? deps.clock.now().toISOString(),
      payerId: payment.payerId,
    });
    return { entities: [deps.ledger.admissions.transition(current, next)], events: [] };
  }
  if (payment.admission.kind === 'DISCHARGE') {
    const awaited = awaitedOrder(admission, payment.paymentId);
    const plan = await planFor(deps, admission, awaited.insurance.split);
    const next: Admission = { ...admission, settlement: withOrderPaid(awaited, plan) };
    return { entities: [deps.ledger.admissions.transition(current, next)], events: [] };
  }
  if (
    admission.status !== 'AWAITING_ARREARS' ||
    admission.settlement?.arrears?.paymentId !== payment.paymentId
  )
    return none;
  const settled: Admission = {
    ...admission,
    status: 'SETTLED',
    settledAt: deps.clock.now().toISOString(),
    settlement: { ...admission.settlement, step: 'DONE' },
  };
  return {
    entities: [deps.ledger.admissions.transition(current, settled)],
    events: [admissionEvent(deps, 'AdmissionSettled', settled, { arrearsPaymentId: payment.paymentId })],
  };
}
