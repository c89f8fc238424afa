/**
 * Cancel a visit when nothing was charged (the patient changed their mind, or the authorisation lapsed).
 *
 * Primary course:
 *   1. Only AWAITING_AUTHORISATION, or OPEN with an empty tab (409 INVALID_STATE otherwise).
 *   2. CANCELLED is committed first, with the credit lock freed: no charge can land after it.
 *   3. The authorisation is released at the provider (close if unconfirmed, unfreeze / cancel otherwise),
 *      and an insurance hold for voided charges is refunded; if either is unavailable the visit stays
 *      marked unreleased and the visit job retries.
 */
import { InvalidStateError } from '../../domain/errors';
import { authorisedFen, tabFen, type Visit } from '../../domain/visit';
import { retryOnConflict } from '../shared/retry';
import { creditFor, type VisitDeps } from './deps';
import { releaseHold } from './insurance';
import { loadVisit } from './records';
import { transition } from '../shared/records';
import { newEvent } from '../shared/events';

/** Releases the authorisation of a cancelled (or paid-off) visit and records that it is released. */
export async function releaseAuthorisation(deps: VisitDeps, visitId: string): Promise<Visit> {
  const { value: visit, version } = await loadVisit(deps.ledger, visitId);
  if (visit.authorisationReleased !== false) return visit;
  await creditFor(deps, visit.channel).release({
    outOrderNo: visit.outOrderNo,
    outRequestNo: visit.outRequestNo,
    authNo: visit.authorisation?.authNo,
    amountFen: authorisedFen(visit),
    reason: visit.status === 'CANCELLED' ? 'visit cancelled' : 'visit paid off',
  });
  // A hold for a tab since voided goes back to the platform (6203) before the visit is done.
  const current = await releaseHold(deps, { value: visit, version });
  const next: Visit = { ...current.value, authorisationReleased: true };
  await transition(deps.ledger, deps.ledger.visits, current, next);
  return next;
}

/** Cancels the visit and releases its authorisation. */
export async function cancelVisit(
  deps: VisitDeps,
  visitId: string,
  patientScope: string | undefined,
  reason: string,
) {
  await retryOnConflict(async () => {
    const { value: visit, version } = await loadVisit(deps.ledger, visitId, patientScope);
    if (visit.status === 'CANCELLED') return;
    if (visit.status === 'OPEN' && tabFen(visit.charges) > 0)
      throw new InvalidStateError(
        `Visit ${visitId} has charges of ${tabFen(visit.charges)} fen; settle it, or void the charges first.`,
        { visitId, tabFen: tabFen(visit.charges) },
      );
    const next: Visit = {
      ...visit,
      status: 'CANCELLED',
      closedAt: deps.clock.now().toISOString(),
      authorisationReleased: false,
    };
    await transition(deps.ledger, deps.ledger.visits, { value: visit, version }, next, {
      entities: [deps.ledger.creditLocks.free(visit.patientId)],
      events: [newEvent(deps, 'VisitCancelled', { visitId, patientId: visit.patientId, reason })],
    });
  });
  return releaseAuthorisation(deps, visitId);
}
