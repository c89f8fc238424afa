/**
 * Void a charge on an OPEN visit.
 *
 * Primary course:
 *   1. Only while the visit is OPEN; voiding twice is a no-op.
 *   2. The line is marked voided and the reversing postings are written, in one transaction.
 */
import { reversalOf, txnIdFor } from '../../domain/ledger/journal';
import { InvalidStateError, NotFoundError } from '../../domain/errors';
import { type Visit } from '../../domain/visit';
import { retryOnConflict } from '../shared/retry';
import { loadVisit } from './records';

import { summary, tabWrite, type ChargeDeps } from './charges';

/** Voids a charge while the visit is OPEN, with reversing postings; voiding twice changes nothing. */
export function voidCharge(deps: ChargeDeps, visitId: string, chargeId: string) {
  return retryOnConflict(async () => {
    const { value: visit, version } = await loadVisit(deps.ledger, visitId);
    const line = visit.charges.find((c) => c.chargeId === chargeId);
    if (!line) throw new NotFoundError('Charge', chargeId);
    if (line.voided) return { chargeId, ...summary(visit) };
    if (visit.status !== 'OPEN')
      throw new InvalidStateError(
        `Visit ${visitId} is ${visit.status}; charges can be voided only while it is OPEN.`,
        { visitId },
      );
    const added = await deps.ledger.getTransaction(txnIdFor('charge', `${visitId}.${chargeId}`, 'added'));
    if (!added) throw new NotFoundError('Charge posting', chargeId);
    const next: Visit = {
      ...visit,
      charges: visit.charges.map((c) => (c.chargeId === chargeId ? { ...c, voided: true } : c)),
      tabVersion: visit.tabVersion + 1,
    };
    await deps.ledger.commit({
      entities: [tabWrite(deps.ledger, next, version)],
      journal: reversalOf(added, txnIdFor('charge', `${visitId}.${chargeId}`, 'voided'), deps.clock.now()),
    });
    return { chargeId, ...summary(next) };
  });
}
