/**
 * Show a copy request.
 *
 * Primary course:
 *   1. Load it (a patient sees only their own; anyone else's is NOT_FOUND).
 *   2. Return its view: status, fee breakdown, payment and shipment.
 */
import type { LedgerStore } from '../../ports/ledger-store';
import type { CopyRequestStatus } from '../../domain/copy-request';
import { copyRequestView } from '../views';
import { loadCopyRequest } from './records';

/** The copy request's view. */
export async function getCopyRequest(deps: { ledger: LedgerStore }, id: string, patientScope?: string) {
  const { value } = await loadCopyRequest(deps.ledger, id, patientScope);
  return copyRequestView(value, deps.ledger);
}

/** One page of a business day's copy requests (by submission, oldest first), of one status if given. */
export async function searchCopyRequests(
  deps: { ledger: LedgerStore },
  query: { date: string; status?: CopyRequestStatus; patientId?: string; limit: number; cursor?: string },
  patientScope?: string,
) {
  const patientId = patientScope ?? query.patientId;
  const page = await deps.ledger.copyRequests.ofDay(query.date, query);
  const matching = page.values.filter(
    (r) => (!query.status || r.status === query.status) && (!patientId || r.patientId === patientId),
  );
  return {
    items: await Promise.all(matching.map((r) => copyRequestView(r, deps.ledger))),
    ...(page.cursor ? { nextCursor: page.cursor } : {}),
  };
}
