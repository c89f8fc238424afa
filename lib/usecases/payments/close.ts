/**
 * Close an unpaid payment, at the provider too.
 *
 * Primary course:
 *   1. Load the payment (a patient sees only their own).
 *   2. A CLOSED payment is returned as is; any status but PENDING is INVALID_STATE.
 *   3. Close the order at the provider. If the provider says it was paid meanwhile, capture it: PAID wins.
 *   4. PENDING → CLOSED. An insured payment asks the wallet first and revokes its upload (settle-insured.ts);
 *      a payment-code payment is reversed and confirmed by a query (follow-payment-code.ts).
 */
import { InvalidStateError } from '../../domain/errors';
import type { Payment } from '../../domain/payment';
import { insuredFor, providerFor, type PaymentDeps } from './deps';
import { settleInsured } from './settle-insured';
import { followPaymentCode, queryCode } from './follow-payment-code';
import { settleWithProviderState } from './provider-state';
import { loadPayment } from './records';

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
  const provider = providerFor(deps, current.value.channel);
  if (current.value.paymentCode) {
    // A code payment is reversed, never closed ("只能撤销", B4 268449641): paid meanwhile, it is captured.
    const state = await queryCode(provider, current.value.outTradeNo);
    return followPaymentCode(deps, paymentId, state, deps.clock.now().getTime(), { reverseNow: true });
  }
  const state = await provider.closeOrder(current.value.outTradeNo);
  return settleWithProviderState(deps, current, state);
}
