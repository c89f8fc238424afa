/**
 * A patient opens a dispute about a charge with the hospital (POST /payments/{paymentId}/disputes).
 *
 * Primary course:
 *   1. Load the payment (a patient sees only their own); it must have been paid (not PENDING or CLOSED).
 *   2. The dispute's id comes from the request's key, so a retry returns the first attempt's dispute.
 *   3. It is OPEN, with the hospital's promise as deadlines (DISPUTE_DEADLINES.patient), and the patient's
 *      words as its first message; DisputeOpened tells the HIS.
 */
import { DISPUTE_DEADLINES, deadlinesFrom, type Dispute } from '../../domain/dispute';
import { InvalidStateError } from '../../domain/errors';
import type { RecordDeps } from '../payments/deps';
import { loadPayment } from '../payments/records';
import { firstAttempt } from '../shared/records';
import { disputeEvent } from './records';

/** What the patient (or staff on their behalf) sends. */
export interface OpenDisputeInput {
  readonly paymentId: string;
  readonly description: string;
  readonly patientScope?: string;
  readonly requestKey?: string;
}

/** Opens the dispute, or returns the one an earlier attempt of the same request opened. */
export async function openDispute(deps: RecordDeps, input: OpenDisputeInput): Promise<Dispute> {
  const payment = (await loadPayment(deps.ledger, input.paymentId, input.patientScope)).value;
  const { id, earlier } = await firstAttempt(deps.ids, deps.ledger.disputes, 'dispute', input.requestKey);
  if (earlier) return earlier;
  if (payment.status === 'PENDING' || payment.status === 'CLOSED')
    throw new InvalidStateError(`Payment ${payment.paymentId} was not paid; there is no charge to dispute.`, {
      paymentId: payment.paymentId,
      status: payment.status,
    });
  const now = deps.clock.now();
  const at = now.toISOString();
  const dispute: Dispute = {
    disputeId: id,
    source: 'patient',
    status: 'OPEN',
    paymentId: payment.paymentId,
    patientId: payment.patientId,
    outTradeNo: payment.outTradeNo,
    description: input.description,
    openedAt: at,
    ...deadlinesFrom(now, DISPUTE_DEADLINES.patient),
    messages: [{ at, from: 'patient', text: input.description }],
    refundIds: [],
    updatedAt: at,
  };
  await deps.ledger.commit({
    entities: [deps.ledger.disputes.write(dispute, { kind: 'absent' })],
    events: [disputeEvent(deps, 'DisputeOpened', dispute)],
  });
  deps.metrics.count('DisputesOpened', { source: 'patient' });
  return dispute;
}
