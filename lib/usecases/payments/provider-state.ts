/** What the provider says about a pending order, applied: PAID is captured, CLOSED or NOT_FOUND closes it. */
import type { Payment } from '../../domain/payment';
import type { OrderState } from '../../ports/payment-provider';
import { capturedPayment, capturePayment } from './capture-payment';
import type { PaymentDeps } from './deps';
import { loadPayment, type Versioned } from './records';
import { transition } from '../shared/records';
import { newEvent } from '../shared/events';

/** Applies what the provider says about a pending order: PAID is captured, CLOSED/NOT_FOUND closes it. */
export async function settleWithProviderState(
  deps: PaymentDeps,
  current: Versioned<Payment>,
  state: OrderState,
): Promise<Payment> {
  if (state.status === 'PAID') {
    const paid = {
      providerTradeNo: state.providerTradeNo ?? '',
      amountFen: state.amountFen ?? current.value.amountFen,
      paidAt: state.paidAt ?? deps.clock.now(),
      payerId: state.payerId,
    };
    // Committed: the payment is what the capture wrote; already applied: someone else's capture, read it.
    if ((await capturePayment(deps, current, paid)) === 'committed')
      return capturedPayment(current.value, paid);
    return (await loadPayment(deps.ledger, current.value.paymentId)).value;
  }
  if (state.status === 'PENDING') return current.value;
  const closed: Payment = { ...current.value, status: 'CLOSED', closedAt: deps.clock.now().toISOString() };
  await transition(deps.ledger, deps.ledger.payments, current, closed, {
    events: [newEvent(deps, 'PaymentClosed', { paymentId: closed.paymentId })],
  });
  return closed;
}
