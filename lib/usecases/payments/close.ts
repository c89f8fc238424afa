/**
 * Close an unpaid payment, at the provider too.
 *
 * Primary course:
 *   1. Load the payment (a patient sees only their own).
 *   2. A CLOSED payment is returned as is; any status but PENDING is INVALID_STATE.
 *   3. Close the order at the provider. If the provider says it was paid meanwhile, capture it: PAID wins.
 *   4. PENDING → CLOSED. An insured payment asks the wallet first and revokes its upload (settle-insured.ts).
 */
import { InvalidStateError } from '../../domain/errors';
import type { Payment } from '../../domain/payment';
import { capturePayment } from './capture-payment';
import { insuredFor, providerFor, type PaymentDeps } from './deps';
import { settleInsured } from './settle-insured';
import { loadPayment, type Versioned } from './records';
import { transition } from '../shared/records';
import { newEvent } from '../shared/events';

/** Closes (or, if it was paid meanwhile, captures) the payment and returns its final state. */
export async function closePayment(
  deps: PaymentDeps,
  paymentId: string,
  patientScope?: string,
): Promise<Payment> {
  const current = await loadPayment(deps.ledger, paymentId, patientScope);
  if (current.value.status === 'CLOSED') return current.value;
  if (current.value.status !== 'PENDING') {
    throw new InvalidStateError(
      `Payment ${paymentId} is ${current.value.status}; only a PENDING payment can be closed.`,
      {
        paymentId,
        status: current.value.status,
      },
    );
  }
  if (current.value.insurance) {
    const state = await insuredFor(deps, current.value.channel).orders.query(current.value.outTradeNo);
    return settleInsured(deps, current, state, true);
  }
  const state = await providerFor(deps, current.value.channel).closeOrder(current.value.outTradeNo);
  return settleWithProviderState(deps, current, state);
}

/** Applies what the provider says about a pending order: PAID is captured, CLOSED/NOT_FOUND closes it. */
export async function settleWithProviderState(
  deps: PaymentDeps,
  current: Versioned<Payment>,
  state: Awaited<ReturnType<ReturnType<typeof providerFor>['queryOrder']>>,
): Promise<Payment> {
  if (state.status === 'PAID') {
    await capturePayment(deps, current, {
      providerTradeNo: state.providerTradeNo ?? '',
      amountFen: state.amountFen ?? current.value.amountFen,
      paidAt: state.paidAt ?? deps.clock.now(),
    });
    return (await loadPayment(deps.ledger, current.value.paymentId)).value;
  }
  if (state.status === 'PENDING') return current.value;
  const closed: Payment = { ...current.value, status: 'CLOSED', closedAt: deps.clock.now().toISOString() };
  await transition(deps.ledger, deps.ledger.payments, current, closed, {
    events: [newEvent(deps, 'PaymentClosed', { paymentId: closed.paymentId })],
  });
  return closed;
}
