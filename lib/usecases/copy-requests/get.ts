/**
 * Show a copy request.
 *
 * Primary course:
 *   1. Load it (a patient sees only their own; anyone else's is NOT_FOUND).
 *   2. Return its view: status, fee breakdown, payment and shipment.
 */
import type { LedgerStore } from '../../ports/ledger-store';
import { copyRequestView } from '../views';
import { loadCopyRequest } from './records';

/** The copy request's view. */
export async function getCopyRequest(deps: { ledger: LedgerStore }, id: string, patientScope?: string) {
  const { value } = await loadCopyRequest(deps.ledger, id, patientScope);
  return copyRequestView(value, deps.ledger);
}
