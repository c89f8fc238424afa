/**
 * Show a credit visit.
 *
 * Primary course:
 *   1. Load it (a patient sees only their own; anyone else's is NOT_FOUND).
 *   2. Return its view: tab, credit left, insurance and settlement.
 */
import type { LedgerStore } from '../../ports/ledger-store';
import { visitView } from '../views';
import { loadVisit } from './records';

/** The visit's view. */
export async function getVisit(deps: { ledger: LedgerStore }, visitId: string, patientScope?: string) {
  const { value } = await loadVisit(deps.ledger, visitId, patientScope);
  return visitView(value);
}
