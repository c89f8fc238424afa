/**
 * Show a payment.
 *
 * Primary course:
 *   1. Load it (a patient sees only their own; anyone else's is NOT_FOUND, so ids cannot be probed).
 *   2. Return its view: the stored payment as API.md shows it, with its refunds' outcomes.
 */
import type { LedgerStore } from '../../ports/ledger-store';
import { paymentView } from '../views';
import { loadPayment } from './records';

/** The payment's view. */
export async function getPayment(deps: { ledger: LedgerStore }, paymentId: string, patientScope?: string) {
  const { value } = await loadPayment(deps.ledger, paymentId, patientScope);
  return paymentView(value, deps.ledger);
}
