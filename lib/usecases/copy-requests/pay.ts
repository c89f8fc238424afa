/**
 * The patient pays a completed request through the payment capability: purpose `copy-fee`, referenceId =
 * copyRequestId, and the amount is the stored fee (the client cannot choose it).
 *
 * Primary course:
 *   1. Only AWAITING_PAYMENT before payBy (409 otherwise: expired, cancelled, already paid).
 *   2. One payment at a time: a PENDING one must be paid or closed first (409 naming it), unless it is this
 *      request's own payment from an earlier attempt (its id derives from the request's key).
 *   3. Create the payment (revenue split: pages → revenue:copy-fee, courier → revenue:courier) and record
 *      its id on the request. The request becomes PAID when PaymentSucceeded arrives (see payment-succeeded.ts).
 */
import { InvalidStateError } from '../../domain/errors';
import type { Channel } from '../../domain/ledger/accounts';
import type { CopyRequest } from '../../domain/copy-request';
import type { Payer } from '../../ports/payment-provider';
import { createPayment } from '../payments/create';
import { loadPayment } from '../payments/records';
import { loadCopyRequest, type CopyRequestDeps } from './records';
import { transition } from '../shared/records';

/** Starts the payment of a completed request. */
export async function payCopyRequest(
  deps: CopyRequestDeps,
  id: string,
  patientScope: string | undefined,
  input: { channel: Channel; payer: Payer; requestKey?: string },
) {
  const current = await loadCopyRequest(deps.ledger, id, patientScope);
  const request = current.value;
  const expired = request.payBy !== undefined && new Date(request.payBy) <= deps.clock.now();
  if (request.status !== 'AWAITING_PAYMENT' || !request.fee || expired)
    throw new InvalidStateError(
      `Copy request ${id} is ${expired ? 'past its payment deadline' : request.status}; it cannot be paid.`,
      { id, status: request.status },
    );
  // A re-execution of the same request finds its own payment and converges on it (createPayment).
  const paymentId = input.requestKey ? deps.ids.derive('payment', input.requestKey) : undefined;
  if (request.paymentId && request.paymentId !== paymentId) {
    const pending = await loadPayment(deps.ledger, request.paymentId);
    if (pending.value.status === 'PENDING')
      throw new InvalidStateError(
        `Payment ${request.paymentId} for copy request ${id} is pending; pay it, or close it before paying another way.`,
        { id, paymentId: request.paymentId },
      );
  }
  const { fee } = request;
  const created = await createPayment(deps, {
    patientId: request.patientId,
    channel: input.channel,
    purpose: 'copy-fee',
    referenceId: id,
    amountFen: fee.totalFen,
    description: `病案复印 ${fee.pages} 页 × ${fee.copies} 份 + 快递`,
    payer: input.payer,
    mode: 'mini-program',
    copyFee: { revenueSplit: { 'copy-fee': fee.pagesFen, courier: fee.courierFen } },
    requestKey: input.requestKey,
  });
  if (request.paymentId === created.payment.paymentId) return created;
  const next: CopyRequest = { ...request, paymentId: created.payment.paymentId };
  await transition(deps.ledger, deps.ledger.copyRequests, current, next);
  return created;
}
