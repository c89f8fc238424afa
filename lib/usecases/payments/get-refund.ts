/**
 * Show a refund.
 *
 * Primary course:
 *   1. Load it (a patient sees only their own; anyone else's is NOT_FOUND).
 *   2. Return its view.
 */
import type { LedgerStore } from '../../ports/ledger-store';
import { refundView } from '../views';
import { loadRefund } from './records';

/** The refund's view. */
export async function getRefund(deps: { ledger: LedgerStore }, refundId: string, patientScope?: string) {
  const { value } = await loadRefund(deps.ledger, refundId, patientScope);
  return refundView(value);
}
