/**
 * Show a credit visit.
 *
 * Primary course:
 *   1. Load it (a patient sees only their own; anyone else's is NOT_FOUND).
 *   2. Return its view: tab, credit left, insurance and settlement.
 */
import type { LedgerStore } from '../../ports/ledger-store';
import type { VisitStatus } from '../../domain/visit';
import { visitView } from '../views';
import { loadVisit } from './records';

/** The visit's view. */
export async function getVisit(deps: { ledger: LedgerStore }, visitId: string, patientScope?: string) {
  const { value } = await loadVisit(deps.ledger, visitId, patientScope);
  return visitView(value);
}

/** One page of a business day's visits (oldest first), of one status or patient if given; patients see their own. */
export async function searchVisits(
  deps: { ledger: LedgerStore },
  query: { date: string; status?: VisitStatus; patientId?: string; limit: number; cursor?: string },
  patientScope?: string,
) {
  const patientId = patientScope ?? query.patientId;
  const page = await deps.ledger.visits.ofDay(query.date, query);
  const items = page.values.filter(
    (v) => (!query.status || v.status === query.status) && (!patientId || v.patientId === patientId),
  );
  return { items: items.map(visitView), ...(page.cursor ? { nextCursor: page.cursor } : {}) };
}
